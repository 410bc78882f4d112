/**
 * The board party's own few lines (party/board.ts), with a stand-in for PartyKit's room: it
 * hibernates when deployed, and a refusal made while a socket connects waits for the socket's first frame
 * (`partykit dev` loses a hibernatable socket's close during its upgrade).
 */
import type * as Party from 'partykit/server'
import { describe, expect, it } from 'vitest'
import { CLOSE_REASONS, boardPath } from '../../src/protocol'
import BoardServer from '../../party/board'
import { MemoryStorage } from './memory-storage'
import { FakeConnection, connectFrame } from './room-fixtures'
import { origin, roomId } from './snapshot-fixtures'

function party(connections: FakeConnection[] = [], env: Record<string, unknown> = {}) {
  const room = {
    id: roomId,
    storage: new MemoryStorage(),
    env,
    getConnections: () => connections.filter((c) => c.readyState === 1),
    blockConcurrencyWhile: <T>(task: () => Promise<T>) => task(),
  }
  return new BoardServer(room as unknown as Party.Room)
}

describe('the board party', () => {
  it('hibernates when deployed (HIBERNATE=on), not under partykit dev', () => {
    expect(party([], { HIBERNATE: 'on' }).options).toEqual({ hibernate: true })
    expect(party().options).toEqual({ hibernate: false })
  })

  it('hibernating, closes a socket refused while connecting at its first frame, saying why', async () => {
    const server = party([], { HIBERNATE: 'on' })
    await server.onStart()
    const conn = new FakeConnection('conn-1')
    const ctx = { request: new Request(`${origin}${boardPath(roomId)}`) }
    await server.onConnect(
      conn as unknown as Party.Connection,
      ctx as unknown as Party.ConnectionContext,
    )
    // The board was never created: refused, but not while the upgrade is being answered.
    expect(conn.closed).toBeNull()
    server.onMessage(connectFrame, conn as unknown as Party.Connection)
    expect(conn.closed).toEqual({ code: 4099, reason: CLOSE_REASONS.notFound })
  })
})
