/**
 * Running a workshop from the board, with a facilitator and participants in their own browser
 * contexts against the real PartyKit dev server: steps, the timer on the server's clock,
 * bring everyone here, follow and break away, the ready check, reactions; and, through raw
 * sockets and HTTP, that a participant cannot run any of it.
 */
import type { Page } from '@playwright/test'
import { facilitationPath } from '../../src/protocol'
import type { FacilitationAction } from '../../src/protocol/facilitation'
import { boardSocketPath, openRawSocket } from '../support/raw-socket'
import { joinByLink, shareLink, waitForSync } from './board-helpers'
import { expect, test, type People } from './fixtures'

async function workshop(people: People, serverUrl: string, participants: string[]) {
  const fran = await people.join('Fran')
  await fran.goto(`${serverUrl}/new?template=four-framework-jobs`)
  await fran.waitForURL(/\/b\//)
  await waitForSync(fran)
  const roomId = new URL(fran.url()).pathname.split('/')[2]
  const link = await shareLink(fran, 'participant')
  const others: Page[] = []
  for (const name of participants) others.push(await joinByLink(people, name, link))
  return { fran, others, roomId, link }
}

/** Seconds left on a page's timer badge ("4:58" → 298). */
async function secondsLeft(page: Page): Promise<number> {
  const text = (await page.getByTestId('time-left').textContent()) ?? ''
  const [m, s] = text.replace('+', '').split(':').map(Number)
  return (text.startsWith('+') ? -1 : 1) * (m * 60 + s)
}

const viewCentre = (page: Page) =>
  page.evaluate(() => {
    const b = window.editor.getViewportPageBounds()
    return { x: b.x + b.w / 2, y: b.y + b.h / 2 }
  })

test('steps, the timer and the ready check, agreed by everyone, a reload and a late joiner', async ({
  people,
  server,
}) => {
  test.setTimeout(120_000)
  const { fran, others, link } = await workshop(people, server.url, ['Pia', 'Per'])
  const [pia, per] = others

  await fran.getByTestId('step-bar').getByRole('button', { name: /Start/ }).click()
  for (const page of [fran, pia, per]) {
    await expect(page.getByTestId('step-title')).toContainText('Step 1 of 5')
    await expect(page.getByTestId('step-title')).toContainText('List the frameworks')
  }

  // Alt+Shift+T starts the timer for the step's 8 minutes.
  await fran.keyboard.press('Alt+Shift+T')
  await expect(pia.getByTestId('time-left')).toHaveText(/^7:5\d|^8:00/)
  const reference = await secondsLeft(fran)
  expect(Math.abs((await secondsLeft(pia)) - reference)).toBeLessThanOrEqual(1)

  await pia.reload()
  await waitForSync(pia)
  await expect(pia.getByTestId('time-left')).toBeVisible()
  const late = await joinByLink(people, 'Lou', link)
  await expect(late.getByTestId('time-left')).toBeVisible()
  const now = await secondsLeft(fran)
  expect(Math.abs((await secondsLeft(pia)) - now)).toBeLessThanOrEqual(1)
  expect(Math.abs((await secondsLeft(late)) - now)).toBeLessThanOrEqual(1)

  // Pause holds for everyone; resume and stop come from the facilitator's menu.
  await fran.getByTestId('timer').click()
  await fran.getByRole('button', { name: 'Pause' }).click()
  await expect(per.getByTestId('timer')).toHaveAccessibleName(/paused/)
  const paused = await secondsLeft(per)
  await fran.getByRole('button', { name: '1 min' }).click()
  await expect.poll(() => secondsLeft(per)).toBe(paused + 60)
  await fran.getByRole('button', { name: 'Stop' }).click()
  await fran.keyboard.press('Escape')
  await expect(per.getByTestId('time-left')).toHaveCount(0)

  // The ready check: who is done, and a fresh start on the next step.
  await expect(fran.getByTestId('ready-count')).toHaveText(/0\/3 done/)
  await pia.getByTestId('ready').click()
  await expect(fran.getByTestId('ready-count')).toHaveText(/1\/3 done/)
  await fran.getByTestId('ready-count').click()
  const notDone = fran.locator('.ready-list li')
  await expect(notDone).toHaveText(['Per', 'Lou'])
  await fran.keyboard.press('Escape')

  await fran.keyboard.press('Alt+Shift+N')
  await expect(per.getByTestId('step-title')).toContainText('Step 2 of 5')
  await expect(fran.getByTestId('ready-count')).toHaveText(/0\/3 done/)
  await expect(pia.getByTestId('ready')).toHaveAttribute('aria-pressed', 'false')
})

test('bring everyone here, follow me, and a participant breaking away', async ({
  people,
  server,
}) => {
  const { fran, others } = await workshop(people, server.url, ['Pia'])
  const [pia] = others
  // Fran looks somewhere else entirely, then brings everyone there.
  await fran.evaluate(() => {
    window.editor.setCamera({ x: -3000, y: -200, z: 1 })
  })
  await fran.getByRole('button', { name: 'Bring everyone here' }).click()
  const franCentre = await viewCentre(fran)
  await expect
    .poll(async () => {
      const c = await viewCentre(pia)
      return Math.hypot(c.x - franCentre.x, c.y - franCentre.y)
    })
    .toBeLessThan(50)

  await fran.getByRole('button', { name: 'Follow me' }).click()
  await expect(pia.getByTestId('follow-bar')).toContainText('Following Fran')
  await expect(fran.getByRole('button', { name: /Following: 1/ })).toBeVisible()
  await fran.evaluate(() => {
    window.editor.setCamera({ x: 500, y: 300, z: 1 })
  })
  const moved = await viewCentre(fran)
  await expect
    .poll(async () => {
      const c = await viewCentre(pia)
      return Math.hypot(c.x - moved.x, c.y - moved.y)
    })
    .toBeLessThan(50)

  // Escape breaks away; the facilitator sees it, and Pia may follow again.
  await pia.locator('.tl-canvas').click({ position: { x: 600, y: 500 } })
  await pia.keyboard.press('Escape')
  await expect(pia.getByTestId('follow-bar')).toContainText('Fran asks everyone to follow')
  await expect(fran.getByRole('button', { name: /Following: 0/ })).toBeVisible()
  await pia.getByTestId('follow-bar').getByRole('button', { name: 'Follow' }).click()
  await expect(pia.getByTestId('follow-bar')).toContainText('Following Fran')

  await fran.getByRole('button', { name: /Following: 1/ }).click()
  await expect(pia.getByTestId('follow-bar')).toHaveCount(0)
})

test('reactions float for everyone; a flood of them is refused', async ({ people, server }) => {
  const { fran, others } = await workshop(people, server.url, ['Pia'])
  const [pia] = others
  await pia.getByRole('button', { name: 'React' }).click()
  await pia.getByRole('button', { name: 'Celebrate' }).click()
  await expect(fran.locator('.reaction').filter({ hasText: 'Pia' })).toContainText('🎉')
  for (let i = 0; i < 5; i++) {
    await pia.getByRole('button', { name: 'React' }).click()
    await pia.getByRole('button', { name: 'Thumbs up' }).click()
  }
  await expect(pia.getByText('Too many reactions at once')).toBeVisible()
})

test('the timer at zero flashes and counts over time; the chime can be muted here', async ({
  people,
  server,
}) => {
  const { fran, others, roomId } = await workshop(people, server.url, ['Pia'])
  const [pia] = others
  await fran.getByTestId('timer').click()
  await fran.getByRole('button', { name: 'Chime at zero' }).click()
  await fran.getByLabel('Minutes').fill('1')
  await fran.locator('.timer-menu').getByRole('button', { name: 'Start' }).click()
  await fran.keyboard.press('Escape')
  await expect(pia.getByTestId('time-left')).toHaveText(/^(0:5\d|1:00)$/)
  await fran.reload()
  await waitForSync(fran)
  await fran.getByTestId('timer').click()
  await expect(fran.getByRole('button', { name: /muted on this device/ })).toHaveAttribute(
    'aria-pressed',
    'true',
  )
  await fran.keyboard.press('Escape')

  // The shortest timer the server takes (5 s), from a co-facilitator's raw socket: at zero the
  // badge flashes, then counts the time over.
  const secret = await fran.evaluate(
    (id) => (JSON.parse(localStorage.getItem('switchback:boards')!)[id] as { f: string }).f,
    roomId,
  )
  const { socket, token } = await welcomeToken(server.url, roomId, secret, 'person-cofac001')
  const started = await fetch(`${server.url}${facilitationPath(roomId)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: JSON.stringify({ type: 'timer-start', durationMs: 5_000 }),
  })
  expect(started.status).toBe(200)
  await expect(pia.getByTestId('timer')).toHaveClass(/flash/, { timeout: 10_000 })
  await expect(pia.getByTestId('time-left')).toHaveText(/^\+0:0\d$/)
  await expect(pia.getByTestId('timer')).toHaveClass(/over/)
  await expect(pia.getByTestId('timer')).toHaveAccessibleName(/over time/)
  socket.close()
})

/**
 * A raw socket in the workshop and its token: connect with a ticket for `secret`, wait for the
 * welcome. The token is good while the socket stays open.
 */
async function welcomeToken(serverUrl: string, roomId: string, secret: string, person: string) {
  const socket = await openRawSocket(
    serverUrl,
    await boardSocketPath(serverUrl, roomId, secret, { u: person }),
  )
  await socket.handshake()
  for (;;) {
    const message = (await socket.next('custom')) as unknown as {
      data: { type: string; token?: string }
    }
    if (message.data.type === 'welcome' && message.data.token) {
      return { socket, token: message.data.token }
    }
  }
}

test('a participant cannot run the workshop, even through the raw protocol', async ({
  people,
  server,
}) => {
  const { roomId, link } = await workshop(people, server.url, [])
  const key = new URL(link).hash.replace('#k=', '')
  const { socket, token } = await welcomeToken(server.url, roomId, key, 'person-raw00001')
  const post = (action: FacilitationAction | object) =>
    fetch(`${server.url}${facilitationPath(roomId)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify(action),
    })
  const forbidden: FacilitationAction[] = [
    { type: 'step', step: { instance: 'x', index: 0 }, bringEveryone: true },
    { type: 'timer-start', durationMs: 60_000 },
    { type: 'timer-pause' },
    { type: 'timer-resume' },
    { type: 'timer-add-minute' },
    { type: 'timer-stop' },
    { type: 'summon', bounds: { x: 0, y: 0, w: 10, h: 10 } },
    { type: 'follow-start' },
    { type: 'follow-stop' },
  ]
  for (const action of forbidden) {
    const response = await post(action)
    expect(response.status, action.type).toBe(403)
    expect(((await response.json()) as { error: string }).error).toContain('participant cannot')
  }
  expect((await post({ type: 'ready', done: true })).status).toBe(200)
  expect((await post({ type: 'timer-start', durationMs: -5 })).status).toBe(400)
  expect((await post({ nonsense: true })).status).toBe(400)
  const wrongToken = await fetch(`${server.url}${facilitationPath(roomId)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${'x'.repeat(43)}` },
    body: JSON.stringify({ type: 'react', reaction: '👍', at: { x: 0, y: 0 } }),
  })
  expect(wrongToken.status).toBe(401)
  socket.close()
})

test('kill -9 with a running timer and a chosen step: both come back', async ({
  people,
  server,
}) => {
  const { fran, others } = await workshop(people, server.url, ['Pia'])
  const [pia] = others
  await fran.getByTestId('step-bar').getByRole('button', { name: /Start/ }).click()
  await expect(fran.getByTestId('step-title')).toContainText('Step 1 of 5')
  await fran.keyboard.press('Alt+Shift+N')
  await expect(pia.getByTestId('step-title')).toContainText('Step 2 of 5')
  await fran.keyboard.press('Alt+Shift+T')
  await expect(pia.getByTestId('time-left')).toBeVisible()
  const before = await secondsLeft(pia)

  await server.crash()
  await server.restart()
  await pia.reload()
  await waitForSync(pia)
  await expect(pia.getByTestId('step-title')).toContainText('Step 2 of 5')
  await expect(pia.getByTestId('time-left')).toBeVisible()
  const after = await secondsLeft(pia)
  expect(after).toBeLessThanOrEqual(before)
  expect(after).toBeGreaterThan(before - 60)
})
