/**
 * A board's size as its records' count and JSON bytes, kept up to date as writes are saved, so
 * a push that would take the board past ROOM_LIMITS (maxRecords, maxBoardBytes) is refused
 * before the room commits it. A push that makes the board smaller always passes: a full board
 * can still be tidied. For a patch the estimate is the old size plus the patch's own size.
 * Measuring never throws: a value JSON cannot write (nested too deep for the stack) is
 * refused as one that cannot be measured, and counts as nothing when the board already holds it.
 */
import { ROOM_LIMITS } from '../../protocol'

export interface SizeLimits {
  maxRecords: number
  maxBoardBytes: number
}

export class BoardSize {
  private readonly sizes = new Map<string, number>()
  private bytes = 0

  constructor(readonly limits: SizeLimits = ROOM_LIMITS) {}

  get records(): number {
    return this.sizes.size
  }
  get totalBytes(): number {
    return this.bytes
  }

  /** Counts the board afresh (it was opened, reloaded or replaced). */
  reset(records: Iterable<{ id: string }>): void {
    this.sizes.clear()
    this.bytes = 0
    for (const record of records) this.put(record)
  }

  /** Saved changes: records put (whole) and ids deleted. */
  apply(puts: Iterable<{ id: string }>, deletes: Iterable<string>): void {
    for (const record of puts) this.put(record)
    for (const id of deletes) this.delete(id)
  }

  /**
   * What is wrong with this push's diff (tldraw's network diff: id → [op, value]), or null when
   * the board stays within its limits or gets smaller.
   */
  refusal(diff: Record<string, unknown[]>): string | null {
    let records = this.sizes.size
    let bytes = this.bytes
    for (const [id, [op, value]] of Object.entries(diff)) {
      const old = this.sizes.get(id)
      const size = op === 'put' || op === 'patch' ? jsonLength(value) : 0
      if (size === null) return 'Your last change was not saved: it could not be measured.'
      if (op === 'put') {
        bytes += size - (old ?? 0)
        if (old === undefined) records++
      } else if (op === 'patch') {
        bytes += size
      } else if (op === 'remove' && old !== undefined) {
        bytes -= old
        records--
      }
    }
    const { maxRecords, maxBoardBytes } = this.limits
    if (records > maxRecords && records > this.sizes.size) {
      return `This board is full: it holds at most ${maxRecords.toLocaleString('en')} shapes and other records. Your last change was not saved; delete something first.`
    }
    if (bytes > maxBoardBytes && bytes > this.bytes) {
      return `This board is full: it holds at most ${Math.round(maxBoardBytes / 2 ** 20)} MiB. Your last change was not saved; delete something (large images first).`
    }
    return null
  }

  private put(record: { id: string }) {
    const size = jsonLength(record) ?? 0
    this.bytes += size - (this.sizes.get(record.id) ?? 0)
    this.sizes.set(record.id, size)
  }

  private delete(id: string) {
    const size = this.sizes.get(id)
    if (size === undefined) return
    this.bytes -= size
    this.sizes.delete(id)
  }
}

/** The length of the value's JSON text, or null when it cannot be written (too deep). */
function jsonLength(value: unknown): number | null {
  try {
    return JSON.stringify(value)?.length ?? 0
  } catch {
    return null
  }
}
