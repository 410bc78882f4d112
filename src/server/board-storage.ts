/**
 * Keeps a board's tldraw records in PartyKit (Durable Object) storage.
 *
 * One storage value holds at most 128 KiB, so a board is never stored as one blob: each
 * record has its own key, and a record too big for one value (a long freehand stroke, an
 * inline image) is split into pieces. Loading reads every key back into a `RoomSnapshot`.
 */
import type { RoomSnapshot } from '@tldraw/sync-core'
import { PIECE_CHARS, batches, splitText, type KeyValueStorage } from './kv'

const RECORD_PREFIX = 'rec:'
const PIECE_PREFIX = 'piece:'
const META_KEY = 'meta'

type StoredDocument = RoomSnapshot['documents'][number]
type RecordHead = { json: string } | { pieces: number }
interface BoardMeta {
  documentClock: number
  schema: RoomSnapshot['schema']
}

export interface BoardChanges {
  documentClock: number
  schema: RoomSnapshot['schema']
  puts: StoredDocument[]
  deletes: string[]
  /** Replace everything: records not in `puts` are removed. */
  replaceAll?: boolean
}

const pieceKey = (id: string, index: number) => `${PIECE_PREFIX}${id}#${index}`

export class BoardStorage {
  /** How many pieces each big record has on disk, so an update or delete can clear them. */
  private pieceCounts = new Map<string, number>()
  private storedIds = new Set<string>()

  constructor(private readonly storage: KeyValueStorage) {}

  /** The stored board, or null when nothing was ever saved. */
  async load(): Promise<RoomSnapshot | null> {
    const meta = await this.storage.get<BoardMeta>(META_KEY)
    if (!meta) return null
    const [heads, pieces] = await Promise.all([
      this.storage.list<RecordHead>({ prefix: RECORD_PREFIX }),
      this.storage.list<string>({ prefix: PIECE_PREFIX }),
    ])
    const documents: StoredDocument[] = []
    this.pieceCounts.clear()
    this.storedIds.clear()
    for (const [key, head] of heads) {
      const id = key.slice(RECORD_PREFIX.length)
      const json = 'json' in head ? head.json : joinPieces(id, head.pieces, pieces)
      if (json === null) {
        // A piece is missing: the write that made it never completed, so it was never
        // acknowledged either. The client still has it and will send it again.
        console.warn(`board storage: record ${id} is incomplete, skipped`)
        continue
      }
      if ('pieces' in head) this.pieceCounts.set(id, head.pieces)
      this.storedIds.add(id)
      documents.push(JSON.parse(json) as StoredDocument)
    }
    return {
      documentClock: meta.documentClock,
      // Tombstones are not stored: a client that reconnects with an older clock than ours gets
      // the whole board again instead of a diff, which is correct, only a little bigger.
      tombstoneHistoryStartsAtClock: meta.documentClock,
      tombstones: {},
      documents,
      schema: meta.schema,
    }
  }

  /**
   * Writes one batch of changes. Every put and delete is issued before the first await, so
   * Durable Objects coalesce them into one atomic write.
   */
  async save(changes: BoardChanges): Promise<void> {
    const entries: Record<string, unknown> = {}
    const removals: string[] = []
    const keep = new Set<string>()

    for (const doc of changes.puts) {
      const id = doc.state.id
      keep.add(id)
      this.storedIds.add(id)
      const json = JSON.stringify(doc)
      const previousPieces = this.pieceCounts.get(id) ?? 0
      let pieces = 0
      if (json.length <= PIECE_CHARS) {
        entries[RECORD_PREFIX + id] = { json } satisfies RecordHead
        this.pieceCounts.delete(id)
      } else {
        const parts = splitText(json)
        pieces = parts.length
        parts.forEach((part, i) => (entries[pieceKey(id, i)] = part))
        entries[RECORD_PREFIX + id] = { pieces } satisfies RecordHead
        this.pieceCounts.set(id, pieces)
      }
      for (let i = pieces; i < previousPieces; i++) removals.push(pieceKey(id, i))
    }

    const deleted = changes.replaceAll
      ? [...this.storedIds].filter((id) => !keep.has(id))
      : changes.deletes
    for (const id of deleted) {
      removals.push(RECORD_PREFIX + id)
      const pieces = this.pieceCounts.get(id) ?? 0
      for (let i = 0; i < pieces; i++) removals.push(pieceKey(id, i))
      this.pieceCounts.delete(id)
      this.storedIds.delete(id)
    }

    entries[META_KEY] = {
      documentClock: changes.documentClock,
      schema: changes.schema,
    } satisfies BoardMeta

    const writes: Promise<unknown>[] = []
    for (const batch of batches(Object.entries(entries))) {
      writes.push(this.storage.put(Object.fromEntries(batch)))
    }
    for (const batch of batches(removals)) writes.push(this.storage.delete(batch))
    await Promise.all(writes)
  }
}

function joinPieces(id: string, count: number, pieces: Map<string, string>): string | null {
  const parts: string[] = []
  for (let i = 0; i < count; i++) {
    const part = pieces.get(pieceKey(id, i))
    if (part === undefined) return null
    parts.push(part)
  }
  return parts.join('')
}
