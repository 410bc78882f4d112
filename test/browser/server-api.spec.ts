/**
 * The server's edges, spoken to directly: HTTP requests, and sync sockets that misbehave.
 * The browser is here to show that the room stays up for the people in it.
 */
import {
  createBoardAsFacilitator,
  drawWithMouse,
  expectShapeTypes,
  serverShapes,
} from './board-helpers'
import { expect, test } from './fixtures'
import { boardSocketPath, openRawSocket, pushNewShape } from '../support/raw-socket'

const createBoard = async (serverUrl: string, roomId: string, body: unknown = {}) =>
  fetch(`${serverUrl}/parties/board/${roomId}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  })

const freshId = () =>
  `t${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

test('HTTP: creation, backup, and clear errors for bad requests', async ({ server }) => {
  const malformed = await fetch(`${server.url}/parties/board/not-a-board`)
  expect(malformed.status).toBe(400)
  expect((await malformed.json()).error).toMatch(/Malformed board id/)

  const roomId = freshId()
  const missing = await fetch(`${server.url}/parties/board/${roomId}`)
  expect(missing.status).toBe(404)
  expect((await missing.json()).error).toMatch(/No board/)

  const badBody = await createBoard(server.url, roomId, { title: 42 })
  expect(badBody.status).toBe(400)
  expect((await badBody.json()).error).toMatch(/title/)
  expect((await fetch(`${server.url}/parties/board/${roomId}`)).status).toBe(404)

  // What another site's page could send without a preflight (a form, a text/plain fetch), and
  // a JSON one from another origin: refused, and no board is made.
  const path = `${server.url}/parties/board/${roomId}`
  const body = JSON.stringify({ title: 'Forged' })
  const plain = await fetch(path, { method: 'POST', body })
  expect(plain.status).toBe(415)
  const form = await fetch(path, { method: 'POST', body: new URLSearchParams({ title: 'x' }) })
  expect(form.status).toBe(415)
  const json = { 'Content-Type': 'application/json' }
  const crossSite: Record<string, string>[] = [
    { Origin: 'https://evil.example' },
    { 'Sec-Fetch-Site': 'cross-site' },
  ]
  for (const from of crossSite) {
    const forged = await fetch(path, { method: 'POST', body, headers: { ...json, ...from } })
    expect(forged.status).toBe(403)
  }
  expect((await fetch(path)).status).toBe(404)

  const created = await createBoard(server.url, roomId, { title: 'Design review' })
  expect(created.status).toBe(201)
  const secrets = await created.json()
  expect(secrets).toMatchObject({ roomId, title: 'Design review' })
  expect(secrets.facilitatorSecret).toMatch(/^[A-Za-z0-9_-]{43}$/)

  const again = await createBoard(server.url, roomId)
  expect(again.status).toBe(409)

  const backup = await fetch(`${server.url}/parties/board/${roomId}`)
  expect(backup.headers.get('content-type')).toMatch(/application\/json/)
  const snapshot = await backup.json()
  expect(snapshot.store['document:document'].name).toBe('Design review')
  expect(snapshot.schema.schemaVersion).toBeGreaterThan(0)
  expect(JSON.stringify(snapshot)).not.toContain(secrets.facilitatorSecret)
})

test('sockets: unknown boards and wrong keys are refused with a reason', async ({ server }) => {
  const unknown = await openRawSocket(server.url, `/parties/board/${freshId()}`)
  expect(await unknown.closed).toEqual({ code: 4099, reason: 'NOT_FOUND' })

  const roomId = freshId()
  const created = await createBoard(server.url, roomId)
  const { participantKey } = await created.json()
  const wrongKey = await fetch(`${server.url}/parties/board/${roomId}/tickets`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${'A'.repeat(43)}` },
  })
  expect(wrongKey.status).toBe(403)
  // A ticket nobody issued, one used already, junk, and a secret in the URL, where logs keep
  // it (refused even when right): all FORBIDDEN, never a quiet downgrade to viewer.
  const used = await boardSocketPath(server.url, roomId, participantKey)
  const first = await openRawSocket(server.url, used)
  expect(await first.handshake()).toMatchObject({ type: 'connect', isReadonly: false })
  for (const query of [
    `t=${'A'.repeat(43)}`,
    used.split('?')[1],
    't=hello',
    `k=${participantKey}`,
  ]) {
    const refused = await openRawSocket(server.url, `/parties/board/${roomId}?${query}`)
    expect(await refused.closed, query).toEqual({ code: 4099, reason: 'FORBIDDEN' })
  }
  first.close()
})

test('a viewer’s socket cannot write, even through the raw protocol', async ({ server }) => {
  const roomId = freshId()
  await createBoard(server.url, roomId)
  const viewer = await openRawSocket(server.url, `/parties/board/${roomId}`)
  const welcome = await viewer.handshake()
  expect(welcome).toMatchObject({ type: 'connect', isReadonly: true })
  viewer.send(pushNewShape('shape:viewer-wrote-this'))
  expect(await viewer.next('push_result')).toMatchObject({ action: 'discard' })
  expect(await serverShapes(server.url, roomId)).toEqual([])
  viewer.close()
})

test('a malformed or oversized frame closes only that socket; the room carries on', async ({
  people,
  server,
}) => {
  const alice = await people.join('Alice')
  const roomId = await createBoardAsFacilitator(alice, server.url)
  const { participantKey } = await alice
    .evaluate(
      (id) => JSON.parse(localStorage.getItem('switchback:boards')!)[id] as { k: string },
      roomId,
    )
    .then((b) => ({ participantKey: b.k }))
  const path = () => boardSocketPath(server.url, roomId, participantKey)

  const garbage = await openRawSocket(server.url, await path())
  await garbage.handshake()
  garbage.send('this is not a sync message')
  expect(await garbage.closed).toEqual({ code: 1008, reason: 'not JSON' })

  const wrongShape = await openRawSocket(server.url, await path())
  await wrongShape.handshake()
  wrongShape.send({ type: 'push', clientClock: 'tomorrow' })
  expect((await wrongShape.closed).reason).toMatch(/clientClock/)

  const huge = await openRawSocket(server.url, await path())
  await huge.handshake()
  huge.send(`{"type":"ping","pad":"${'x'.repeat(1_100_000)}"}`)
  expect((await huge.closed).code).toBe(1009)

  // Everyone else is still connected and editing.
  const honest = await openRawSocket(server.url, await path())
  await honest.handshake()
  honest.send(pushNewShape('shape:honest'))
  expect(await honest.next('push_result')).toMatchObject({ action: 'commit' })
  await drawWithMouse(alice, 'rectangle', { x: 300, y: 250 }, { x: 450, y: 350 })
  await expectShapeTypes(alice, ['geo', 'geo'])
  // Alice's rectangle is on her screen at once; on the server once her push has landed.
  await expect.poll(async () => (await serverShapes(server.url, roomId)).length).toBe(2)
  honest.close()
})
