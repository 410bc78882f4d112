/**
 * Raised hands against the real PartyKit dev server. In the browser: three participants (one
 * on a 390 px phone) raise their hands by the button, the shortcut and the phone's More menu;
 * the facilitator hears of each, sees the queue in order with wait times that tick, and the
 * hands come down in order (one by its owner, one by the facilitator, the rest by Clear all).
 * Over raw sockets, as a modified client would speak: a hand raised for someone else, the
 * facilitator's actions from a participant, what a participant's socket is sent, and the
 * order across `kill -9`. Screenshots go to /tmp/hands for a person to look at.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { boardWithRecords } from '../support/raw-socket'
import { personInWorkshop } from '../support/raw-workshop'
import { createBoardAsFacilitator, joinByLink, shareLink } from './board-helpers'
import { expect, test } from './fixtures'

const SHOTS = process.env.HANDS_SHOTS ?? '/tmp/hands'
const DESKTOP = { viewport: { width: 1440, height: 900 } }
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true }

const handButton = (page: Page) => page.getByTestId('hand-button')

/** axe-core's serious and critical violations outside tldraw's canvas (as accessibility.spec). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).exclude('.tl-container').analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))
}

test('three hands go up by button, shortcut and phone, and come down in order', async ({
  people,
  server,
}) => {
  const fran = await people.join('Fran', DESKTOP)
  await createBoardAsFacilitator(fran, server.url)
  const link = await shareLink(fran, 'participant')
  const ana = await people.join('Ana', DESKTOP)
  await ana.goto(link)
  const ben = await joinByLink(people, 'Ben', link)
  const chen = await people.join('Chen', PHONE)
  await chen.goto(link)
  await expect(fran.getByTestId('hands-queue-button')).toHaveAccessibleName('Raised hands: none')

  // Ana presses the button; Ben the shortcut; Chen, on the phone, the More menu.
  await handButton(ana).click()
  await expect(handButton(ana)).toHaveText('Hand up · 1st')
  await expect(handButton(ana)).toHaveAttribute('aria-pressed', 'true')
  await expect(fran.getByText('Ana raised a hand')).toBeVisible()
  await expect(handButton(ben)).toHaveText('Raise hand')
  await ben.locator('.tl-canvas').click({ position: { x: 600, y: 400 } })
  await ben.keyboard.press('Alt+Shift+KeyY')
  await expect(handButton(ben)).toHaveText('Hand up · 2nd')
  await expect(handButton(chen)).toBeHidden()
  await chen.getByTestId('more-menu').click()
  await chen.getByTestId('more-hand').click()
  await expect(chen.getByTestId('hand-place')).toHaveText('3')
  await expect(handButton(chen)).toHaveAccessibleName('Lower hand (you are 3rd in line)')
  await expect(fran.getByTestId('hands-count')).toHaveText('3')
  await expect(fran.getByText('Chen raised a hand')).toBeVisible()

  // The people list says whose hand is up, and their place.
  await fran.getByTestId('presence').click()
  const person = (name: string) => fran.getByTestId('person').filter({ hasText: name })
  await expect(person('Ben').getByTestId('person-hand')).toHaveText('Hand up · 2nd')
  await expect(person('Fran').getByTestId('person-hand')).toHaveCount(0)
  await fran.keyboard.press('Escape')

  // The facilitator's shortcut opens the queue: in order, each with how long they have waited.
  await fran.locator('.tl-canvas').click({ position: { x: 700, y: 500 } })
  await fran.keyboard.press('Alt+Shift+KeyY')
  const queue = fran.getByTestId('raised-hand')
  await expect(queue).toHaveCount(3)
  await expect(queue.locator('.name')).toHaveText(['Ana', 'Ben', 'Chen'])
  const waits = fran.getByTestId('hand-waited')
  await expect(waits.first()).toHaveText(/^0:\d\d$/)
  const first = await waits.first().textContent()
  await expect(waits.first()).not.toHaveText(first!, { timeout: 3_000 })

  await fran.screenshot({ path: `${SHOTS}/facilitator-queue-1440.png` })
  await ana.screenshot({ path: `${SHOTS}/participant-hand-up-1440.png` })
  await chen.screenshot({ path: `${SHOTS}/phone-hand-up-390.png` })
  expect(await chen.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  for (const page of [fran, ana, chen]) expect(await seriousViolations(page)).toEqual([])

  // Ana lowers her own: Ben is next, Chen second.
  await handButton(ana).click()
  await expect(handButton(ana)).toHaveText('Raise hand')
  await expect(handButton(ben)).toHaveText('Hand up · 1st')
  await expect(handButton(chen)).toHaveAccessibleName('Lower hand (you are 2nd in line)')
  await expect(queue.locator('.name')).toHaveText(['Ben', 'Chen'])

  // The facilitator lowers Ben's.
  await fran.getByRole('button', { name: 'Lower Ben’s hand' }).click()
  await expect(handButton(ben)).toHaveText('Raise hand')
  await expect(handButton(chen)).toHaveAccessibleName('Lower hand (you are 1st in line)')
  await expect(queue.locator('.name')).toHaveText(['Chen'])

  // Clear all takes the rest: the phone's bar no longer shows a hand.
  await fran.getByTestId('hands-clear').click()
  await expect(handButton(chen)).toBeHidden()
  await expect(fran.getByText('No hands up.')).toBeVisible()
  await expect(fran.getByTestId('hands-count')).toBeHidden()
  await chen.getByTestId('more-menu').click()
  await expect(chen.getByTestId('more-hand')).toHaveText('Raise your hand')
  await chen.screenshot({ path: `${SHOTS}/phone-more-menu-390.png` })
})

const freshId = () =>
  `h${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)
const personKey = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')

test.afterEach(async ({ server }) => server.ensureRunning())

test('over a raw socket: no hand for someone else, no facilitator’s actions, no names, the order after kill -9', async ({
  server,
}) => {
  const { roomId, facilitatorSecret, participantKey } = await boardWithRecords(
    server.url,
    freshId(),
  )
  const franKey = personKey()
  let fran = await personInWorkshop(server.url, roomId, facilitatorSecret, franKey, 'person-fran01')
  const pia = await personInWorkshop(
    server.url,
    roomId,
    participantKey,
    personKey(),
    'person-pia001',
  )
  const quin = await personInWorkshop(
    server.url,
    roomId,
    participantKey,
    personKey(),
    'person-quin01',
  )
  const rex = await personInWorkshop(
    server.url,
    roomId,
    participantKey,
    personKey(),
    'person-rex001',
  )
  const vic = await personInWorkshop(server.url, roomId, undefined, personKey(), 'person-vic001')
  await quin.act({ type: 'name', name: 'Quinella' })
  await vic.act({ type: 'name', name: 'Victorine' })

  // A hand "for" Quin: not an action at all.
  const forQuin = await pia.post({ type: 'hand-raise', personId: 'person-quin01' })
  expect(forQuin.status).toBe(400)
  expect(await quin.post({ type: 'hand-raise' })).toEqual({ status: 200 })
  expect(await vic.post({ type: 'hand-raise' })).toEqual({ status: 200 })
  expect(await pia.post({ type: 'hand-raise' })).toEqual({ status: 200 })
  // Raising again keeps the place.
  expect(await quin.post({ type: 'hand-raise' })).toEqual({ status: 200 })

  // The facilitator's actions, from a participant: refused, and nothing changed.
  for (const action of [
    { type: 'hand-lower-for', personId: 'person-quin01' },
    { type: 'hands-clear' },
  ]) {
    const refused = await pia.post(action)
    expect(refused.status).toBe(403)
    expect(refused.error).toMatch(/participant cannot/)
  }
  expect((await rex.post({ type: 'hand-lower', extra: 1 })).status).toBe(400)

  await expect
    .poll(() => fran.view()?.hands.queue.map((hand) => hand.name))
    .toEqual(['Quinella', 'Victorine', 'Anonymous'])
  const raisedAt = fran.view()!.hands.queue.map((hand) => hand.raisedAt)
  await expect.poll(() => pia.view()?.hands).toEqual({ queue: [], mine: 3, count: 3 })
  expect(rex.view()?.hands).toEqual({ queue: [], mine: null, count: null })
  // Nothing a participant's socket carried names who else has a hand up.
  for (const who of [pia, rex]) {
    const wire = JSON.stringify(who.socket.messages)
    for (const secret of ['Quinella', 'Victorine', 'person-quin01', 'person-vic001']) {
      expect(wire).not.toContain(secret)
    }
  }

  // kill -9 after the hands were acknowledged: the same order and times come back.
  await server.crash()
  await server.restart()
  fran = await personInWorkshop(server.url, roomId, facilitatorSecret, franKey, 'person-fran01')
  await expect
    .poll(() => fran.view()?.hands.queue.map((hand) => [hand.personId, hand.raisedAt]))
    .toEqual([
      ['person-quin01', raisedAt[0]],
      ['person-vic001', raisedAt[1]],
      ['person-pia001', raisedAt[2]],
    ])
  // The room is up: the facilitator clears, and a newcomer raises a hand.
  expect(await fran.post({ type: 'hands-clear' })).toEqual({ status: 200 })
  const late = await personInWorkshop(
    server.url,
    roomId,
    participantKey,
    personKey(),
    'person-late01',
  )
  expect(await late.post({ type: 'hand-raise' })).toEqual({ status: 200 })
  await expect.poll(() => late.view()?.hands.mine).toBe(1)
  for (const member of [fran, pia, quin, rex, vic, late]) member.socket.close()
})
