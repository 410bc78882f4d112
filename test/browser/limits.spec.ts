/**
 * The room's limits against the real PartyKit server, where the platform matters: sockets from
 * one client address, and a flooding socket that is closed alone while the room carries on. How
 * many sockets a board takes (and what the app says past it) is big-room.spec.ts.
 */
import { ROOM_LIMITS } from '../../src/protocol'
import { boardSocketPath, openRawSocket, pushNewShape, type RawSocket } from '../support/raw-socket'
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
