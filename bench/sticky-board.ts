/**
 * A board of N sticky notes on the real server, made as a participant would fill it (pushes
 * of notes over a sync socket, each acknowledged), for the benchmarks that open or export it.
 */
import { nanoid } from 'nanoid'
import type { TLStoreSnapshot } from '@tldraw/tlschema'
import { boardPagePath, boardPath } from '../src/protocol'
import { socketTicket } from '../test/support/raw-socket'
import type { TestServer } from '../test/support/server'
import { noteShapes } from './board-size'
import { createBoard } from './new-board'
import { connectClient } from './sync-client'

/** Notes per push: well inside the server's frame and message limits. */
const BATCH = 1000
const TIMEOUT_MS = 120_000

export interface StickyBoard {
  roomId: string
  /** The participant link (`/b/<roomId>#k=<key>`), as a facilitator shares it. */
  participantLink: string
  /** The board's records, as the server's backup returns them. */
  snapshot: TLStoreSnapshot
}

export async function createStickyBoard(server: TestServer, n: number): Promise<StickyBoard> {
  const { roomId, participantKey } = await createBoard(server)

  if (n > 0) {
    const id = nanoid()
    const ticket = await socketTicket(server.url, roomId, participantKey)
    const wsBase = server.url.replace(/^http/, 'ws')
    const client = await connectClient(
      `${wsBase}${boardPath(roomId)}?t=${ticket}&sessionId=${id}&storeId=${id}`,
      TIMEOUT_MS,
    )
    try {
      const notes = noteShapes(n)
      for (let i = 0; i < notes.length; i += BATCH) {
        await pushAcknowledged(client, () => client.store.put(notes.slice(i, i + BATCH)))
      }
    } finally {
      client.close()
    }
  }

  const backup = await fetch(`${server.url}${boardPath(roomId)}`)
  if (!backup.ok) throw new Error(`backup: ${backup.status}`)
  const snapshot = (await backup.json()) as TLStoreSnapshot
  const shapes = Object.values(snapshot.store).filter((r) => r.typeName === 'shape').length
  if (shapes !== n) throw new Error(`the board holds ${shapes} of ${n} notes`)
  return {
    roomId,
    participantLink: `${server.url}${boardPagePath(roomId)}#k=${participantKey}`,
    snapshot,
  }
}

/** Makes one store change and waits for the server's `push_result` for it. */
function pushAcknowledged(client: Awaited<ReturnType<typeof connectClient>>, change: () => void) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`no acknowledgement in ${TIMEOUT_MS} ms`))
    }, TIMEOUT_MS)
    const stop = client.onServerMessage((message) => {
      const messages = message.type === 'data' ? (message.data ?? []) : [message]
      const result = messages.find((m) => m.type === 'push_result')
      if (!result) return
      clearTimeout(timer)
      stop()
      if (result.action === 'commit') resolve()
      else reject(new Error(`push not committed: ${JSON.stringify(result.action).slice(0, 200)}`))
    })
    change()
  })
}
