/**
 * The ids of shapes deleted from the board, remembered durably (newest `max`): a shape id the
 * board has had is never someone's hidden sticky. An undo re-creates a deleted public sticky
 * with its old id; hidden, it would vanish for everyone, its author's edits would be refused,
 * and the reveal would name the undoer as its author. tldraw's room keeps tombstones too, but
 * only in memory, and its storage here drops them on reload.
 *
 * Each id is its own small key (`gone:<id>`, holding when it went, as a sequence number), so a
 * delete costs one small put and nothing grows in one value; past `max`, the oldest go (an
 * undo that far back is not a real one). Writes are returned: the board's save waits for them.
 */
import { batches, type KeyValueStorage } from '../core/kv'

const PREFIX = 'gone:'
/** Deleted shape ids kept: thousands of deletes, a few hundred kilobytes of memory at most. */
export const MAX_TOMBSTONES = 10_000

export class ShapeTombstones {
  /** Id to sequence number, oldest first (a Map keeps insertion order). */
  private readonly gone = new Map<string, number>()
  private sequence = 0

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly max = MAX_TOMBSTONES,
  ) {}

  async load(): Promise<void> {
    const stored = await this.storage.list<unknown>({ prefix: PREFIX })
    const entries = [...stored]
      .map(([key, at]) => [key.slice(PREFIX.length), typeof at === 'number' ? at : 0] as const)
      .sort((a, b) => a[1] - b[1])
    this.gone.clear()
    for (const [id, at] of entries) this.gone.set(id, at)
    this.sequence = entries.at(-1)?.[1] ?? 0
  }

  /** Whether a shape with this id was on the board and was deleted. */
  had(id: string): boolean {
    return this.gone.has(id)
  }

  /** Remembers these deleted records' ids (shapes only); null when there is nothing to write. */
  deleted(ids: readonly string[]): Promise<void> | null {
    const shapes = ids.filter((id) => id.startsWith('shape:'))
    if (shapes.length === 0) return null
    const puts: Record<string, number> = {}
    for (const id of shapes) {
      this.gone.delete(id)
      this.gone.set(id, ++this.sequence)
      puts[PREFIX + id] = this.sequence
    }
    const dropped: string[] = []
    for (const id of this.gone.keys()) {
      if (this.gone.size - dropped.length <= this.max) break
      dropped.push(id)
    }
    for (const id of dropped) {
      this.gone.delete(id)
      delete puts[PREFIX + id]
    }
    const writes: Promise<unknown>[] = []
    for (const batch of batches(Object.entries(puts))) {
      writes.push(this.storage.put(Object.fromEntries(batch)))
    }
    for (const batch of batches(dropped.map((id) => PREFIX + id))) {
      writes.push(this.storage.delete(batch))
    }
    return Promise.all(writes).then(() => {})
  }
}
