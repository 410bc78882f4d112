/**
 * The room's limits against the real PartyKit server, where the platform matters: how many
 * sockets a board takes (and what the app says past it), sockets from one client address, and
 * a flooding socket that is closed alone while the room carries on.
 */
import { ROOM_LIMITS } from '../../src/protocol'
import { boardSocketPath, openRawSocket, pushNewShape, type RawSocket } from '../support/raw-socket'
import { waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

const freshId = () =>
  `l${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

async function createBoard(serverUrl: string) {
  const roomId = freshId()
  const res = await fetch(`${serverUrl}/parties/board/${roomId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  })
  const { participantKey } = (await res.json()) as { participantKey: string }
  return { roomId, path: `/parties/board/${roomId}`, participantKey }
}

/**
 * Opens `count` sockets past tldraw's handshake, a few at a time; each must be let in. `path`
 * is called for each (a participant's needs a ticket of its own).
 */
async function fill(
  serverUrl: string,
  path: () => Promise<string> | string,
  count: number,
  open: RawSocket[],
) {
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, async () => {
        const socket = await openRawSocket(serverUrl, await path())
        open.push(socket)
        return socket.handshake()
      }),
    )
    for (const answer of batch) expect(answer.type).toBe('connect')
  }
}

test('a full board turns editors to the view-only link, then everyone away', async ({
  server,
  people,
}) => {
  test.setTimeout(180_000)
  const { path, participantKey, roomId } = await createBoard(server.url)
  const open: RawSocket[] = []
  try {
    const editorPlaces = ROOM_LIMITS.maxConnections - ROOM_LIMITS.viewerPlaces
    const asParticipant = () => boardSocketPath(server.url, roomId, participantKey)
    await fill(server.url, asParticipant, editorPlaces, open)
    const editor = await openRawSocket(server.url, await asParticipant())
    expect(await editor.handshake()).toMatchObject({
      type: 'closed',
      code: 4099,
      reason: 'BOARD_FULL_VIEW_ONLY_OPEN',
    })

    // In the app: the screen says so and offers the view-only link, which gets in.
    const carol = await people.join('Carol')
    await carol.goto(`${server.url}/b/${roomId}#k=${participantKey}`)
    await expect(carol.getByText('This board is full')).toBeVisible()
    await carol.getByRole('link', { name: 'Open it view-only' }).click()
    await waitForSync(carol)
    await expect(carol.getByText('This board is full')).toHaveCount(0)

    await fill(server.url, () => path, ROOM_LIMITS.viewerPlaces - 1, open)
    const viewer = await openRawSocket(server.url, path)
    expect(await viewer.handshake()).toMatchObject({
      type: 'closed',
      code: 4099,
      reason: 'BOARD_FULL',
    })

    // A place is free again once someone leaves.
    open.pop()?.close()
    await expect
      .poll(async () => {
        const again = await openRawSocket(server.url, path)
        const answer = await again.handshake()
        open.push(again)
        return answer.type
      })
      .toBe('connect')
  } finally {
    for (const socket of open) socket.close()
  }
})

test('sockets from one client address are capped; other addresses still get in', async ({
  server,
}) => {
  const { path } = await createBoard(server.url)
  const open: RawSocket[] = []
  const from = async (address: string) => {
    const socket = await openRawSocket(server.url, path, { 'cf-connecting-ip': address })
    open.push(socket)
    return socket.handshake()
  }
  try {
    for (let i = 0; i < ROOM_LIMITS.maxConnectionsPerAddress; i++) {
      expect((await from('203.0.113.7')).type).toBe('connect')
    }
    expect(await from('203.0.113.7')).toMatchObject({
      type: 'closed',
      code: 4099,
      reason: 'TOO_MANY_FROM_ADDRESS',
    })
    expect((await from('198.51.100.1')).type).toBe('connect')
  } finally {
    for (const socket of open) socket.close()
  }
})

test('a socket flooding frames is closed alone; a participant’s edit still lands', async ({
  server,
}) => {
  const { path, participantKey, roomId } = await createBoard(server.url)
  const writer = await openRawSocket(
    server.url,
    await boardSocketPath(server.url, roomId, participantKey),
  )
  expect((await writer.handshake()).type).toBe('connect')
  const flooder = await openRawSocket(server.url, path)
  expect((await flooder.handshake()).type).toBe('connect')

  const started = Date.now()
  for (let i = 0; i < 2000; i++) flooder.send({ type: 'ping' })
  expect((await flooder.closed).code).toBe(4008)
  expect(Date.now() - started).toBeLessThan(10_000)

  writer.send(pushNewShape('shape:after-the-flood'))
  expect(await writer.next('push_result')).toMatchObject({ action: 'commit' })
  writer.close()
})
