/**
 * Keeps a board's tldraw records in PartyKit (Durable Object) storage.
 *
 * One storage value holds at most 128 KiB, so a board is never stored as one blob: each
 * record has its own key, and a record too big for one value (a long freehand stroke, an
 * inline image) is split into pieces:
 *
 *   meta                        the document clock and the schema
 *   rec:<id>                    the record's JSON, or which revision of pieces holds it
 *   piece:<id>/<rev>/<n>        the n-th piece of that revision
 *
 * A big record is never overwritten in place: its pieces are written under a new revision,
 * then its `rec:` entry is switched to that revision, then the old revision's pieces are
 * deleted (as the team library does). A crash at any point leaves the entry pointing at a
 * revision whose pieces are all there; whatever a crash leaves behind is cleared at the next
 * load. Saves run one after another, so two writes of one record never interleave.
 *
 * Boards written before revisions (`{ pieces }` entries, `piece:<id>#<n>` keys) still load;
 * their pieces go the next time the record is written. A record that cannot be read back (a
 * missing piece, JSON that does not parse) is reported in one log line and left out of the
 * board, and an older complete revision of it is used instead when one is still stored.
 */
import type { RoomSnapshot } from '@tldraw/sync-core'
import { PIECE_CHARS, batches, splitText, type KeyValueStorage } from '../core/kv'

const RECORD_PREFIX = 'rec:'
const PIECE_PREFIX = 'piece:'
const META_KEY = 'meta'

type StoredDocument = RoomSnapshot['documents'][number]
/** A `rec:` entry: the JSON itself, a revision of pieces, or (older boards) unrevised pieces. */
type RecordHead = { json: string } | { rev: string; pieces: number } | { pieces: number }
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

const pieceKey = (id: string, rev: string, n: number) => `${PIECE_PREFIX}${id}/${rev}/${n}`
/** Before revisions, a record's pieces were overwritten in place under these keys. */
const legacyPieceKey = (id: string, n: number) => `${PIECE_PREFIX}${id}#${n}`
const REVISION = /^([0-9a-z]+-[0-9a-z]+)\/(\d+)$/

function pieceKeysOf(id: string, head: RecordHead): string[] {
  if ('json' in head) return []
  return Array.from({ length: head.pieces }, (_, n) =>
    'rev' in head ? pieceKey(id, head.rev, n) : legacyPieceKey(id, n),
  )
}

/** A revision name that no other write of the record shares: the clock, then chance. */
function newRevision(clock: number): string {
  const random = crypto.getRandomValues(new Uint32Array(1))[0]
  return `${clock.toString(36)}-${random.toString(36)}`
}

export class BoardStorage {
  /** Every stored record's piece keys (none for one stored whole), to clear on the next write. */
  private stored = new Map<string, string[]>()
  /** The saves issued, one after another; a failed one fails every save after it. */
  private tail: Promise<void> = Promise.resolve()
  /** Storage calls under way, which a load waits for before it reads. */
  private readonly inFlight = new Set<Promise<unknown>>()

  constructor(private readonly storage: KeyValueStorage) {}

  /**
   * The stored board, or null when nothing was ever saved. Records that cannot be read are
   * reported and left out; pieces no entry points at (a crash's leftovers) are deleted.
   */
  async load(): Promise<RoomSnapshot | null> {
    // A failed save may still have sibling calls under way: let them land before reading.
    await Promise.allSettled([...this.inFlight])
    this.tail = Promise.resolve()
    const meta = await this.storage.get<BoardMeta>(META_KEY)
    if (!meta) return null
    const [heads, pieces] = await Promise.all([
      this.storage.list<RecordHead>({ prefix: RECORD_PREFIX }),
      this.storage.list<string>({ prefix: PIECE_PREFIX }),
    ])
    const documents: StoredDocument[] = []
    const repairs: Record<string, RecordHead> = {}
    const used = new Set<string>()
    this.stored.clear()
    for (const [key, head] of heads) {
      const id = key.slice(RECORD_PREFIX.length)
      const keys = pieceKeysOf(id, head)
      // Kept whatever happens below: the next write of this id, or a restore, clears them.
      keys.forEach((k) => used.add(k))
      const read = readRecord(id, head, pieces)
      if (read.ok) {
        documents.push(read.doc)
        this.stored.set(id, keys)
        continue
      }
      const older = olderRevision(id, head, pieces)
      if (older) {
        console.error(`board storage: record ${id} ${read.problem}; loaded its previous version`)
        documents.push(older.doc)
        pieceKeysOf(id, older.head).forEach((k) => used.add(k))
        this.stored.set(id, [...keys, ...pieceKeysOf(id, older.head)])
        repairs[key] = older.head
      } else {
        console.error(`board storage: record ${id} ${read.problem}; left out of the board`)
        // Not on the board, but its keys are known, so a restore or a new put clears them.
        this.stored.set(id, keys)
      }
    }
    const orphans = [...pieces.keys()].filter((key) => !used.has(key))
    await this.track(
      Promise.all([
        ...[...batches(Object.entries(repairs))].map((b) =>
          this.storage.put(Object.fromEntries(b)),
        ),
        ...[...batches(orphans)].map((b) => this.storage.delete(b)),
      ]),
    )
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
   * Writes one batch of changes, once every save before it has landed and `after` (another
   * write that must be durable first, such as a restore's safety copy) has too. Which keys
   * it writes is decided now, so saves issued later see this one's revisions.
   */
  save(changes: BoardChanges, after?: Promise<unknown>): Promise<void> {
    const plan = this.plan(changes)
    const previous = this.tail
    const write = (async () => {
      await previous
      await after
      await this.write(plan)
    })()
    this.tail = write
    return write
  }

  /** The keys one save puts and deletes, in the three steps that keep every record whole. */
  private plan(changes: BoardChanges) {
    const pieces: Record<string, string> = {}
    const heads: Record<string, unknown> = {}
    const headRemovals: string[] = []
    const staleKeys: string[] = []
    const keep = new Set<string>()

    for (const doc of changes.puts) {
      const id = doc.state.id
      keep.add(id)
      staleKeys.push(...(this.stored.get(id) ?? []))
      const json = JSON.stringify(doc)
      if (json.length <= PIECE_CHARS) {
        heads[RECORD_PREFIX + id] = { json } satisfies RecordHead
        this.stored.set(id, [])
      } else {
        const rev = newRevision(changes.documentClock)
        const parts = splitText(json)
        const head: RecordHead = { rev, pieces: parts.length }
        const keys = pieceKeysOf(id, head)
        parts.forEach((part, n) => (pieces[keys[n]] = part))
        heads[RECORD_PREFIX + id] = head
        this.stored.set(id, keys)
      }
    }

    const deleted = changes.replaceAll
      ? [...this.stored.keys()].filter((id) => !keep.has(id))
      : changes.deletes
    for (const id of deleted) {
      headRemovals.push(RECORD_PREFIX + id)
      staleKeys.push(...(this.stored.get(id) ?? []))
      this.stored.delete(id)
    }

    heads[META_KEY] = {
      documentClock: changes.documentClock,
      schema: changes.schema,
    } satisfies BoardMeta
    return { pieces, heads, headRemovals, staleKeys }
  }

  /**
   * Pieces first; then every entry and the meta together (issued with no await between them,
   * so Durable Objects commit them as one); the replaced pieces last. A small edit is one put.
   */
  private async write(plan: ReturnType<BoardStorage['plan']>) {
    const { pieces, heads, headRemovals, staleKeys } = plan
    const puts = (entries: Record<string, unknown>) =>
      [...batches(Object.entries(entries))].map((b) => this.storage.put(Object.fromEntries(b)))
    const deletes = (keys: string[]) => [...batches(keys)].map((b) => this.storage.delete(b))

    if (Object.keys(pieces).length > 0) await this.track(Promise.all(puts(pieces)))
    await this.track(Promise.all([...puts(heads), ...deletes(headRemovals)]))
    if (staleKeys.length > 0) await this.track(Promise.all(deletes(staleKeys)))
  }

  private async track<T>(call: Promise<T>): Promise<T> {
    this.inFlight.add(call)
    try {
      return await call
    } finally {
      this.inFlight.delete(call)
    }
  }
}

type ReadResult = { ok: true; doc: StoredDocument } | { ok: false; problem: string }

/** The record an entry points at, or what is wrong with it. */
function readRecord(id: string, head: RecordHead, pieces: Map<string, string>): ReadResult {
  let json: string
  if ('json' in head) json = head.json
  else {
    const parts = pieceKeysOf(id, head).map((key) => pieces.get(key))
    const missing = parts.findIndex((part) => part === undefined)
    if (missing >= 0)
      return { ok: false, problem: `is missing piece ${missing + 1} of ${parts.length}` }
    json = parts.join('')
  }
  try {
    const doc = JSON.parse(json) as StoredDocument
    if (doc?.state?.id !== id) return { ok: false, problem: 'holds another record' }
    return { ok: true, doc }
  } catch {
    return { ok: false, problem: 'is not readable JSON' }
  }
}

/**
 * A complete revision of the record other than the one its entry names, newest first: only
 * there when a crash came between the entry's switch and the cleanup of the old pieces. A cut
 * JSON object never parses, so a revision that parses to this record is whole.
 */
function olderRevision(
  id: string,
  head: RecordHead,
  pieces: Map<string, string>,
): { doc: StoredDocument; head: RecordHead } | null {
  const prefix = `${PIECE_PREFIX}${id}/`
  const counts = new Map<string, number>()
  for (const key of pieces.keys()) {
    const match = key.startsWith(prefix) ? REVISION.exec(key.slice(prefix.length)) : null
    if (match) counts.set(match[1], Math.max(counts.get(match[1]) ?? 0, Number(match[2]) + 1))
  }
  const current = 'rev' in head ? head.rev : null
  const revisions = [...counts].filter(([rev]) => rev !== current)
  revisions.sort(([a], [b]) => parseInt(b, 36) - parseInt(a, 36))
  for (const [rev, count] of revisions) {
    const candidate: RecordHead = { rev, pieces: count }
    const read = readRecord(id, candidate, pieces)
    if (read.ok) return { doc: read.doc, head: candidate }
  }
  return null
}
