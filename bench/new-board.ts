/** A new empty board on the real server, for the benchmarks that fill it or open it. */
import { nanoid } from 'nanoid'
import { boardPath, createBoardResponseSchema } from '../src/protocol'
import type { TestServer } from '../test/support/server'

/** A new empty board on the server, as `/new` makes it. */
export async function createBoard(server: TestServer) {
  const roomId = nanoid(22)
  const created = await fetch(`${server.url}${boardPath(roomId)}`, {
    method: 'POST',
    body: '{}',
    headers: { 'Content-Type': 'application/json' },
  })
  if (created.status !== 201) throw new Error(`create board: ${created.status}`)
  const { participantKey } = createBoardResponseSchema.parse(await created.json())
  return { roomId, participantKey }
}
