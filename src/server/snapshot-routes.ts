/**
 * Answers a board's snapshot and people requests. The board party hands in what it owns
 * (its secrets' hashes, its stores, and how to restore its room); everything else is here,
 * so the whole surface runs in unit tests against an in-memory storage.
 *
 * A write is refused before its body is read when it cannot succeed (no board, wrong secret,
 * no room left); the body is then drained so the client receives the refusal rather than a
 * reset. Nothing is stored until an upload has passed every check.
 */
import type { RestoreSnapshotResponse } from '../protocol'
import { errorResponse, json, notCreated } from './http'
import type { People } from './people'
import { secretMatches, type BoardAuth } from './roles'
import {
  boardResponse,
  cachedCopyMatches,
  drainUpload,
  forbidden,
  imageNotModified,
  imageResponse,
  noSnapshot,
  readSnapshotUpload,
  toSummary,
  type SnapshotHttpRequest,
  type SnapshotRoute,
} from './snapshot-http'
import type { SnapshotStore } from './snapshot-store'

export type RestoreOutcome = 'restored' | 'reloading' | 'failed'

export interface SnapshotHost {
  roomId: string
  /** The board's secrets (hashes), or null when it was never created. */
  auth: BoardAuth | null
  snapshots: SnapshotStore
  people: People
  /** Makes the board's document this board JSON; 'restored' only once that is on disk. */
  restore(board: string): Promise<RestoreOutcome>
}

export async function answerSnapshotRequest(
  req: SnapshotHttpRequest,
  route: SnapshotRoute,
  host: SnapshotHost,
): Promise<Response> {
  const { auth, snapshots } = host
  if (!auth) {
    await drainUpload(req)
    return notCreated()
  }
  const isFacilitator = (secret: string | null) => secretMatches(secret, auth.facilitatorHash)

  switch (route.kind) {
    case 'people':
      return json({ participants: await host.people.count() })

    case 'list': {
      const entries = await snapshots.list()
      return json({ snapshots: entries.map((e) => toSummary(e, req.url, host.roomId)) })
    }

    case 'image': {
      if (!(await snapshots.get(route.id))) return noSnapshot(route.id)
      if (cachedCopyMatches(route)) return imageNotModified(route)
      const bytes = await snapshots.readImage(route.id)
      return bytes ? imageResponse(route, bytes) : noSnapshot(route.id)
    }

    case 'board': {
      const board = await snapshots.readBoard(route.id)
      return board === null ? noSnapshot(route.id) : boardResponse(board)
    }

    case 'take': {
      if (!(await isFacilitator(route.secret))) {
        await drainUpload(req)
        return forbidden(route.secret)
      }
      // Checked again when the snapshot is added; this spares reading a body we would refuse.
      if (await snapshots.isFull()) {
        await drainUpload(req)
        return full(snapshots.maxSnapshots)
      }
      const upload = await readSnapshotUpload(req)
      if ('error' in upload) return upload.error
      const result = await snapshots.add(upload).catch((error: unknown) => {
        console.error('storing a snapshot failed', error)
        return null
      })
      if (!result) return errorResponse(500, 'The snapshot could not be stored; try again.')
      if (result.kind === 'full') return full(result.limit)
      return json(toSummary(result.entry, req.url, host.roomId), 201)
    }

    case 'delete': {
      if (!(await isFacilitator(route.secret))) return forbidden(route.secret)
      return (await snapshots.remove(route.id))
        ? new Response(null, { status: 204 })
        : noSnapshot(route.id)
    }

    case 'restore': {
      if (!(await isFacilitator(route.secret))) {
        await drainUpload(req)
        return forbidden(route.secret)
      }
      const board = await snapshots.readBoard(route.id)
      if (board === null) return noSnapshot(route.id)
      switch (await host.restore(board)) {
        case 'restored':
          return json({ restored: route.id } satisfies RestoreSnapshotResponse)
        case 'reloading':
          return errorResponse(503, 'The board is reloading; try again in a moment.', {
            'Retry-After': '1',
          })
        case 'failed':
          return errorResponse(500, 'The restore could not be saved; the board is as it was.')
      }
    }
  }
}

function full(limit: number): Response {
  return errorResponse(
    409,
    `This board keeps at most ${limit} snapshots; delete one before taking another.`,
  )
}
