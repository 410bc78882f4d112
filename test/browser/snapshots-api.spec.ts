/**
 * Snapshots kept by the server, spoken to over HTTP and the raw sync protocol against the real
 * `partykit dev`: uploads past one storage value, refusals that store nothing, restore (for
 * connected clients, across a kill -9, racing a participant's pushes, with a participant
 * offline) with the safety copy the server keeps, and the people count.
 */
import { PNG } from 'pngjs'
import {
  SNAPSHOT_FORM,
  SNAPSHOT_LIMITS,
  peoplePath,
  restoreSnapshotResponseSchema,
  snapshotBoardPath,
  snapshotImagePath,
  snapshotListSchema,
  snapshotRestorePath,
  snapshotSummarySchema,
  snapshotPath,
  snapshotsPath,
  type SnapshotSummary,
} from '../../src/protocol'
import { MAX_UPLOAD_BYTES } from '../../src/server/snapshots/snapshot-http'
import { drawWithMouse, expectShapeTypes, joinByLink, serverShapes } from './board-helpers'
import { expect, test } from './fixtures'
import { boardSocketPath, openRawSocket, pushNewShape } from '../support/raw-socket'

test.afterEach(async ({ server }) => server.ensureRunning())

const freshId = () =>
  `s${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

/** 1600 × 900 of noise: noise does not compress, so the PNG is megabytes, many storage values. */
const noisyPng = (() => {
  const png = new PNG({ width: 1600, height: 900 })
  for (let i = 0; i < png.data.length; i++) png.data[i] = (Math.random() * 256) | 0
  return new Uint8Array(PNG.sync.write(png))
})()

interface Board {
  roomId: string
  facilitatorSecret: string
  participantKey: string
  url(path: string): string
}

async function createBoard(serverUrl: string, title = 'Snapshot board'): Promise<Board> {
  const roomId = freshId()
  const created = await fetch(`${serverUrl}/parties/board/${roomId}`, {
    method: 'POST',
    body: JSON.stringify({ title }),
    headers: { 'Content-Type': 'application/json' },
  })
  expect(created.status).toBe(201)
  const { facilitatorSecret, participantKey } = await created.json()
  return { roomId, facilitatorSecret, participantKey, url: (path) => `${serverUrl}${path}` }
}

const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` })

async function boardFile(board: Board): Promise<string> {
  const response = await fetch(board.url(`/parties/board/${board.roomId}`))
  expect(response.status).toBe(200)
  return response.text()
}

function form(parts: { image?: Blob | null; board?: string | Blob | null; title?: string }) {
  const body = new FormData()
  if (parts.image !== null) {
    body.set(SNAPSHOT_FORM.image, parts.image ?? new Blob([noisyPng], { type: 'image/png' }))
  }
  if (parts.board !== null && parts.board !== undefined) body.set(SNAPSHOT_FORM.board, parts.board)
  if (parts.title !== undefined) body.set(SNAPSHOT_FORM.title, parts.title)
  return body
}

async function takeSnapshot(
  board: Board,
  parts: Parameters<typeof form>[0],
  headers: Record<string, string> = bearer(board.facilitatorSecret),
) {
  return fetch(board.url(snapshotsPath(board.roomId)), {
    method: 'POST',
    headers,
    body: form(parts),
  })
}

async function listed(board: Board): Promise<SnapshotSummary[]> {
  const response = await fetch(board.url(snapshotsPath(board.roomId)))
  expect(response.status).toBe(200)
  return snapshotListSchema.parse(await response.json()).snapshots
}

const shapeIds = async (serverUrl: string, roomId: string) =>
  (await serverShapes(serverUrl, roomId)).map((s) => (s as unknown as { id: string }).id).sort()

test('a snapshot past one storage value: taken, listed, served, kept across a crash, deleted', async ({
  server,
}) => {
  expect(noisyPng.byteLength).toBeGreaterThan(20 * 128 * 1024)
  const board = await createBoard(server.url)
  const file = await boardFile(board)

  const taken = await takeSnapshot(board, { board: file, title: 'After the first round' })
  expect(taken.status).toBe(201)
  const summary = pictured(await taken.json())
  expect(summary).toMatchObject({ title: 'After the first round', width: 1600, height: 900 })
  expect(summary.url).toBe(board.url(snapshotImagePath(board.roomId, summary.id)))
  expect(summary.createdAt).toBeGreaterThan(Date.now() - 60_000)

  // Untitled: named by its place.
  const second = await takeSnapshot(board, {
    board: new Blob([file], { type: 'application/json' }),
    image: new Blob([pngOf(320, 200)], { type: 'image/png' }),
  })
  expect(second.status).toBe(201)
  const secondSummary = snapshotSummarySchema.parse(await second.json())
  expect(secondSummary).toMatchObject({ title: 'Snapshot 2', width: 320, height: 200 })
  expect(await listed(board)).toEqual([secondSummary, summary])

  const checkImage = async () => {
    const image = await fetch(summary.url)
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect(image.headers.get('content-length')).toBe(String(noisyPng.byteLength))
    expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(image.headers.get('etag')).toBe(`"${summary.id}"`)
    expect(image.headers.get('access-control-allow-origin')).toBe('*')
    expect(Buffer.from(await image.arrayBuffer()).equals(Buffer.from(noisyPng))).toBe(true)
  }
  await checkImage()
  const json = await fetch(board.url(snapshotBoardPath(board.roomId, summary.id)))
  expect(json.status).toBe(200)
  expect((await json.json()).store).toEqual(JSON.parse(file).store)

  await server.crash()
  await server.restart()
  await checkImage()
  expect(await listed(board)).toEqual([secondSummary, summary])

  const remove = (headers: Record<string, string>) =>
    fetch(board.url(snapshotPath(board.roomId, summary.id)), {
      method: 'DELETE',
      headers,
    })
  expect((await remove({})).status).toBe(403)
  expect((await remove(bearer(board.participantKey))).status).toBe(403)
  expect(await listed(board)).toHaveLength(2)
  expect((await remove(bearer(board.facilitatorSecret))).status).toBe(204)
  expect(await listed(board)).toEqual([secondSummary])
  const gone = await fetch(summary.url)
  expect(gone.status).toBe(404)
  expect((await gone.json()).error).toBe(`This board has no snapshot "${summary.id}".`)
  expect((await remove(bearer(board.facilitatorSecret))).status).toBe(404)
})

test('bad uploads and strangers are refused, and the list is unchanged after each', async ({
  server,
}) => {
  const board = await createBoard(server.url)
  const file = await boardFile(board)
  expect((await takeSnapshot(board, { board: file })).status).toBe(201)
  const before = await listed(board)
  const refused = async (response: Response, status: number, message?: RegExp) => {
    expect(response.status).toBe(status)
    const body = await response.json()
    expect(Object.keys(body)).toEqual(['error'])
    if (message) expect(body.error).toMatch(message)
    expect(await listed(board)).toEqual(before)
  }

  // No secret, the participant key, a wrong secret: 403, though megabytes were sent.
  await refused(await takeSnapshot(board, { board: file }, {}), 403, /facilitator secret/)
  await refused(
    await takeSnapshot(board, { board: file }, bearer(board.participantKey)),
    403,
    /not this board’s facilitator secret/,
  )
  await refused(await takeSnapshot(board, { board: file }, bearer('A'.repeat(43))), 403)

  // Not a multipart form.
  await refused(
    await fetch(board.url(snapshotsPath(board.roomId)), {
      method: 'POST',
      headers: { ...bearer(board.facilitatorSecret), 'Content-Type': 'application/json' },
      body: JSON.stringify({ board: JSON.parse(file) }),
    }),
    415,
    /multipart\/form-data/,
  )
  // A JPEG, and garbage, sent as image/png.
  const jpeg = new Uint8Array([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x10,
    ...'JFIF'.split('').map((c) => c.charCodeAt(0)),
    ...new Array(2000).fill(0x41),
  ])
  await refused(
    await takeSnapshot(board, { board: file, image: new Blob([jpeg], { type: 'image/png' }) }),
    415,
    /not a PNG/,
  )
  await refused(
    await takeSnapshot(board, {
      board: file,
      image: new Blob([noisyPng.slice(40)], { type: 'image/png' }),
    }),
    415,
  )
  // Over the limits: the whole upload (declared length), the image alone, and a streamed body.
  const huge = new Uint8Array(MAX_UPLOAD_BYTES + 1024)
  huge.set(noisyPng)
  await refused(
    await takeSnapshot(board, { board: file, image: new Blob([huge], { type: 'image/png' }) }),
    413,
    /upload is over/,
  )
  const bigImage = huge.slice(0, SNAPSHOT_LIMITS.maxImageBytes + 1)
  await refused(
    await takeSnapshot(board, { board: file, image: new Blob([bigImage], { type: 'image/png' }) }),
    413,
    /image is over 12 MiB/,
  )
  const chunk = new Uint8Array(1024 * 1024)
  let sent = 0
  const streamed = await fetch(board.url(snapshotsPath(board.roomId)), {
    method: 'POST',
    headers: {
      ...bearer(board.facilitatorSecret),
      'Content-Type': 'multipart/form-data; boundary=xyz',
    },
    body: new ReadableStream({
      pull(controller) {
        if (sent > MAX_UPLOAD_BYTES) return controller.close()
        controller.enqueue(chunk)
        sent += chunk.byteLength
      },
    }),
    duplex: 'half',
  } as RequestInit)
  await refused(streamed, 413)

  // A board that is not a tldraw board, and one with an invalid shape; a bad title.
  await refused(await takeSnapshot(board, { board: '{"nope":1}' }), 400, /store snapshot/)
  const broken = JSON.parse(file)
  broken.store['shape:broken'] = { id: 'shape:broken', typeName: 'shape', type: 'geo', x: 'left' }
  await refused(
    await takeSnapshot(board, { board: JSON.stringify(broken) }),
    400,
    /store\["shape:broken"\]/,
  )
  await refused(await takeSnapshot(board, { board: file, title: 't'.repeat(200) }), 400, /title/)
  await refused(await takeSnapshot(board, { board: null }), 400, /no "board"/)

  // A board that was never created, a malformed snapshot id, wrong methods, unknown paths.
  const nowhere = { ...board, roomId: freshId() }
  await expect(takeSnapshot(nowhere, { board: file })).resolves.toMatchObject({ status: 404 })
  expect((await fetch(board.url(snapshotImagePath(board.roomId, 'no!')))).status).toBe(400)
  const put = await fetch(board.url(snapshotsPath(board.roomId)), { method: 'PUT' })
  expect(put.status).toBe(405)
  expect(put.headers.get('allow')).toBe('GET, POST')
  expect(
    (await fetch(board.url(`${snapshotsPath(board.roomId)}/${before[0].id}/undo`))).status,
  ).toBe(404)
  expect((await fetch(board.url(`/parties/board/${board.roomId}/elsewhere`))).status).toBe(404)
  // The board itself carries on.
  expect(JSON.parse(await boardFile(board)).store['document:document'].name).toBe('Snapshot board')
  expect(await listed(board)).toEqual(before)
})

test('restore: the board becomes the snapshot, for connected clients too, and stays so after a crash', async ({
  people,
  server,
}) => {
  const board = await createBoard(server.url)
  const socket = await openRawSocket(
    server.url,
    await boardSocketPath(server.url, board.roomId, board.participantKey),
  )
  await socket.handshake()
  socket.send(pushNewShape('shape:kept'))
  expect(await socket.next('push_result')).toMatchObject({ action: 'commit' })

  // A person in the browser too, to see the restore arrive in a real tldraw client.
  const facilitatorLink = `${server.url}/b/${board.roomId}#f=${board.facilitatorSecret}`
  const alice = await joinByLink(people, 'Alice', facilitatorLink)
  await expectShapeTypes(alice, ['geo'])

  const taken = await takeSnapshot(board, { board: await boardFile(board) })
  expect(taken.status).toBe(201)
  const { id } = await taken.json()

  socket.send(pushNewShape('shape:later', 2))
  expect(await socket.next('push_result')).toMatchObject({ action: 'commit' })
  await expectShapeTypes(alice, ['geo', 'geo'])
  expect(await shapeIds(server.url, board.roomId)).toEqual(['shape:kept', 'shape:later'])

  const restore = (headers: Record<string, string>, snapshotId = id) =>
    fetch(board.url(snapshotRestorePath(board.roomId, snapshotId)), { method: 'POST', headers })
  expect((await restore({})).status).toBe(403)
  expect((await restore(bearer(board.participantKey))).status).toBe(403)
  expect((await restore(bearer(board.facilitatorSecret), 'abcdefgh1234')).status).toBe(404)
  expect(await shapeIds(server.url, board.roomId)).toEqual(['shape:kept', 'shape:later'])

  socket.messages.length = 0
  const restored = await restore(bearer(board.facilitatorSecret))
  expect(restored.status).toBe(200)
  const answer = restoreSnapshotResponseSchema.parse(await restored.json())
  expect(answer).toMatchObject({
    restored: id,
    before: { title: 'Before restoring “Snapshot 1”', width: null, height: null, url: null },
  })
  expect(await shapeIds(server.url, board.roomId)).toEqual(['shape:kept'])
  // The server kept the board from before itself, in the same step: no picture, its board.
  const before = answer.before!
  expect(await listed(board)).toEqual([before, expect.objectContaining({ id })])
  expect(await keptShapeIds(board, before.id)).toEqual(['shape:kept', 'shape:later'])
  const noPicture = await fetch(board.url(snapshotImagePath(board.roomId, before.id)))
  expect(noPicture.status).toBe(404)
  expect((await noPicture.json()).error).toMatch(/has no picture/)
  // Connected clients are sent the difference and stay connected. Waited for by what it
  // holds: Alice's presence comes as patches too, and may come first.
  const restorePatch = () =>
    socket.messages.find(
      (m) => m.type === 'patch' && (m.diff as Record<string, unknown>)?.['shape:later'],
    )
  await expect.poll(() => restorePatch()?.diff).toMatchObject({ 'shape:later': ['remove'] })
  await expectShapeTypes(alice, ['geo'])
  await expect(alice.getByTestId('connection')).toHaveText(/Saved/)

  // The 200 was an acknowledgement: a kill -9 right after it loses nothing.
  await server.crash()
  await server.restart()
  expect(await shapeIds(server.url, board.roomId)).toEqual(['shape:kept'])
  expect(await keptShapeIds(board, before.id)).toEqual(['shape:kept', 'shape:later'])
  await expect(alice.getByTestId('connection')).toHaveText(/Saved/, { timeout: 30_000 })
  await expectShapeTypes(alice, ['geo'])
  const bob = await joinByLink(
    people,
    'Bob',
    `${server.url}/b/${board.roomId}#k=${board.participantKey}`,
  )
  await expectShapeTypes(bob, ['geo'])
  socket.close()
})

test('a restore racing a participant’s pushes: every acknowledged one is on the board or in the safety copy', async ({
  server,
}) => {
  const board = await createBoard(server.url)
  const taken = await takeSnapshot(board, { board: await boardFile(board) })
  expect(taken.status).toBe(201)
  const { id } = await taken.json()
  const socket = await openRawSocket(
    server.url,
    await boardSocketPath(server.url, board.roomId, board.participantKey),
  )
  await socket.handshake()
  // Acknowledged after the snapshot, before the restore: the restore removes it from the board,
  // so it must be in the safety copy.
  socket.send(pushNewShape('shape:seed', 1))
  expect(await socket.next('push_result')).toMatchObject({ action: 'commit' })

  // Pushes sent before the restore request, while it runs, and after its answer.
  let clientClock = 1
  const ids = new Map<number, string>()
  const push = () => {
    clientClock++
    ids.set(clientClock, `shape:race${clientClock}`)
    socket.send(pushNewShape(`shape:race${clientClock}`, clientClock))
  }
  for (let i = 0; i < 5; i++) push()
  let answered = false
  const restoring = fetch(board.url(snapshotRestorePath(board.roomId, id)), {
    method: 'POST',
    headers: bearer(board.facilitatorSecret),
  }).finally(() => (answered = true))
  while (!answered && clientClock < 300) {
    push()
    await new Promise((r) => setTimeout(r, 2))
  }
  for (let i = 0; i < 5; i++) push()
  const restored = await restoring
  expect(restored.status).toBe(200)
  const before = restoreSnapshotResponseSchema.parse(await restored.json()).before!

  const acknowledged = ['shape:seed']
  for (let n = 2; n <= clientClock; n++) {
    const result = await socket.next('push_result')
    expect(result.action).toBe('commit')
    acknowledged.push(ids.get(result.clientClock as number)!)
  }
  const onBoard = await shapeIds(server.url, board.roomId)
  const inCopy = await keptShapeIds(board, before.id)
  const lost = acknowledged.filter((shape) => !onBoard.includes(shape) && !inCopy.includes(shape))
  expect(lost, `on the board: ${onBoard.length}, in the copy: ${inCopy.length}`).toEqual([])
  expect(inCopy).toContain('shape:seed')
  expect(onBoard).not.toContain('shape:seed')
  // Those sent after the answer came after the restore step.
  for (let n = clientClock - 4; n <= clientClock; n++) expect(onBoard).toContain(ids.get(n))
  socket.close()
})

test('a participant offline with a waiting sticky during a restore: it lands on the restored board', async ({
  people,
  server,
}) => {
  const board = await createBoard(server.url)
  const taken = await takeSnapshot(board, { board: await boardFile(board) })
  expect(taken.status).toBe(201)
  const { id } = await taken.json()
  const alice = await joinByLink(
    people,
    'Alice',
    `${server.url}/b/${board.roomId}#f=${board.facilitatorSecret}`,
  )
  const bob = await joinByLink(
    people,
    'Bob',
    `${server.url}/b/${board.roomId}#k=${board.participantKey}`,
  )
  await drawWithMouse(bob, 'rectangle', { x: 300, y: 250 }, { x: 450, y: 350 })
  await expect.poll(() => serverGeos(server.url, board.roomId)).toEqual(['rectangle'])

  await bob.context().setOffline(true)
  await expect(bob.getByTestId('connection')).toContainText('Offline')
  await drawWithMouse(bob, 'ellipse', { x: 600, y: 300 }, { x: 700, y: 420 })
  await expect(bob.getByTestId('connection')).toHaveText(/Offline · 1 edit waiting/)

  const restored = await fetch(board.url(snapshotRestorePath(board.roomId, id)), {
    method: 'POST',
    headers: bearer(board.facilitatorSecret),
  })
  expect(restored.status).toBe(200)
  const before = restoreSnapshotResponseSchema.parse(await restored.json()).before!
  await expectShapeTypes(alice, [])
  // The acknowledged rectangle is in the safety copy; the waiting ellipse never reached the server.
  expect(await keptGeos(board, before.id)).toEqual(['rectangle'])

  // Back online, tldraw's client takes the restored board from the server, then rebases its
  // waiting edit on it and sends it again: the ellipse lands on the restored board, for
  // everyone. The rectangle stays in the safety copy only.
  await bob.context().setOffline(false)
  await expect(bob.getByTestId('connection')).toHaveText(/Saved/, { timeout: 30_000 })
  await expect.poll(() => serverGeos(server.url, board.roomId)).toEqual(['ellipse'])
  await expectShapeTypes(bob, ['geo'])
  await expectShapeTypes(alice, ['geo'])
  expect(await keptGeos(board, before.id)).toEqual(['rectangle'])
})

test('a snapshot picture over 16,384 px a side is refused with 413, and nothing is stored', async ({
  server,
}) => {
  const board = await createBoard(server.url)
  const file = await boardFile(board)
  const side = SNAPSHOT_LIMITS.maxImageSide
  const refused = await takeSnapshot(board, {
    board: file,
    image: new Blob([pngOf(side + 1, 1)], { type: 'image/png' }),
  })
  expect(refused.status).toBe(413)
  expect((await refused.json()).error).toBe(
    `The image is ${side + 1}×1 px; a snapshot's picture is at most 16,384 px a side.`,
  )
  expect(await listed(board)).toEqual([])
  const widest = await takeSnapshot(board, {
    board: file,
    image: new Blob([pngOf(side, 1)], { type: 'image/png' }),
  })
  expect(widest.status).toBe(201)
})

test('people: participants and the facilitator count once each, viewers not, across a restart', async ({
  server,
}) => {
  const board = await createBoard(server.url)
  const count = async () => {
    const response = await fetch(board.url(peoplePath(board.roomId)))
    expect(response.status).toBe(200)
    return (await response.json()).participants as number
  }
  expect(await count()).toBe(0)
  const open = async (secret: string | undefined, person?: string) => {
    const path = await boardSocketPath(
      server.url,
      board.roomId,
      secret,
      person ? { u: person } : {},
    )
    const socket = await openRawSocket(server.url, path)
    expect(await socket.handshake()).toMatchObject({ type: 'connect' })
    return socket
  }
  const k = board.participantKey
  const f = board.facilitatorSecret

  const first = await open(k, 'person-aaaa1111')
  await expect.poll(count).toBe(1)
  // The same person again, a viewer with a person id, a participant without one, and a
  // malformed id (which is ignored, not refused): still one.
  const again = await open(k, 'person-aaaa1111')
  const viewer = await open(undefined, 'viewer-bbbb2222')
  const anonymous = await open(k)
  const malformed = await open(f, 'no!')
  // Rather than a sleep: a last person, whose write the server makes after any the sockets
  // above caused (it remembers people in the order they connect). Counted, the count is 2;
  // after the restart below, every write has landed, so one too many would show there.
  const facilitator = await open(f, 'person-cccc3333')
  await expect.poll(count).toBe(2)
  for (const socket of [first, again, viewer, anonymous, malformed, facilitator]) socket.close()

  await server.crash()
  await server.restart()
  expect(await count()).toBe(2)
  expect((await fetch(board.url(peoplePath(freshId())))).status).toBe(404)
  expect((await fetch(board.url(peoplePath(board.roomId)), { method: 'POST' })).status).toBe(405)
})

/** A snapshot's summary, which must have a picture (one the facilitator's browser drew). */
function pictured(body: unknown) {
  const summary = snapshotSummarySchema.parse(body)
  if (summary.url === null) throw new Error('expected a snapshot with a picture')
  return summary
}

/** The shapes in a snapshot's board file, by id. */
async function keptShapes(board: Board, snapshotId: string) {
  const response = await fetch(board.url(snapshotBoardPath(board.roomId, snapshotId)))
  expect(response.status).toBe(200)
  // The board's content: not for shared caches.
  expect(response.headers.get('cache-control')).toContain('no-store')
  const store = (await response.json()).store as Record<
    string,
    { typeName: string; props?: { geo?: string } }
  >
  return Object.entries(store).filter(([, record]) => record.typeName === 'shape')
}

const keptShapeIds = async (board: Board, snapshotId: string) =>
  (await keptShapes(board, snapshotId)).map(([shapeId]) => shapeId).sort()

const keptGeos = async (board: Board, snapshotId: string) =>
  (await keptShapes(board, snapshotId)).map(([, shape]) => shape.props?.geo).sort()

const serverGeos = async (serverUrl: string, roomId: string) =>
  (await serverShapes(serverUrl, roomId))
    .map((shape) => (shape as { props?: { geo?: string } }).props?.geo)
    .sort()

function pngOf(width: number, height: number) {
  const png = new PNG({ width, height })
  png.data.fill(200)
  return new Uint8Array(PNG.sync.write(png))
}
