/**
 * Freezing a frame: the server's rule tried as an attacker would (a participant's socket
 * speaking tldraw's sync protocol directly), then the feature as people use it (a facilitator
 * and a participant in their own browsers) on the four framework jobs template, whose frames
 * are locked background, so the stickies on them sit on the page, over the frame.
 */
import type { Page } from '@playwright/test'
import { boardSocketPath, rawWriter, storedBoard } from '../support/raw-socket'
import {
  arrow,
  arrowBinding,
  group,
  note,
  penStroke,
  rectangle,
  text,
} from '../support/raw-records'
import { boardPagePath } from '../../src/protocol'
import { joinByLink, shareLink, waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

type StoredRecord = {
  id: string
  typeName: string
  type?: string
  x?: number
  y?: number
  meta?: { switchback?: { element?: string; frozen?: boolean } }
  props?: { w?: number; h?: number }
  parentId?: string
}

const freshId = () =>
  `f${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

const frameOf = (board: Record<string, StoredRecord>, element: string) =>
  Object.values(board).find((r) => r.type === 'frame' && r.meta?.switchback?.element === element)!

const put = (record: { id: string }) => ({ [record.id]: ['put', record] })
const patch = (id: string, fields: Record<string, unknown>) => ({
  [id]: ['patch', Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, ['put', v]]))],
})
/** Switchback's meta of a shape replaced, as tldraw's client sends it. */
const patchSwitchback = (id: string, switchback: unknown) => ({
  [id]: ['patch', { meta: ['patch', { switchback: ['put', switchback] }] }],
})

test('a participant’s raw writes into, in and out of a frozen frame are refused and change nothing', async ({
  server,
}) => {
  const roomId = freshId()
  const created = await fetch(`${server.url}/parties/board/${roomId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ templateId: 'four-framework-jobs' }),
  })
  expect(created.status).toBe(201)
  const { facilitatorSecret, participantKey } = (await created.json()) as Record<string, string>
  const jobs = frameOf(await storedBoard<StoredRecord>(server.url, roomId), 'jobs')
  const at = (dx: number, dy: number) => [jobs.x! + dx, jobs.y! + dy] as const

  const facilitator = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, facilitatorSecret),
  )
  const participant = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, participantKey),
  )
  // Before the freeze: a sticky over the frame (on the page: the frame is locked background),
  // one outside it, and an arrow of the participant's.
  expect(await participant.push(put(note('shape:in', ...at(700, 300))))).toBe('commit')
  expect(await participant.push(put(note('shape:out', ...at(2200, 1400))))).toBe('commit')
  expect(await participant.push(put(arrow('shape:my-arrow', ...at(2200, 1800))))).toBe('commit')

  const frozen = { ...jobs.meta!.switchback, frozen: true }
  expect(await facilitator.push(patchSwitchback(jobs.id, frozen))).toBe('commit')
  const before = await storedBoard<StoredRecord>(server.url, roomId)
  expect(before[jobs.id].meta?.switchback?.frozen).toBe(true)

  const attacks: [string, Record<string, unknown[]>][] = [
    ['add a sticky over the frozen frame', put(note('shape:new', ...at(300, 300)))],
    ['add a sticky inside the frozen frame', put(note('shape:child', 300, 300, jobs.id))],
    // A child of the frame is in it wherever it is placed (tldraw clips it to the frame).
    ['add a sticky to the frozen frame, off its edge', put(note('shape:off', 4000, 0, jobs.id))],
    ['edit a sticky in it', patch('shape:in', { meta: { edited: true } })],
    ['nudge a sticky in it', patch('shape:in', { x: at(720, 0)[0] })],
    ['move a sticky out of it', patch('shape:in', { x: at(2600, 0)[0], y: at(0, 1400)[1] })],
    ['move a sticky into it', patch('shape:out', { x: at(400, 0)[0], y: at(0, 400)[1] })],
    ['delete a sticky in it', { 'shape:in': ['remove'] }],
    [
      'bind an arrow to a sticky in it',
      put(arrowBinding('binding:b', 'shape:my-arrow', 'shape:in')),
    ],
    ['unfreeze the frame', patchSwitchback(jobs.id, jobs.meta!.switchback)],
  ]
  for (const [attack, diff] of attacks) {
    expect(await participant.push(diff), attack).toBe('discard')
  }
  // The participant's socket was told why (once a second at most), and is still there.
  const notices = participant.socket.messages.filter((m) => m.type === 'custom')
  expect(notices.map((m) => m.data)).toContainEqual({
    kind: 'frozen',
    message: expect.stringContaining('This frame is frozen'),
  })
  expect(await participant.push(patch('shape:out', { x: at(2300, 0)[0] }))).toBe('commit')
  const after = await storedBoard<StoredRecord>(server.url, roomId)
  expect({ ...after, 'shape:out': before['shape:out'] }).toEqual(before)

  // The facilitator may change the frozen frame's stickies, and unfreeze it; then the
  // participant may again.
  expect(await facilitator.push(patch('shape:in', { x: at(760, 0)[0] }))).toBe('commit')
  expect(await facilitator.push(patchSwitchback(jobs.id, jobs.meta!.switchback))).toBe('commit')
  expect(await participant.push(patch('shape:in', { x: at(2600, 0)[0] }))).toBe('commit')
  expect(await participant.push(put(note('shape:new', ...at(300, 300))))).toBe('commit')
  for (const s of [facilitator.socket, participant.socket]) s.close()
})

test('a raw write is judged by every shape it carries, where it ends up: groups moved, made or deleted, and shapes that overlap a frozen frame', async ({
  server,
}) => {
  const roomId = freshId()
  const created = await fetch(`${server.url}/parties/board/${roomId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ templateId: 'four-framework-jobs' }),
  })
  const { facilitatorSecret, participantKey } = (await created.json()) as Record<string, string>
  const jobs = frameOf(await storedBoard<StoredRecord>(server.url, roomId), 'jobs')
  const at = (dx: number, dy: number) => [jobs.x! + dx, jobs.y! + dy] as const
  const below = jobs.props!.h! + 600
  const facilitator = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, facilitatorSecret),
  )
  const participant = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, participantKey),
  )
  // Before the freeze, two groups with their origins left of the frame: one holds a sticky over
  // the frame, the other a sticky below it. tldraw lists children before their new parent.
  const holding = {
    ...put(note('shape:held', 1200, 0, 'shape:g-holding')),
    ...put(group('shape:g-holding', ...at(-500, 300))),
  }
  const beside = {
    ...put(note('shape:beside', 1200, 0, 'shape:g-beside')),
    ...put(group('shape:g-beside', ...at(-500, below))),
  }
  expect(await participant.push(holding)).toBe('commit')
  expect(await participant.push(beside)).toBe('commit')
  const frozen = { ...jobs.meta!.switchback, frozen: true }
  expect(await facilitator.push(patchSwitchback(jobs.id, frozen))).toBe('commit')
  const before = await storedBoard<StoredRecord>(server.url, roomId)

  const [leftX, topY] = at(-300, 100)
  const attacks: [string, Record<string, unknown[]>][] = [
    [
      'move a group that carries its sticky out',
      patch('shape:g-holding', { x: at(-500, 0)[0] + 3000 }),
    ],
    ['rotate a group that carries its sticky out', patch('shape:g-holding', { rotation: Math.PI })],
    ['move a group that carries its sticky in', patch('shape:g-beside', { y: at(0, 300)[1] })],
    [
      'make a group that brings a new sticky in, the group first',
      {
        ...put(group('shape:g-new', ...at(-500, 300))),
        ...put(note('shape:smuggled', 1200, 0, 'shape:g-new')),
      },
    ],
    [
      'make a group that brings a new sticky in, the sticky first',
      {
        ...put(note('shape:smuggled', 1200, 0, 'shape:g-new')),
        ...put(group('shape:g-new', ...at(-500, 300))),
      },
    ],
    ['delete the group holding a frozen sticky, leaving it', { 'shape:g-holding': ['remove'] }],
    [
      'delete the group and its frozen sticky',
      { 'shape:g-holding': ['remove'], 'shape:held': ['remove'] },
    ],
    [
      'add a rectangle that starts left of the frame and overlaps it',
      put(rectangle('shape:r', leftX, topY, 400, 200)),
    ],
    [
      'add a text that starts left of the frame and runs into it',
      put(text('shape:t', leftX, topY, 500, 'Over the frame')),
    ],
    [
      'add a pen stroke that starts left of the frame and crosses it',
      put(
        penStroke('shape:p', leftX, topY, [
          { x: 0, y: 0 },
          { x: 300, y: 40 },
          { x: 600, y: 0 },
        ]),
      ),
    ],
  ]
  // The same group move beside a sticky far away, with an op the push's reader cannot take (a
  // put that changes a record's type, one under another id, an op no client sends): refused
  // whole, never left to per-record rules that would keep the far sticky and drop the move.
  const carryOut = { ...attacks[0][1], ...put(note('shape:far', ...at(0, below + 3000))) }
  const unreadable: [string, unknown[]][] = [
    ['a put that changes the type', ['put', { ...group('shape:beside', 0, 0), typeName: 'page' }]],
    ['a put under another id', ['put', note('shape:other-id', 0, 0)]],
    ['an op no client sends', ['nudge', {}]],
  ]
  for (const [what, op] of unreadable) {
    attacks.push([`move the group out, with ${what}`, { ...carryOut, 'shape:beside': op }])
  }
  for (const [attack, diff] of attacks) {
    expect.soft(await participant.push(diff), attack).toBe('discard')
  }
  expect(
    participant.socket.messages.filter((m) => m.type === 'custom').map((m) => m.data),
  ).toContainEqual({
    kind: 'frozen',
    message: expect.stringContaining('This frame is frozen'),
  })
  expect(await storedBoard<StoredRecord>(server.url, roomId)).toEqual(before)

  // Away from the frame all of it is allowed: the group beside it moves further down, a new
  // group with its sticky (listed first) is made, and the same rectangle, text and stroke.
  const [farX, farY] = at(-300, below + 2000)
  const allowed: [string, Record<string, unknown[]>][] = [
    [
      'move the group beside the frame further away',
      patch('shape:g-beside', { y: at(0, below + 400)[1] }),
    ],
    [
      'make a group with a sticky, away from the frame',
      {
        ...put(note('shape:fine', 0, 0, 'shape:g-fine')),
        ...put(group('shape:g-fine', farX, farY)),
      },
    ],
    ['add a rectangle away from it', put(rectangle('shape:r', farX, farY + 400, 400, 200))],
    ['add a text away from it', put(text('shape:t', farX, farY + 800, 500, 'Away'))],
    [
      'add a stroke away from it',
      put(
        penStroke('shape:p', farX, farY + 1200, [
          { x: 0, y: 0 },
          { x: 600, y: 0 },
        ]),
      ),
    ],
  ]
  for (const [change, diff] of allowed) {
    expect(await participant.push(diff), change).toBe('commit')
  }
  const after = await storedBoard<StoredRecord>(server.url, roomId)
  expect(after['shape:fine']).toMatchObject({ parentId: 'shape:g-fine' })
  expect(after['shape:held']).toEqual(before['shape:held'])
  for (const s of [facilitator.socket, participant.socket]) s.close()
})

test('a participant’s editor refuses at once a group that carries a frozen sticky, and a rectangle over the frame', async ({
  people,
  server,
}) => {
  const roomId = freshId()
  const created = await fetch(`${server.url}/parties/board/${roomId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ templateId: 'four-framework-jobs' }),
  })
  const { facilitatorSecret, participantKey } = (await created.json()) as Record<string, string>
  const jobs = frameOf(await storedBoard<StoredRecord>(server.url, roomId), 'jobs')
  const corner = { x: jobs.x!, y: jobs.y! }
  const link = `${server.url}${boardPagePath(roomId)}#k=${participantKey}`
  const pia = await joinByLink(people, 'Pia', link)
  // Pia groups a sticky over the frame with one left of it: the group's origin is outside.
  await pia.evaluate(({ x, y }) => {
    const editor = window.editor
    editor.createShapes([
      { id: 'shape:pia-over' as never, type: 'note', x: x + 700, y: y + 300 },
      { id: 'shape:pia-left' as never, type: 'note', x: x - 600, y: y + 300 },
    ])
    editor.groupShapes(['shape:pia-over' as never, 'shape:pia-left' as never], {
      groupId: 'shape:pia-group' as never,
    })
    editor.zoomToFit()
  }, corner)
  await expect
    .poll(async () => (await serverRecord(server.url, roomId, 'shape:pia-over'))?.parentId)
    .toBe('shape:pia-group')
  const facilitator = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, facilitatorSecret),
  )
  const frozen = { ...jobs.meta!.switchback, frozen: true }
  expect(await facilitator.push(patchSwitchback(jobs.id, frozen))).toBe('commit')
  await expect(pia.locator('[data-testid="frozen-note"][data-note="shape:pia-over"]')).toHaveCount(
    1,
  )
  const before = await storedBoard<StoredRecord>(server.url, roomId)

  // Moving or turning the group would carry the frozen sticky out; the rectangle starts left
  // of the frame and overlaps it.
  await pia.evaluate(({ x, y }) => {
    const editor = window.editor
    editor.updateShape({ id: 'shape:pia-group' as never, type: 'group', x: x - 3000 })
    editor.rotateShapesBy(['shape:pia-group' as never], Math.PI / 2)
    editor.createShape({
      id: 'shape:pia-rect' as never,
      type: 'geo',
      x: x - 300,
      y: y + 100,
      props: { w: 400, h: 200 },
    })
  }, corner)
  await expect(pia.getByText(/This frame is frozen/)).toBeVisible()
  if (process.env.FROZEN_SCREENSHOTS) {
    await pia.screenshot({ path: 'test-results/frozen-group.png' })
  }
  expect(
    await pia.evaluate(() => ({
      group: window.editor.getShape('shape:pia-group' as never)?.rotation,
      rect: window.editor.getShape('shape:pia-rect' as never) !== undefined,
      locked: window.editor.isShapeOrAncestorLocked('shape:pia-group' as never),
    })),
  ).toEqual({ group: 0, rect: false, locked: true })
  // Her next edit lands after all of that: nothing of it reached the server.
  await pia.evaluate(({ x, y }) => {
    window.editor.createShape({ id: 'shape:pia-far' as never, type: 'note', x: x - 3000, y })
  }, corner)
  await expect.poll(() => serverRecord(server.url, roomId, 'shape:pia-far')).toBeTruthy()
  const after = await storedBoard<StoredRecord>(server.url, roomId)
  delete after['shape:pia-far']
  expect(after).toEqual(before)
  facilitator.socket.close()
})

/** Shapes as the server has them, by id. */
async function serverRecord(serverUrl: string, roomId: string, id: string) {
  return (await storedBoard<StoredRecord>(serverUrl, roomId))[id]
}

/** Where a page point is in the browser window (for the mouse). */
const onScreen = (page: Page, point: { x: number; y: number }) =>
  page.evaluate((p) => window.editor.pageToScreen(p), point)

test('the facilitator freezes a step’s frame: participants see it locked and cannot change it; unfreeze restores editing', async ({
  people,
  server,
}) => {
  test.setTimeout(120_000)
  const fran = await people.join('Fran')
  await fran.goto(`${server.url}/new?template=four-framework-jobs`)
  await fran.waitForURL(/\/b\//)
  await waitForSync(fran)
  const roomId = new URL(fran.url()).pathname.split('/')[2]
  const pia = await joinByLink(people, 'Pia', await shareLink(fran, 'participant'))

  const jobs = frameOf(await storedBoard<StoredRecord>(server.url, roomId), 'jobs')
  const inFrame = { x: jobs.x! + 700, y: jobs.y! + 300 }
  // Pia puts a sticky on the frame (it sits on the page, over the locked frame).
  await pia.evaluate((p) => {
    window.editor.createShape({ id: 'shape:pia-sticky' as never, type: 'note', ...p })
  }, inFrame)
  await expect.poll(() => serverRecord(server.url, roomId, 'shape:pia-sticky')).toBeTruthy()

  // Fran freezes the frame from the context menu, right-clicking on it.
  for (const page of [fran, pia]) {
    await page.evaluate(() => {
      window.editor.zoomToFit()
    })
  }
  const spot = await onScreen(fran, { x: jobs.x! + 1000, y: jobs.y! + 150 })
  await fran.mouse.click(spot.x, spot.y, { button: 'right' })
  if (process.env.FROZEN_SCREENSHOTS) {
    await fran.screenshot({ path: 'test-results/frozen-menu.png' })
  }
  await fran.getByRole('menuitem', { name: 'Freeze frame' }).click()
  await expect
    .poll(async () => (await serverRecord(server.url, roomId, jobs.id)).meta?.switchback?.frozen)
    .toBe(true)

  // Everyone sees the badge, and the lock on Pia's sticky.
  for (const page of [fran, pia]) {
    await expect(page.getByTestId('frozen-badge')).toHaveAccessibleName(
      /four framework jobs.*frozen/i,
    )
    await expect(
      page.locator('[data-testid="frozen-note"][data-note="shape:pia-sticky"]'),
    ).toHaveCount(1)
  }

  if (process.env.FROZEN_SCREENSHOTS) {
    await pia.setViewportSize({ width: 1440, height: 900 })
    await pia.evaluate(() => {
      window.editor.zoomToFit()
    })
    await pia.screenshot({ path: 'test-results/frozen-participant.png' })
    await pia.setViewportSize({ width: 390, height: 844 })
    await pia.evaluate(() => {
      const editor = window.editor
      const sticky = editor.getShapePageBounds('shape:pia-sticky' as never)!
      editor.setCamera({ x: 0, y: 0, z: 0.6 })
      editor.centerOnPoint({ x: sticky.center.x + 80, y: sticky.center.y - 40 })
    })
    await pia.screenshot({ path: 'test-results/frozen-phone.png' })
    await pia.setViewportSize({ width: 1280, height: 800 })
    await pia.evaluate(() => {
      window.editor.zoomToFit()
    })
  }

  // Pia cannot move it (with the mouse or the editor), edit it, delete it, nor add one.
  const stored = await serverRecord(server.url, roomId, 'shape:pia-sticky')
  const sticky = await onScreen(pia, { x: inFrame.x + 100, y: inFrame.y + 100 })
  await pia.mouse.move(sticky.x, sticky.y)
  await pia.mouse.down()
  await pia.mouse.move(sticky.x + 300, sticky.y + 200, { steps: 8 })
  await pia.mouse.up()
  await pia.evaluate(() => {
    const editor = window.editor
    editor.updateShape({ id: 'shape:pia-sticky' as never, type: 'note', x: -3000 })
    editor.deleteShapes(['shape:pia-sticky' as never])
    editor.createShape({ id: 'shape:pia-new' as never, type: 'note', x: 300, y: 300 })
  })
  await expect(pia.getByText(/This frame is frozen/)).toBeVisible()
  // Pia's screen as the server has it: her client kept the edits back, or sent them and the
  // server's refusals rolled them back. Either way nothing is in flight when the server is
  // read below (rather than after a fixed wait); an edit the server kept would fail here.
  await expect
    .poll(() =>
      pia.evaluate(() => {
        const shape = window.editor.getShape('shape:pia-sticky' as never)
        return {
          sticky: shape !== undefined,
          at: shape && { x: shape.x, y: shape.y },
          added: window.editor.getShape('shape:pia-new' as never) !== undefined,
          editable: window.editor.canEditShape('shape:pia-sticky' as never),
        }
      }),
    )
    .toEqual({ sticky: true, at: { x: stored.x, y: stored.y }, added: false, editable: false })
  expect(await serverRecord(server.url, roomId, 'shape:pia-sticky')).toEqual(stored)
  expect(await serverRecord(server.url, roomId, 'shape:pia-new')).toBeUndefined()

  // Fran can still move it.
  await fran.evaluate((x) => {
    window.editor.updateShape({ id: 'shape:pia-sticky' as never, type: 'note', x })
  }, inFrame.x + 40)
  await expect
    .poll(async () => (await serverRecord(server.url, roomId, 'shape:pia-sticky')).x)
    .toBe(inFrame.x + 40)

  // Alt+Shift+L with the sticky selected unfreezes its frame; Pia edits again.
  await fran.evaluate(() => {
    window.editor.select('shape:pia-sticky' as never)
  })
  await fran.keyboard.press('Alt+Shift+L')
  await expect(pia.getByTestId('frozen-badge')).toHaveCount(0)
  await expect(pia.getByTestId('frozen-note')).toHaveCount(0)
  await pia.evaluate(() => {
    window.editor.updateShape({ id: 'shape:pia-sticky' as never, type: 'note', x: -3000 })
  })
  await expect
    .poll(async () => (await serverRecord(server.url, roomId, 'shape:pia-sticky')).x)
    .toBe(-3000)

  // Once the workshop is on a step, the step bar freezes and unfreezes the step's frame (the
  // first step's focus is a zone in the frame).
  await fran.getByTestId('step-bar').getByRole('button', { name: /Start/ }).click()
  const freezeStep = fran.getByTestId('freeze-step-frame')
  await expect(freezeStep).toHaveAttribute('aria-pressed', 'false')
  await freezeStep.click()
  await expect(freezeStep).toHaveAttribute('aria-pressed', 'true')
  await expect(pia.getByTestId('frozen-badge')).toBeVisible()
  if (process.env.FROZEN_SCREENSHOTS) {
    await fran.screenshot({ path: 'test-results/frozen-step-bar.png' })
  }
  await freezeStep.click()
  await expect(pia.getByTestId('frozen-badge')).toHaveCount(0)
})
