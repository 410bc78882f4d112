/**
 * The board server's snapshot API, for the Snapshots feature: list, upload, delete, restore.
 * Errors carry the server's message.
 */
import {
  SNAPSHOT_FORM,
  restoreSnapshotResponseSchema,
  snapshotPath,
  snapshotListSchema,
  snapshotRestorePath,
  snapshotSummarySchema,
  snapshotsPath,
  type BoardFile,
  type RestoreSnapshotResponse,
  type SnapshotSummary,
} from '../protocol'
import { callServer } from '../shared/server-call'

export async function listSnapshots(roomId: string): Promise<SnapshotSummary[]> {
  return snapshotListSchema.parse(await callServer(snapshotsPath(roomId))).snapshots
}

export async function uploadSnapshot(
  roomId: string,
  facilitatorSecret: string,
  snapshot: { title: string; image: Blob; board: BoardFile },
): Promise<SnapshotSummary> {
  const form = new FormData()
  form.set(SNAPSHOT_FORM.title, snapshot.title)
  form.set(SNAPSHOT_FORM.image, snapshot.image, 'board.png')
  form.set(
    SNAPSHOT_FORM.board,
    new Blob([JSON.stringify(snapshot.board)], { type: 'application/json' }),
    'board.json',
  )
  const body = await callServer(snapshotsPath(roomId), {
    method: 'POST',
    headers: bearer(facilitatorSecret),
    body: form,
  })
  return snapshotSummarySchema.parse(body)
}

export async function deleteSnapshot(roomId: string, facilitatorSecret: string, id: string) {
  await callServer(snapshotPath(roomId, id), {
    method: 'DELETE',
    headers: bearer(facilitatorSecret),
  })
}

/** Restores a snapshot; the answer names the copy the server kept of the board from before. */
export async function restoreSnapshot(
  roomId: string,
  facilitatorSecret: string,
  id: string,
): Promise<RestoreSnapshotResponse> {
  const body = await callServer(snapshotRestorePath(roomId, id), {
    method: 'POST',
    headers: bearer(facilitatorSecret),
  })
  return restoreSnapshotResponseSchema.parse(body)
}

function bearer(secret: string) {
  return { Authorization: `Bearer ${secret}` }
}
