/**
 * Keeps a board's snapshots (a PNG and the board's JSON each) in the board's own Durable
 * Object storage, next to its records.
 *
 * An image may be 12 MiB and a board 16 MiB, but one storage value holds at most 128 KiB, so
 * both are stored in pieces, and the listing is one small entry per snapshot:
 *
 *   snap:<id>                   the snapshot's summary, and how many pieces it has
 *   snap-piece:<id>/i/<n>       the n-th piece of its PNG (bytes)
 *   snap-piece:<id>/b/<n>       the n-th piece of its board JSON (text)
 *   snap-pending:<id>           a write or a removal in progress (see below)
 *
 * A snapshot the server takes itself (the board as it was before a restore) has no picture:
 * the server cannot draw one. Its entry says so (width and height null, no image pieces).
 *
 * None of these prefixes starts with the board's own (`rec:`, `piece:`, `meta`, `auth`), so
 * `BoardStorage.load`, which lists by prefix, never reads a snapshot as a board record.
 *
 * A snapshot is listed once its entry exists, and the entry is written after every piece: a
 * crash part-way never lists a snapshot with pieces missing. Removing drops the entry before
 * the pieces. Either way a `snap-pending:` marker says which pieces may be left behind, so
 * the next start clears them without listing every piece (which would read every image).
 */
import { SNAPSHOT_LIMITS } from '../../protocol'
import { batches, splitText, type KeyValueStorage } from '../core/kv'

/**
 * Bytes per image piece. Durable Objects store a Uint8Array as itself (V8 serialisation), a
 * few bytes over its length, so 96 KiB pieces stay clear of the 128 KiB limit; 12 MiB, the
 * largest image, is 128 pieces: one put.
 */
export const IMAGE_PIECE_BYTES = 96 * 1024

/** What the server keeps of a snapshot besides its pieces. */
export interface SnapshotEntry {
  id: string
  title: string
  createdAt: number
  /** The picture's size; null for a snapshot without one. */
  width: number | null
  height: number | null
  /** 1 for a board's first snapshot, and so on: names the untitled ones. */
  seq: number
  imageBytes: number
  imagePieces: number
  boardPieces: number
}

/** A snapshot to keep: the board, and its picture unless the server took it (`image: null`). */
export type NewSnapshot = {
  /** Untitled snapshots are called "Snapshot <n>". */
  title?: string
  board: string
} & ({ image: Uint8Array; width: number; height: number } | { image: null })

export type AddResult = { kind: 'added'; entry: SnapshotEntry } | { kind: 'full'; limit: number }

/** A place among the board's snapshots, held from `reserve` until it is written or released. */
export interface SnapshotSlot {
  write(snapshot: NewSnapshot, now?: number): Promise<SnapshotEntry>
  release(): void
}

interface Pending {
  imagePieces: number
  boardPieces: number
}

const ENTRY_PREFIX = 'snap:'
const PIECE_PREFIX = 'snap-piece:'
const PENDING_PREFIX = 'snap-pending:'

const imageKey = (id: string, n: number) => `${PIECE_PREFIX}${id}/i/${n}`
const boardKey = (id: string, n: number) => `${PIECE_PREFIX}${id}/b/${n}`

function pieceKeys(id: string, { imagePieces, boardPieces }: Pending): string[] {
  return [
    ...Array.from({ length: imagePieces }, (_, n) => imageKey(id, n)),
    ...Array.from({ length: boardPieces }, (_, n) => boardKey(id, n)),
  ]
}

export class SnapshotStore {
  private entries = new Map<string, SnapshotEntry>()
  private loading: Promise<void> | null = null
  /** Snapshots being written: they count against the limit before they are listed. */
  private reserved = 0
  private lastSeq = 0

  constructor(
    private readonly storage: KeyValueStorage,
    readonly maxSnapshots: number = SNAPSHOT_LIMITS.maxSnapshots,
  ) {}

  /** Every snapshot, newest first. */
  async list(): Promise<SnapshotEntry[]> {
    await this.ready()
    return [...this.entries.values()].sort(
      (a, b) => b.createdAt - a.createdAt || b.seq - a.seq || (a.id < b.id ? 1 : -1),
    )
  }

  async get(id: string): Promise<SnapshotEntry | undefined> {
    await this.ready()
    return this.entries.get(id)
  }

  /** Whether a new snapshot would be refused now (it is checked again when one is added). */
  async isFull(): Promise<boolean> {
    await this.ready()
    return this.entries.size + this.reserved >= this.maxSnapshots
  }

  async add(snapshot: NewSnapshot, now = Date.now()): Promise<AddResult> {
    const slot = await this.reserve()
    if (!slot) return { kind: 'full', limit: this.maxSnapshots }
    return { kind: 'added', entry: await slot.write(snapshot, now) }
  }

  /**
   * Takes a place for a snapshot, or null when there is none. Checked and reserved in one
   * synchronous step once the entries are read, so two uploads cannot both take the last
   * place; a restore holds its place before it captures the board, so its safety copy is
   * never refused after the board has changed.
   */
  async reserve(): Promise<SnapshotSlot | null> {
    await this.ready()
    if (this.entries.size + this.reserved >= this.maxSnapshots) return null
    this.reserved++
    let held = true
    const release = () => {
      if (held) this.reserved--
      held = false
    }
    return {
      write: async (snapshot, now = Date.now()) => {
        if (!held) throw new Error('this snapshot place was released')
        try {
          return await this.write(snapshot, now)
        } finally {
          release()
        }
      },
      release,
    }
  }

  private async write(snapshot: NewSnapshot, now: number): Promise<SnapshotEntry> {
    const id = newSnapshotId(now)
    const seq = ++this.lastSeq
    const pieces: Record<string, Uint8Array | string> = {}
    const image = snapshot.image
    const imagePieces = image ? Math.max(1, Math.ceil(image.byteLength / IMAGE_PIECE_BYTES)) : 0
    for (let n = 0; n < imagePieces; n++) {
      // A copy, not a view: V8 serialises a view's whole underlying buffer.
      pieces[imageKey(id, n)] = image!.slice(n * IMAGE_PIECE_BYTES, (n + 1) * IMAGE_PIECE_BYTES)
    }
    const boardParts = splitText(snapshot.board)
    const boardPieces = boardParts.length
    boardParts.forEach((part, n) => (pieces[boardKey(id, n)] = part))

    const pending: Pending = { imagePieces, boardPieces }
    await this.storage.put({ [PENDING_PREFIX + id]: pending })
    try {
      await Promise.all(
        [...batches(Object.entries(pieces))].map((b) => this.storage.put(Object.fromEntries(b))),
      )
    } catch (error) {
      // Whatever did land goes now; if this fails too, the marker has it cleared at start.
      await this.clearPieces(id, pending).catch(() => {})
      throw error
    }
    const entry: SnapshotEntry = {
      id,
      title: snapshot.title ?? `Snapshot ${seq}`,
      createdAt: now,
      width: snapshot.image ? snapshot.width : null,
      height: snapshot.image ? snapshot.height : null,
      seq,
      imageBytes: image?.byteLength ?? 0,
      imagePieces,
      boardPieces,
    }
    await this.storage.put({ [ENTRY_PREFIX + id]: entry })
    this.entries.set(id, entry)
    await this.storage.delete([PENDING_PREFIX + id])
    return entry
  }

  /** The PNG's bytes, or null when there is no such snapshot or it has no picture. */
  async readImage(id: string): Promise<Uint8Array<ArrayBuffer> | null> {
    const entry = await this.get(id)
    if (!entry || entry.imagePieces === 0) return null
    const parts = await this.readPieces<Uint8Array | ArrayBuffer>(
      id,
      Array.from({ length: entry.imagePieces }, (_, n) => imageKey(id, n)),
    )
    if (!parts) return null
    const bytes = new Uint8Array(entry.imageBytes)
    let offset = 0
    for (const part of parts) {
      const piece = part instanceof Uint8Array ? part : new Uint8Array(part)
      bytes.set(piece, offset)
      offset += piece.byteLength
    }
    return bytes
  }

  /** The board JSON as stored, or null when there is no such snapshot. */
  async readBoard(id: string): Promise<string | null> {
    const entry = await this.get(id)
    if (!entry) return null
    const parts = await this.readPieces<string>(
      id,
      Array.from({ length: entry.boardPieces }, (_, n) => boardKey(id, n)),
    )
    return parts ? parts.join('') : null
  }

  /** Removes the snapshot and all its pieces; false when there was none. */
  async remove(id: string): Promise<boolean> {
    const entry = await this.get(id)
    if (!entry) return false
    this.entries.delete(id)
    const pending: Pending = { imagePieces: entry.imagePieces, boardPieces: entry.boardPieces }
    await this.storage.put({ [PENDING_PREFIX + id]: pending })
    await this.storage.delete([ENTRY_PREFIX + id])
    await this.clearPieces(id, pending)
    return true
  }

  private async readPieces<T>(id: string, keys: string[]): Promise<T[] | null> {
    const parts = await Promise.all(keys.map((key) => this.storage.get<T>(key)))
    if (parts.some((part) => part === undefined)) {
      // Only while the snapshot is being removed: pieces are written before the entry.
      console.warn(`snapshot storage: snapshot ${id} is missing pieces`)
      return null
    }
    return parts as T[]
  }

  private async clearPieces(id: string, pending: Pending) {
    await Promise.all([...batches(pieceKeys(id, pending))].map((b) => this.storage.delete(b)))
    await this.storage.delete([PENDING_PREFIX + id])
  }

  private ready(): Promise<void> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = null
      throw error
    })
    return this.loading
  }

  /** Reads every entry, and finishes what a crash interrupted. */
  private async load() {
    const [entries, pending] = await Promise.all([
      this.storage.list<SnapshotEntry>({ prefix: ENTRY_PREFIX }),
      this.storage.list<Pending>({ prefix: PENDING_PREFIX }),
    ])
    this.entries = new Map([...entries.values()].map((entry) => [entry.id, entry]))
    this.lastSeq = Math.max(0, ...[...this.entries.values()].map((entry) => entry.seq))
    for (const [key, marker] of pending) {
      const id = key.slice(PENDING_PREFIX.length)
      // Listed: the write completed (or the removal never began); only the marker is left.
      // Not listed: a write that never completed, or a removal that did not finish.
      if (this.entries.has(id)) await this.storage.delete([key])
      else await this.clearPieces(id, marker)
    }
  }
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/**
 * Milliseconds in base 36 (9 characters, so they sort as text until the year 5188), then 8
 * random characters: ids sort by time, and are never reused even within one millisecond.
 */
export function newSnapshotId(now = Date.now()): string {
  const random = crypto.getRandomValues(new Uint8Array(8))
  return now.toString(36).padStart(9, '0') + [...random].map((b) => ID_ALPHABET[b & 63]).join('')
}
