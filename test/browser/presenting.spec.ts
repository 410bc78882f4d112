/**
 * Presenting frames as slides, with a facilitator and three participants (one on a 390 px
 * phone) in their own browsers against the real server: the chooser (agenda-less board: the
 * page's frames in reading order, untick and reorder), the presenter's full screen, keys and
 * buttons, everyone's "Slide 3 of 4" on their own screen, one breaking away and not being pulled
 * back, a reload keeping the slide, and the facilitator's laser reaching a participant on the
 * cursor lane in crowd mode "none". Then, over raw sockets, the `present-*` actions refused
 * for a participant and a viewer, bad frames and slides refused with the state unchanged, and
 * the slide surviving `kill -9`.
 */
import type { Page } from '@playwright/test'
import { boardWithRecords } from '../support/raw-socket'
import { personInWorkshop, workshopMember } from '../support/raw-workshop'
import { frame } from '../support/raw-records'
import { waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

test.afterEach(async ({ server }) => server.ensureRunning())

const SHOTS = '/tmp/presenting'
const NAMES = ['Why', 'Now', 'Where', 'How', 'Risks', 'Costs', 'Plan', 'Ask']
/** Eight frames, two rows of four: reading order is A–D, then E–H. */
const FRAMES = NAMES.map((name, i) => ({
  id: `shape:frame${i}`,
  name,
  record: frame(
    `shape:frame${i}`,
    (i % 4) * 1000,
    Math.floor(i / 4) * 700,
    800,
    450,
    name,
    `a${i + 1}`,
  ),
}))
const idOf = (name: string) => FRAMES.find((f) => f.name === name)!.id

const freshId = () =>
  `p${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)
const personKey = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')

/** Whether the page's view shows the whole frame, fitted (it fills the width or the height). */
const onSlide = (page: Page, id: string) =>
  page.evaluate((id) => {
    const view = window.editor.getViewportPageBounds()
    const box = window.editor.getShapePageBounds(id as never)
    if (!box) return false
    const inside =
      box.x >= view.x - 1 &&
      box.y >= view.y - 1 &&
      box.x + box.w <= view.x + view.w + 1 &&
      box.y + box.h <= view.y + view.h + 1
    return inside && (box.w / view.w > 0.8 || box.h / view.h > 0.8)
  }, id)

const camera = (page: Page) =>
  page.evaluate(() => {
    const { x, y, z } = window.editor.getCamera()
    return { x, y, z }
  })

test('presenting four frames: the presenter’s keys and buttons, three following, one breaking away, a reload, the laser', async ({
  people,
  server,
}) => {
  test.setTimeout(180_000)
  const board = await boardWithRecords(
    server.url,
    freshId(),
    FRAMES.map((f) => f.record),
  )
  const base = `${server.url}/b/${board.roomId}`
  const fran = await people.join('Fran', { viewport: { width: 1440, height: 900 } })
  await fran.goto(`${base}#f=${board.facilitatorSecret}`)
  await waitForSync(fran)
  const open = async (name: string, options = {}) => {
    const page = await people.join(name, options)
    await page.goto(`${base}#k=${board.participantKey}`)
    await waitForSync(page)
    return page
  }
  const pia = await open('Pia')
  const per = await open('Per')
  const pho = await open('Pho', {
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  })
  const audience = [pia, per, pho]
  // The strictest crowd mode: no participant's cursor, the facilitator's only as their view.
  const boss = await workshopMember(server.url, board.roomId, board.facilitatorSecret, personKey())
  await boss.act({ type: 'set-cursor-mode', mode: 'none' })

  // The chooser: no agenda, so the page's frames in reading order, all ticked.
  await fran.keyboard.press('Alt+Shift+M')
  const chooser = fran.getByTestId('slide-chooser')
  await expect(chooser.getByRole('listitem')).toHaveText(NAMES)
  for (const name of ['Risks', 'Costs', 'Plan', 'Ask']) {
    await chooser.getByRole('checkbox', { name }).uncheck()
  }
  await chooser.getByRole('button', { name: 'Move How up' }).click()
  await expect(chooser.getByRole('listitem').first()).toHaveText('Why')
  await expect(chooser.getByRole('listitem').nth(2)).toHaveText('How')
  await fran.screenshot({ path: `${SHOTS}/chooser-1440.png` })
  await chooser.getByRole('button', { name: 'Present 4 slides' }).click()

  // The presenter: the chrome out of the way, the laser in hand, slide 1 fitted.
  const controls = fran.getByTestId('presenter-controls')
  await expect(controls.getByTestId('presenter-count')).toHaveText('1 / 4')
  await expect(fran.getByRole('banner')).toBeHidden()
  await expect(fran.getByTestId('step-bar')).toBeHidden()
  expect(await fran.evaluate(() => window.editor.getCurrentToolId())).toBe('laser')
  await expect.poll(() => onSlide(fran, idOf('Why'))).toBe(true)
  for (const page of audience) {
    await expect(page.getByTestId('slide-count')).toHaveText('Slide 1 of 4')
    await expect.poll(() => onSlide(page, idOf('Why'))).toBe(true)
  }

  // Per breaks away by scrolling the board: "Back to the slide", and a slide change leaves him be.
  await per.mouse.move(640, 400)
  await per.mouse.wheel(0, 400)
  await expect(per.getByRole('button', { name: 'Back to the slide' })).toBeVisible()
  const perAway = await camera(per)

  await fran.keyboard.press('ArrowRight')
  await expect(controls.getByTestId('presenter-count')).toHaveText('2 / 4')
  await expect(pia.getByTestId('slide-count')).toHaveText('Slide 2 of 4')
  await expect.poll(() => onSlide(pia, idOf('Now'))).toBe(true)
  await controls.getByRole('button', { name: 'Next slide' }).click()
  await expect(controls.getByTestId('presenter-count')).toHaveText('3 / 4')
  // Slide 3 is the frame moved up in the chooser, fitted to each screen, the phone's too.
  for (const page of [pia, pho, per]) {
    await expect(page.getByTestId('slide-count')).toHaveText('Slide 3 of 4')
  }
  for (const page of [fran, pia, pho])
    await expect.poll(() => onSlide(page, idOf('How'))).toBe(true)
  expect(await camera(per)).toEqual(perAway)
  await fran.screenshot({ path: `${SHOTS}/presenter-1440.png` })
  await pho.screenshot({ path: `${SHOTS}/audience-phone.png` })
  await per.screenshot({ path: `${SHOTS}/broke-away-1280.png` })

  // The laser: Fran draws with it; Pia's board has it from the lane, in crowd mode "none".
  await pia.evaluate(() => {
    const seen = { most: 0, ids: [] as string[] }
    ;(window as unknown as { laserSeen: typeof seen }).laserSeen = seen
    window.editor.store.listen(() => {
      for (const c of window.editor.getCollaborators()) {
        for (const s of c.scribbles) {
          if (s.color !== 'laser') continue
          if (!seen.ids.includes(s.id)) seen.ids.push(s.id)
          seen.most = Math.max(seen.most, s.points.length)
        }
      }
    })
  })
  await fran.mouse.move(500, 400)
  await fran.mouse.down()
  for (let i = 1; i <= 20; i++) {
    await fran.mouse.move(500 + i * 20, 400 + Math.sin(i / 3) * 60)
    await fran.waitForTimeout(16)
  }
  await pia.screenshot({ path: `${SHOTS}/laser-1280.png` })
  await fran.mouse.up()
  const laserSeen = () => pia.evaluate(() => (window as unknown as { laserSeen: object }).laserSeen)
  await expect.poll(laserSeen).toMatchObject({ most: expect.any(Number) })
  await expect.poll(async () => ((await laserSeen()) as { most: number }).most).toBeGreaterThan(3)
  // Only the lane's: tldraw's slow presence carries no laser of ours.
  expect(await laserSeen()).toMatchObject({ ids: ['lane-laser'] })

  // A reload comes back to the slide; Per goes back to it.
  await pia.reload()
  await waitForSync(pia)
  await expect(pia.getByTestId('slide-count')).toHaveText('Slide 3 of 4')
  await expect.poll(() => onSlide(pia, idOf('How'))).toBe(true)
  await per.getByRole('button', { name: 'Back to the slide' }).click()
  await expect.poll(() => onSlide(per, idOf('How'))).toBe(true)
  await expect(per.getByRole('button', { name: 'Back to the slide' })).toHaveCount(0)
  // Escape breaks away as panning does.
  await pho.locator('.tl-canvas').click({ position: { x: 200, y: 500 } })
  await pho.keyboard.press('Escape')
  await expect(pho.getByRole('button', { name: 'Back to the slide' })).toBeVisible()
  await pho.screenshot({ path: `${SHOTS}/audience-phone-away.png` })

  // Escape ends: the chrome is back, and nobody has a slide any more.
  await fran.keyboard.press('Escape')
  await expect(controls).toHaveCount(0)
  await expect(fran.getByRole('banner')).toBeVisible()
  for (const page of audience) await expect(page.getByTestId('slide-bar')).toHaveCount(0)
  expect(boss.view()?.presenting ?? null).toBeNull()

  // Every frame this time: PageDown and Space go on, "Slide 3 of 8".
  await fran.getByTestId('present-button').click()
  await expect(chooser.getByRole('listitem')).toHaveText(NAMES)
  await chooser.getByRole('button', { name: 'Present 8 slides' }).click()
  await expect(controls.getByTestId('presenter-count')).toHaveText('1 / 8')
  await fran.keyboard.press('PageDown')
  await fran.keyboard.press('Space')
  await expect(pia.getByTestId('slide-count')).toHaveText('Slide 3 of 8')
  await expect(pia.getByTestId('slide-bar')).toContainText('Where')
  await fran.keyboard.press('PageUp')
  await expect(pho.getByTestId('slide-count')).toHaveText('Slide 2 of 8')
  // Quick changes are followed to the end, by someone who never moved their view.
  await expect.poll(() => onSlide(pia, idOf('Now'))).toBe(true)
  await expect(pia.getByRole('button', { name: 'Back to the slide' })).toHaveCount(0)
  await pia.screenshot({ path: `${SHOTS}/audience-1280.png` })
  await fran.keyboard.press('Escape')
  await expect(pia.getByTestId('slide-bar')).toHaveCount(0)

  // A co-facilitator on a phone presents from the More menu.
  const cofa = await people.join('Cleo', {
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  })
  await cofa.goto(`${base}#f=${board.facilitatorSecret}`)
  await waitForSync(cofa)
  await cofa.getByTestId('more-menu').click()
  await cofa.getByRole('menuitem', { name: 'Present' }).click()
  await cofa.screenshot({ path: `${SHOTS}/chooser-phone.png` })
  await cofa.getByTestId('slide-chooser').getByRole('button', { name: 'Present 8 slides' }).click()
  await expect(cofa.getByTestId('presenter-count')).toHaveText('1 / 8')
  await expect(pho.getByTestId('slide-count')).toHaveText('Slide 1 of 8')
  await cofa.screenshot({ path: `${SHOTS}/presenter-phone.png` })
  await cofa.getByRole('button', { name: 'End' }).click()
  await expect(pho.getByTestId('slide-bar')).toHaveCount(0)
})

test('present-* over raw sockets: refused for a participant and a viewer, bad frames and slides refused, the slide kept through kill -9', async ({
  server,
}) => {
  const board = await boardWithRecords(server.url, freshId(), [
    ...FRAMES.slice(0, 4).map((f) => f.record),
  ])
  const four = FRAMES.slice(0, 4).map((f) => f.id)
  const fran = await personInWorkshop(
    server.url,
    board.roomId,
    board.facilitatorSecret,
    personKey(),
    'person-fran0001',
  )
  const pia = await personInWorkshop(
    server.url,
    board.roomId,
    board.participantKey,
    personKey(),
    'person-pia00001',
  )
  const vic = await workshopMember(server.url, board.roomId, undefined, personKey())
  const start = { type: 'present-start', frames: four, index: 0 }

  for (const who of [pia, vic]) {
    for (const action of [start, { type: 'present-go', index: 1 }, { type: 'present-stop' }]) {
      expect(await who.post(action)).toMatchObject({ status: 403 })
    }
  }
  const refusals: [object, number][] = [
    [{ ...start, frames: [...four.slice(0, 3), 'shape:nothere'] }, 409],
    [{ ...start, frames: [four[0], four[1], four[0]] }, 409],
    [{ ...start, index: 4 }, 409],
    [{ type: 'present-go', index: 0 }, 409],
    [{ ...start, frames: ['not a shape'] }, 400],
    [{ ...start, frames: [] }, 400],
    [{ ...start, index: -1 }, 400],
    [{ ...start, by: { personId: 'person-pia00001', name: 'Pia' } }, 400],
  ]
  for (const [action, status] of refusals) {
    expect(await fran.post(action), JSON.stringify(action)).toMatchObject({ status })
  }
  expect(pia.view()?.presenting).toBeNull()

  // The room is up: a sound presentation goes, and a bad slide now changes nothing.
  await fran.act({ type: 'present-start', frames: four, index: 0 })
  await fran.act({ type: 'present-go', index: 2 })
  expect(await fran.post({ type: 'present-go', index: 4 })).toMatchObject({ status: 409 })
  expect(await pia.post({ type: 'present-go', index: 3 })).toMatchObject({ status: 403 })
  await expect.poll(() => pia.view()?.presenting?.index).toBe(2)
  expect(vic.view()?.presenting).toMatchObject({
    frames: four,
    index: 2,
    by: { personId: 'person-fran0001' },
  })

  // Acknowledged, so kept: after kill -9 a newcomer is on slide 3.
  await server.crash()
  await server.restart()
  const late = await workshopMember(server.url, board.roomId, board.participantKey, personKey())
  await expect.poll(() => late.view()?.presenting?.index).toBe(2)
  for (const member of [fran, pia, vic, late]) member.socket.close()
})
