/**
 * Boards made from templates, as a facilitator and a participant in two browsers, against the
 * real server: stickies on top, a background nobody but the facilitator can touch (checked
 * through the UI and through the raw sync protocol), and live zone capacity warnings.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { BUILT_IN_TEMPLATES } from '../../src/templates/catalog'
import { boardSocketPath, openRawSocket, pushNewShape } from '../support/raw-socket'
import { openTemplateBoard } from '../support/template-board'
import { serverShapes, waitForSync } from './board-helpers'
import { expect, test, type People } from './fixtures'
import { waitInPage } from '../support/page-wait'

const FROM_THE_BEAUTIFUL_MESS = BUILT_IN_TEMPLATES.filter((t) =>
  t.source?.url.startsWith('https://cutlefish.substack.com/'),
)

type ServerShape = {
  id: string
  type: string
  x: number
  y: number
  rotation: number
  isLocked: boolean
}

/** The facilitator opens `/new?template=<id>`; a participant joins with the share link. */
async function templateBoard(people: People, serverUrl: string, templateId: string) {
  const template = BUILT_IN_TEMPLATES.find((t) => t.id === templateId)!
  const facilitator = await people.join('Fran')
  await openTemplateBoard(facilitator, serverUrl, templateId, template.elements.length)
  await waitForSync(facilitator)
  // Once the facilitator secret is taken out of the address bar, the URL is the participant link.
  await expect(facilitator).toHaveURL(/#k=/)
  const link = facilitator.url()
  const roomId = new URL(link).pathname.split('/')[2]
  const participantKey = new URL(link).hash.slice('#k='.length)
  const participant = await people.join('Pat')
  await participant.goto(link)
  await waitForSync(participant)
  await waitInPage(
    participant,
    (n: number) => window.editor.getCurrentPageShapeIds().size >= n,
    template.elements.length,
  )
  return { template, facilitator, participant, roomId, participantKey }
}

/** The shape rendered from a template element, and its box on screen. */
async function elementOnScreen(page: Page, elementId: string) {
  return page.evaluate((element) => {
    const editor = window.editor
    const shape = editor
      .getCurrentPageShapes()
      .find((s) => (s.meta.switchback as { element?: string } | undefined)?.element === element)!
    const bounds = editor.getShapePageBounds(shape)!
    const topLeft = editor.pageToViewport({ x: bounds.x, y: bounds.y })
    const bottomRight = editor.pageToViewport({ x: bounds.maxX, y: bounds.maxY })
    const container = editor.getContainer().getBoundingClientRect()
    return {
      id: shape.id as string,
      x: container.x + topLeft.x,
      y: container.y + topLeft.y,
      w: bottomRight.x - topLeft.x,
      h: bottomRight.y - topLeft.y,
    }
  }, elementId)
}

/** Clicks with the sticky-note tool, as a participant would, and leaves editing. */
async function addStickyAt(page: Page, point: { x: number; y: number }) {
  await page.getByTestId('tools.note').click()
  await page.mouse.click(point.x, point.y)
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
}

async function stickyCount(page: Page) {
  return page.evaluate(
    () =>
      window.editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'note' && !s.isLocked && !s.meta.switchback).length,
  )
}

async function serverShape(serverUrl: string, roomId: string, id: string) {
  const shapes = (await serverShapes(serverUrl, roomId)) as unknown as ServerShape[]
  return shapes.find((s) => s.id === id)
}

for (const { id } of FROM_THE_BEAUTIFUL_MESS) {
  test(`${id}: a participant adds a sticky but cannot delete or move the background`, async ({
    people,
    server,
  }) => {
    const { template, facilitator, participant, roomId, participantKey } = await templateBoard(
      people,
      server.url,
      id,
    )
    const frame = template.elements.find((e) => e.type === 'frame')!
    const zone = template.elements.find((e) => e.type === 'zone')!
    const onScreen = await elementOnScreen(participant, zone.id)

    // A sticky, with the mouse, shows up for the facilitator and on the server.
    await addStickyAt(participant, {
      x: onScreen.x + onScreen.w / 3,
      y: onScreen.y + onScreen.h / 2,
    })
    await expect.poll(() => stickyCount(participant)).toBe(1)
    await expect.poll(() => stickyCount(facilitator)).toBe(1)
    await expect
      .poll(async () => (await serverShapes(server.url, roomId)).filter((s) => s.type === 'note'))
      .toHaveLength(
        template.elements.filter((e) => e.type === 'prompt' || e.type === 'sticky').length + 1,
      )

    // Through the UI: select the zone by clicking it and press Delete: it stays.
    const before = await serverShape(server.url, roomId, onScreen.id)
    expect(before).toMatchObject({ isLocked: true })
    await participant.getByTestId('tools.select').click()
    await participant.mouse.click(onScreen.x + 20, onScreen.y + onScreen.h - 20)
    await participant.keyboard.press('Delete')
    // Even the editor's own API (what a console user would try) leaves it in place.
    await participant.evaluate((shapeId) => {
      window.editor.deleteShapes([shapeId as never])
      window.editor.updateShape({ id: shapeId as never, type: 'geo', x: 9999 })
    }, onScreen.id)
    // On the participant's screen where it was (kept back there, or rolled back by the
    // server's answer), so nothing is in flight when the server is read.
    const placed = (page: Page, id: string) =>
      page.evaluate((id) => {
        const s = window.editor.getShape(id as never)
        return s && { x: s.x, y: s.y, rotation: s.rotation }
      }, id)
    await expect
      .poll(() => placed(participant, onScreen.id))
      .toEqual({ x: before!.x, y: before!.y, rotation: before!.rotation })
    expect(await serverShape(server.url, roomId, onScreen.id)).toEqual(before)

    // Through the raw sync protocol, as a modified client would: delete, move and unlock.
    const socket = await openRawSocket(
      server.url,
      await boardSocketPath(server.url, roomId, participantKey),
    )
    expect((await socket.handshake()).type).toBe('connect')
    const frameShapeId = onScreen.id.replace(zone.id, frame.id)
    const attacks = [
      { [onScreen.id]: ['remove'] },
      { [onScreen.id]: ['patch', { x: ['put', 9999] }] },
      { [onScreen.id]: ['patch', { rotation: ['put', 1] }] },
      { [frameShapeId]: ['patch', { isLocked: ['put', false] }] },
    ]
    for (const [i, diff] of attacks.entries()) {
      socket.send({ type: 'push', clientClock: i + 1, diff })
      // Refused whole: nothing of the push was kept.
      expect(await socket.next('push_result'), JSON.stringify(diff)).toMatchObject({
        clientClock: i + 1,
        action: 'discard',
      })
    }
    // A write the participant may make, after the refused ones: once both browsers have it,
    // anything the server had accepted before it would have reached them too.
    socket.send(pushNewShape('shape:after-the-attack', attacks.length + 1))
    expect(await socket.next('push_result')).toMatchObject({ action: 'commit' })
    socket.close()

    const after = await serverShape(server.url, roomId, onScreen.id)
    expect(after).toEqual(before)
    expect(await serverShape(server.url, roomId, frameShapeId)).toMatchObject({ isLocked: true })
    // Both people still see it exactly where it was: position and rotation, not just there.
    for (const page of [participant, facilitator]) {
      await page.waitForFunction(() => !!window.editor.getShape('shape:after-the-attack' as never))
      const seen = await page.evaluate((id) => {
        const s = window.editor.getShape(id as never)
        return s && { x: s.x, y: s.y, rotation: s.rotation }
      }, onScreen.id)
      expect(seen).toEqual({ x: before!.x, y: before!.y, rotation: before!.rotation })
    }
  })
}

test('enabling constraints: the capacity warning appears with a third driver, for everyone, and clears when it goes', async ({
  people,
  server,
}) => {
  const { facilitator, participant } = await templateBoard(
    people,
    server.url,
    'enabling-constraints',
  )
  const template = BUILT_IN_TEMPLATES.find((t) => t.id === 'enabling-constraints')!
  const drivers = template.elements.find((e) => e.type === 'zone' && e.capacity === 2)!
  const zone = await elementOnScreen(participant, drivers.id)
  const count = (page: Page) => page.locator(`[data-testid=zone-count][data-zone="${drivers.id}"]`)

  await expect(count(participant)).toHaveText('0 / 2')
  const spots = [0.2, 0.45, 0.7].map((f) => ({ x: zone.x + zone.w * f, y: zone.y + zone.h * 0.6 }))
  await addStickyAt(participant, spots[0])
  await addStickyAt(participant, spots[1])
  await expect(count(participant)).toHaveText('2 / 2')
  await expect(count(participant)).toHaveAttribute('data-over', 'false')

  await addStickyAt(participant, spots[2])
  for (const page of [participant, facilitator]) {
    await expect(count(page)).toHaveText(/3 \/ 2/)
    await expect(count(page)).toHaveAttribute('data-over', 'true')
    await expect(count(page)).toHaveAccessibleName('3 stickies: over the limit of 2')
  }

  // Take the third driver away again: the warning clears for both.
  await participant.getByTestId('tools.select').click()
  await participant.mouse.click(spots[2].x, spots[2].y)
  await participant.keyboard.press('Delete')
  for (const page of [participant, facilitator]) {
    await expect(count(page)).toHaveText('2 / 2')
    await expect(count(page)).toHaveAttribute('data-over', 'false')
  }
})

test('the facilitator unlocks the background, moves a zone, and locks it again', async ({
  people,
  server,
}) => {
  const { facilitator, participant, roomId } = await templateBoard(people, server.url, 'retro')
  const zone = await elementOnScreen(facilitator, 'actions')

  await facilitator.getByTestId('templates-menu').click()
  await facilitator.getByRole('menuitem', { name: /Unlock the background/ }).click()
  await expect
    .poll(async () => (await serverShape(server.url, roomId, zone.id))?.isLocked)
    .toBe(false)
  await facilitator.evaluate((id) => {
    window.editor.updateShape({ id: id as never, type: 'geo', y: 240 })
  }, zone.id)
  await expect.poll(async () => (await serverShape(server.url, roomId, zone.id))?.y).toBe(240)
  // Unlocked or not, background stays the facilitator's: the participant's move goes nowhere
  // (the server's refusal of such writes is tested through the raw protocol above).
  await participant.evaluate((id) => {
    window.editor.updateShape({ id: id as never, type: 'geo', y: 500 })
  }, zone.id)
  // Back at 240 on the participant's screen (kept back there, or rolled back by the server's
  // answer): nothing of that move is in flight when the server is read below.
  await expect
    .poll(() => participant.evaluate((id) => window.editor.getShape(id as never)?.y, zone.id))
    .toBe(240)
  await facilitator.getByTestId('templates-menu').click()
  await facilitator.getByRole('menuitem', { name: /Lock the background/ }).click()
  await expect
    .poll(async () => (await serverShape(server.url, roomId, zone.id))?.isLocked)
    .toBe(true)
  expect((await serverShape(server.url, roomId, zone.id))?.y).toBe(240)
})

test('the facilitator adds a second template beside the first, without overlap', async ({
  people,
  server,
}) => {
  const { facilitator, participant } = await templateBoard(people, server.url, 'retro')
  const frameBounds = (page: Page) =>
    page.evaluate(() =>
      window.editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'frame')
        .map((f) => window.editor.getShapePageBounds(f)!.toJson()),
    )
  const [retroFrame] = await frameBounds(facilitator)

  await facilitator.getByTestId('templates-menu').click()
  await facilitator.getByRole('menuitem', { name: /Add a template/ }).click()
  await facilitator
    .getByTestId('template-picker')
    .getByTestId('template-enabling-constraints')
    .click()

  const added = BUILT_IN_TEMPLATES.find((t) => t.id === 'enabling-constraints')!
  const retro = BUILT_IN_TEMPLATES.find((t) => t.id === 'retro')!
  const total = retro.elements.length + added.elements.length
  for (const page of [facilitator, participant]) {
    await expect
      .poll(() => page.evaluate(() => window.editor.getCurrentPageShapeIds().size))
      .toBe(total)
  }
  const frames = await frameBounds(participant)
  const newFrames = frames.filter((f) => f.x !== retroFrame.x || f.y !== retroFrame.y)
  expect(newFrames.length).toBe(added.elements.filter((e) => e.type === 'frame').length)
  // Every new frame is to the right of what was there: no overlap.
  for (const frame of newFrames) expect(frame.x).toBeGreaterThanOrEqual(retroFrame.x + retroFrame.w)
  // Its steps joined the agenda, after the retro's.
  await participant.getByRole('button', { name: 'Agenda' }).click()
  await expect(participant.getByTestId('agenda')).toContainText(added.title)
  await expect(participant.getByTestId('agenda')).toContainText(retro.title)
})

test('a broken template file, picked or dropped, lists its problems and leaves the board untouched; a good one is added', async ({
  people,
  server,
}) => {
  const facilitator = await people.join('Fran')
  await openTemplateBoard(facilitator, server.url, 'retro', 10)
  await waitForSync(facilitator)
  const shapeCount = () => facilitator.evaluate(() => window.editor.getCurrentPageShapeIds().size)
  const before = await shapeCount()

  const retro = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../templates/retro.json'), 'utf8'),
  )
  const broken = structuredClone(retro)
  broken.elements[3].w = 'wide'
  broken.steps[0].focus = 42
  await facilitator.getByTestId('template-file-input').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(broken)),
  })
  const dialog = facilitator.getByTestId('template-problems')
  await expect(dialog).toContainText('broken.json has 2 problems')
  await expect(dialog).toContainText(
    'elements[3].w: Invalid input: expected number, received string',
  )
  await expect(dialog).toContainText('steps[0].focus')
  await dialog.getByRole('button', { name: 'OK' }).click()
  expect(await shapeCount()).toBe(before)

  // Dropped on the board, the same file gets the same answer (and tldraw never sees it).
  await facilitator.evaluate((text) => {
    const data = new DataTransfer()
    data.items.add(new File([text], 'dropped.json', { type: 'application/json' }))
    const canvas = document.querySelector('.tl-canvas')!
    for (const type of ['dragenter', 'dragover', 'drop']) {
      canvas.dispatchEvent(
        new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }),
      )
    }
  }, JSON.stringify(broken))
  await expect(dialog).toContainText('dropped.json has 2 problems')
  await dialog.getByRole('button', { name: 'OK' }).click()
  expect(await shapeCount()).toBe(before)

  await facilitator.getByTestId('template-file-input').setInputFiles({
    name: 'retro.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(retro)),
  })
  await expect.poll(shapeCount).toBe(before + retro.elements.length)
})
