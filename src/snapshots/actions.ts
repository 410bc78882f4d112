/**
 * What the Snapshots feature does, apart from its panel: take one (the board drawn on this
 * device, sent with the board itself), restore one (the server keeps the board from before),
 * delete one, download its image, and the automatic "After: <step>" snapshot. Each runs with a
 * toast that says how it went; the panel, the agenda and the command-line exporter call them.
 * Only taking one needs the canvas: the list, a restore and a delete are the server's, so they
 * work while the canvas is down (a restore is how a facilitator gets a broken board back).
 */
import { toast } from 'svelte-sonner'
import { z } from 'zod'
import type { CanvasHandle } from '../canvas/handle'
import { PADDING, type ExportedImage } from '../export/image-options'
import {
  SNAPSHOT_LIMITS,
  type BoardFile,
  type RestoreSnapshotResponse,
  type SnapshotSummary,
} from '../protocol'
import { downloadBlob } from '../shared/download'
import { errorMessage } from '../shared/error-message'
import { readLocal, writeLocal } from '../shared/local-store'
import { deleteSnapshot, restoreSnapshot, uploadSnapshot } from './client'

/** Which board, and the facilitator secret (present for the facilitator only). */
export interface SnapshotAccess {
  roomId: string
  facilitatorSecret: string | undefined
}

/** Who takes one: a snapshot draws the board, so it needs the canvas. */
export interface SnapshotActor {
  canvas: CanvasHandle
  facilitatorSecret: string | undefined
}

/** Draws the board and sends it; throws with what went wrong. */
export async function captureSnapshot(
  { canvas, facilitatorSecret }: SnapshotActor,
  title: string,
  onStage: (stage: string) => void = () => {},
): Promise<SnapshotSummary> {
  if (!facilitatorSecret) {
    throw new Error('Only the facilitator can take snapshots: open the facilitator link.')
  }
  onStage('Drawing the board…')
  const content = await snapshotContent(canvas)
  onStage('Sending it to the server…')
  return uploadSnapshot(canvas.roomId, facilitatorSecret, {
    title,
    image: content.image.blob,
    board: content.board,
  })
}

/** Takes a snapshot with a toast; resolves to it, or to null after saying what went wrong. */
export async function takeSnapshot(
  actor: SnapshotActor,
  title?: string,
): Promise<SnapshotSummary | null> {
  const name = title ?? `Snapshot ${new Date().toLocaleTimeString([], { timeStyle: 'short' })}`
  const id = toast.loading(`Taking a snapshot: ${name}`)
  try {
    const snapshot = await captureSnapshot(actor, name, (stage) =>
      toast.loading(`Taking a snapshot: ${name}`, { id, description: stage }),
    )
    toast.success(`Snapshot taken: ${snapshot.title}`, {
      id,
      description: 'Kept by the server; its image link is in the Snapshots panel.',
    })
    return snapshot
  } catch (error) {
    toast.error('Could not take the snapshot', { id, description: errorMessage(error) })
    return null
  }
}

/**
 * Restores a snapshot for everyone, with a toast. The server keeps the board as it was first,
 * in the same step (so a participant's edit made meanwhile is either on the restored board or
 * in that copy); the toast names the copy. Resolves to the answer, or null after saying what
 * went wrong.
 */
export async function restoreWithSafetyCopy(
  { roomId, facilitatorSecret }: SnapshotAccess,
  snapshot: SnapshotSummary,
): Promise<RestoreSnapshotResponse | null> {
  if (!facilitatorSecret) return null
  const id = toast.loading(`Restoring “${snapshot.title}”…`)
  try {
    const answer = await restoreSnapshot(roomId, facilitatorSecret, snapshot.id)
    toast.success(`The board is back to “${snapshot.title}”`, {
      id,
      description: answer.before
        ? `The board from before is kept as “${answer.before.title}” (without a picture).`
        : 'The board had no shapes, so there was nothing to keep from before.',
    })
    return answer
  } catch (error) {
    toast.error('Could not restore the snapshot', { id, description: errorMessage(error) })
    return null
  }
}

/** Deletes a snapshot with a toast; resolves to whether it is gone. */
export async function removeSnapshot(
  { roomId, facilitatorSecret }: SnapshotAccess,
  snapshot: SnapshotSummary,
): Promise<boolean> {
  if (!facilitatorSecret) return false
  try {
    await deleteSnapshot(roomId, facilitatorSecret, snapshot.id)
    toast.success(`Deleted “${snapshot.title}”`)
    return true
  } catch (error) {
    toast.error('Could not delete the snapshot', { description: errorMessage(error) })
    return false
  }
}

/** Downloads a snapshot's picture; one the server kept without a picture has none to give. */
export async function downloadSnapshot(snapshot: SnapshotSummary) {
  if (snapshot.url === null) return
  try {
    const response = await fetch(snapshot.url)
    if (!response.ok) throw new Error(`The server answered ${response.status}.`)
    downloadBlob(await response.blob(), `${snapshot.title.replace(/[\\/:*?"<>|]+/g, '-')}.png`)
  } catch (error) {
    toast.error('Could not download the snapshot', { description: errorMessage(error) })
  }
}

/** The facilitator's choice, kept on this device: a snapshot whenever the agenda moves on. */
const AUTO_KEY = 'switchback:auto-snapshot'
export const autoSnapshot = {
  get: () => readLocal(AUTO_KEY, z.boolean(), false),
  set: (on: boolean) => writeLocal(AUTO_KEY, on),
}

/** The agenda moved on: keep the finished step, if the facilitator asked for that. */
export function snapshotAfterStep(actor: SnapshotActor, stepTitle: string) {
  if (autoSnapshot.get() && actor.facilitatorSecret) void takeSnapshot(actor, `After: ${stepTitle}`)
}

/**
 * What a server snapshot keeps: the whole board at 1x in light mode (what a slide needs),
 * drawn smaller if a huge board's PNG would pass the server's limit, and the board itself.
 */
async function snapshotContent(
  canvas: CanvasHandle,
): Promise<{ image: ExportedImage; board: BoardFile }> {
  const { editor } = canvas
  if (editor.getCurrentPageShapeIds().size === 0) {
    throw new Error('The board is empty: there is nothing to snapshot.')
  }
  // Loaded with the first snapshot, not with the board page (it draws with tldraw at run time).
  const { boardPicture } = await import('../export/board-picture')
  // The same JSON; tldraw's types are only stricter than the wire schema's.
  const board = editor.store.getStoreSnapshot('document') as unknown as BoardFile
  for (const scale of [1, 0.5, 0.25]) {
    const image = await boardPicture(editor, [...editor.getCurrentPageShapeIds()], {
      scale,
      padding: PADDING,
      background: true,
      dark: false,
      badges: canvas.noteBadges(),
    })
    if (image.blob.size <= SNAPSHOT_LIMITS.maxImageBytes) {
      return { image: { ...image, shrunk: image.shrunk || scale < 1 }, board }
    }
  }
  throw new Error('The board is too big to snapshot, even at a quarter of its size.')
}
