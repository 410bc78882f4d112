/**
 * The board's records as the record rules read them (BoardRecords): here, beneath the rules, so
 * that the room's storage (room-storage.ts) and a push's two boards (push-board.ts) can offer
 * it without importing the rules.
 */
import type { TLRecord } from '@tldraw/tlschema'

/**
 * The board's records, read synchronously: as they stand (the room's storage, mid-commit
 * included), or as they were before a push or as it would leave them (`push-board.ts`).
 */
export interface BoardRecords {
  get(id: string): TLRecord | undefined
  /** The ids of the shapes marked frozen (kept as an index: the frozen-frame rule's list). */
  frozenShapeIds(): Iterable<string>
  /**
   * The ids of the records that point at this one or did (kept as an index, so it may list a
   * few that no longer do): the shapes under it, the bindings to it. A lookup without it (one
   * hidden sticky checked on its own, which holds nothing) judges each shape alone.
   */
  referrerIds?(id: string): Iterable<string>
}
