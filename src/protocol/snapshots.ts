/**
 * Snapshots kept by the server: their limits, ids, listing, restore answer, board file and
 * paths.
 */
import './zod-setup'
import { z } from 'zod'
import { boardPath } from './board'

/**
 * A snapshot is a picture of the board (PNG) and the board itself (a tldraw store snapshot),
 * taken by the facilitator, typically at the end of each agenda step.
 *
 * - `POST   /parties/board/<roomId>/snapshots`            multipart/form-data, facilitator only
 * - `GET    /parties/board/<roomId>/snapshots`            the list, newest first
 * - `GET    /parties/board/<roomId>/snapshots/<id>.png`   the image, cacheable forever
 * - `GET    /parties/board/<roomId>/snapshots/<id>.json`  the board as it was
 * - `DELETE /parties/board/<roomId>/snapshots/<id>`       facilitator only
 * - `POST   /parties/board/<roomId>/snapshots/<id>/restore`  facilitator only: the board
 *   becomes what it was when the snapshot was taken; the server first keeps the board as it
 *   is, in the same step, as a snapshot without a picture
 *
 * Like the board itself, anyone holding the board id may read; writes need
 * `Authorization: Bearer <facilitator secret>`.
 */
export const SNAPSHOT_LIMITS = {
  /** The PNG; a whole 4,000-shape board at 1x is a few MB. */
  maxImageBytes: 12 * 1024 * 1024,
  /** The board JSON: the same bound as one sync message. */
  maxBoardBytes: 16 * 1024 * 1024,
  /** Snapshots one board keeps at most; delete some to take more. */
  maxSnapshots: 100,
  /**
   * The longest side of a snapshot's picture, in pixels: the largest canvas browsers draw
   * (Chromium's and Safari's limit). A PNG header can claim 2^31 - 1 px in a few bytes; such a
   * file would make every browser that shows the thumbnail try to allocate it.
   */
  maxImageSide: 16_384,
} as const
export const MAX_SNAPSHOT_TITLE_LENGTH = 120
/** The multipart form's field names. */
export const SNAPSHOT_FORM = { image: 'image', board: 'board', title: 'title' } as const

export const snapshotIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,32}$/, 'a snapshot id is 8 to 32 letters, digits, "-" or "_"')
export const snapshotTitleSchema = z.string().trim().min(1).max(MAX_SNAPSHOT_TITLE_LENGTH)

const snapshotFields = {
  id: snapshotIdSchema,
  title: snapshotTitleSchema,
  /** Milliseconds since the epoch. */
  createdAt: z.number(),
}

/**
 * One snapshot as listed. `url` is its picture's absolute URL, stable for as long as it
 * exists. A snapshot the server took itself (the board as it was before a restore) has no
 * picture, since the server cannot draw one: its `url`, `width` and `height` are null.
 */
export const snapshotSummarySchema = z.union([
  z.strictObject({
    ...snapshotFields,
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    url: z.url(),
  }),
  z.strictObject({ ...snapshotFields, width: z.null(), height: z.null(), url: z.null() }),
])
export type SnapshotSummary = z.infer<typeof snapshotSummarySchema>

export const snapshotListSchema = z.strictObject({ snapshots: z.array(snapshotSummarySchema) })
export type SnapshotList = z.infer<typeof snapshotListSchema>

/**
 * `POST …/snapshots/<id>/restore` answers which snapshot the board now is, and the snapshot
 * the server kept of the board as it was just before (no picture), or null when there was
 * nothing to keep (the board had no shapes, or was already the snapshot).
 */
export const restoreSnapshotResponseSchema = z.strictObject({
  restored: snapshotIdSchema,
  before: snapshotSummarySchema.nullable(),
})
export type RestoreSnapshotResponse = z.infer<typeof restoreSnapshotResponseSchema>

/**
 * The board file inside a snapshot (and what `GET /parties/board/<roomId>` returns): tldraw's
 * store snapshot. Records are checked against tldraw's schema on the server, not here.
 */
export const boardFileSchema = z.object({
  schema: z.looseObject({ schemaVersion: z.number() }),
  store: z.record(z.string(), z.looseObject({ id: z.string(), typeName: z.string() })),
})
export type BoardFile = z.infer<typeof boardFileSchema>

export function snapshotsPath(roomId: string): string {
  return `${boardPath(roomId)}/snapshots`
}
/** One snapshot's address: `DELETE` removes it. */
export function snapshotPath(roomId: string, snapshotId: string): string {
  return `${snapshotsPath(roomId)}/${snapshotId}`
}
export function snapshotImagePath(roomId: string, snapshotId: string): string {
  return `${snapshotsPath(roomId)}/${snapshotId}.png`
}
export function snapshotBoardPath(roomId: string, snapshotId: string): string {
  return `${snapshotsPath(roomId)}/${snapshotId}.json`
}
export function snapshotRestorePath(roomId: string, snapshotId: string): string {
  return `${snapshotsPath(roomId)}/${snapshotId}/restore`
}
