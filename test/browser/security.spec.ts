/**
 * The app under its security policy: the headers on every page, the whole app working with
 * the Content-Security-Policy on (the fixtures fail any test in which the browser reports a
 * violation), and role badges that only the server decides.
 */
import { readFile } from 'node:fs/promises'
import { InstancePresenceRecordType } from '@tldraw/tlschema'
import { PNG } from 'pngjs'
import {
  createBoardAsFacilitator,
  drawWithMouse,
  expectShapeTypes,
  facilitatorAndParticipant,
  shapesOn,
} from './board-helpers'
import { expect, test } from './fixtures'
import { boardSocketPath, openRawSocket } from '../support/raw-socket'

test('every page of the app carries the policy and the other security headers', async ({
  server,
}) => {
  const origin = new URL(server.url)
  const pages = ['/', '/new', `/b/${'a'.repeat(22)}`, '/new?template=retro', '/no-such-page']
  for (const path of pages) {
    const page = await fetch(`${server.url}${path}`)
    expect(page.status, path).toBe(path === '/no-such-page' ? 404 : 200)
    expect(page.headers.get('content-type'), path).toMatch(/^text\/html/)
    const policy = page.headers.get('content-security-policy') ?? ''
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "img-src 'self' data: blob:",
      "font-src 'self' data: blob:",
      `connect-src 'self' ws://${origin.host}`,
    ]) {
      expect(policy, path).toContain(directive)
    }
    // Styles: our files, and only the <style>s that carry this response's nonce.
    const nonce = /style-src 'self' 'nonce-([A-Za-z0-9+/=]+)'(;|$)/.exec(policy)?.[1]
    expect(nonce, path).toBeTruthy()
    expect(policy).not.toMatch(/unsafe-(inline|eval)/)
    const html = await page.text()
    expect(html).toContain(`<meta name="csp-style-nonce" content="${nonce}">`)
    expect(html).toContain('http-equiv="Content-Security-Policy"')
    expect(page.headers.get('x-content-type-options'), path).toBe('nosniff')
    expect(page.headers.get('referrer-policy'), path).toBe('no-referrer')
    expect(page.headers.get('cache-control'), path).toBe('no-store')
  }
  // A fresh nonce for every page.
  const nonces = await Promise.all(
    [1, 2].map(async () => (await fetch(server.url)).headers.get('content-security-policy')),
  )
  expect(nonces[0]).not.toBe(nonces[1])
  // The server's own answers are not sniffed either.
  const api = await fetch(`${server.url}/parties/board/${'a'.repeat(22)}`)
  expect(api.headers.get('x-content-type-options')).toBe('nosniff')
})

test('the app works under the policy: draw, paste an image, export, snapshots', async ({
  people,
  server,
}) => {
  const alice = await people.join('Alice')
  await alice.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: server.url,
  })
  await createBoardAsFacilitator(alice, server.url)
  await drawWithMouse(alice, 'rectangle', { x: 300, y: 250 }, { x: 450, y: 350 })
  await expectShapeTypes(alice, ['geo'])

  // Paste an image from the clipboard, as a person would.
  const png = new PNG({ width: 40, height: 30 })
  png.data.fill(120)
  const base64 = PNG.sync.write(png).toString('base64')
  await alice.evaluate(async (data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0))
    const blob = new Blob([bytes], { type: 'image/png' })
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })])
  }, base64)
  await alice.mouse.click(640, 500)
  await alice.keyboard.press('Control+V')
  await expectShapeTypes(alice, ['geo', 'image'])

  // A PNG of the whole board, then a deck, drawn by tldraw under the policy.
  await alice.keyboard.press('Alt+Shift+E')
  const dialog = alice.getByTestId('export-dialog')
  const [image] = await Promise.all([
    alice.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Download PNG' }).click(),
  ])
  const exported = PNG.sync.read(await readFile(await image.path()))
  expect(exported.width).toBeGreaterThan(100)
  await alice.keyboard.press('Alt+Shift+E')
  const [deck] = await Promise.all([
    alice.waitForEvent('download'),
    dialog.getByRole('button', { name: /PowerPoint/ }).click(),
  ])
  expect((await readFile(await deck.path())).subarray(0, 2).toString()).toBe('PK')

  await alice.keyboard.press('Alt+Shift+P')
  const panel = alice.getByTestId('snapshots')
  await panel.getByRole('button', { name: 'Take a snapshot' }).click()
  await expect(panel.getByTestId('snapshot')).toHaveCount(1)
  await expect
    .poll(() =>
      panel
        .getByTestId('snapshot')
        .locator('img')
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    )
    .toBeGreaterThan(0)
  expect((await shapesOn(alice)).length).toBe(2)
})

test('the role beside a name is the server’s: a viewer cannot present as the facilitator', async ({
  people,
  server,
}) => {
  const { alice, bob, roomId } = await facilitatorAndParticipant(people, server.url)

  // A viewer's socket, whose presence says it is Alice the facilitator.
  const viewer = await openRawSocket(server.url, await boardSocketPath(server.url, roomId))
  expect(await viewer.handshake()).toMatchObject({ isReadonly: true })
  const forged = InstancePresenceRecordType.create({
    id: InstancePresenceRecordType.createId('forged'),
    currentPageId: 'page:page' as never,
    userId: 'user:someone-else' as never,
    userName: 'Alice (Facilitator)',
    color: '#1971c2',
    lastActivityTimestamp: Date.now(),
  })
  // (A presence push has no answer; the others showing it is the signal.)
  viewer.send({ type: 'push', clientClock: 1, presence: ['put', forged] })

  for (const page of [alice, bob]) {
    await page.getByTestId('presence').click()
    const people = page.getByTestId('person')
    await expect(people).toHaveCount(3)
    const row = (name: string) =>
      people.filter({ has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) })
    // The forged presence gets the viewer's badge, whatever its name says.
    await expect(row('Alice \\(Facilitator\\)')).toContainText('View only')
    await expect(row('Alice')).toContainText('Facilitator')
    await expect(row('Bob')).toContainText('Participant')
  }
  await alice.screenshot({
    path: 'test-results/people-list-roles.png',
    clip: { x: 780, y: 0, width: 500, height: 300 },
  })
  viewer.close()
})
