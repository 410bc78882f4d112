/**
 * The private brainstorm's hidden stickies: kept beside the sync room, never in it.
 *
 * tldraw's `TLSocketRoom` sends every document record to every session, so a sticky that must
 * stay its author's cannot enter the room's document until it is revealed. While private mode
 * is on, `split` takes out of a participant's push every op that is private (a new note in the
 * scope, by a session with an author key, and any op on an id that is already hidden), applies
 * the author's own ops here, and refuses ops on someone else's hidden sticky. The rest of the
 * push goes to the room. When nothing is left, the room gets the push with no diff at all: it
 * then answers `commit` (the applied diff equals the message's), and the author's client keeps
 * its sticky as saved. An empty `{}` would be answered `discard`, and the client would drop it.
 *
 * Scope and parents are judged on the board as the push would leave it (private-scope.ts): a
 * sticky pasted inside a new frame is hidden when the frame is in scope, and kept (inside
 * the public, empty-looking frame) rather than refused. An id the board has had (on it now, or
 * deleted from it: shape-tombstones.ts) is never hidden: an undo re-creates a public sticky.
 *
 * A refused op is handed to the room as a `remove` of an id the room does not have: it does
 * nothing there, but the room's answer then is not `commit`, so the writer's client rolls the
 * op back instead of believing it saved.
 *
 * Caps: each person holds at most so many stickies and characters, the board at most so many
 * of each; a person with a socket open now keeps a small reserve past the board's caps, so a
 * flood from made-up person keys cannot lock out the people in the room (the reserve is
 * bounded by the sockets a board admits). The facilitator can discard one person's stickies,
 * knowing them only by a handle and a count, or end the brainstorm without revealing.
 *
 * Storage: each hidden sticky is its own key (`hidden:<author>:<shapeId>`, one note record,
 * capped well under the 128 KiB value limit), and the mode (scope, start, each author's name
 * for the facilitator's counts) is one key. Every write is returned, so the board room holds
 * the push's answer until it is durable (the AckGate).
 */
import type { TLShape } from '@tldraw/tlschema'
import { applyObjectDiff, tldrawSchema as schema } from '../core/tldraw-internals'
import { getIndicesAbove, type IndexKey, type JsonValue } from '@tldraw/utils'
import { z } from 'zod'
import {
  FACILITATION_LIMITS,
  privateScopeSchema,
  type PrivateScope,
  type PrivateView,
} from '../../protocol/facilitation'
import type { Role } from '../../protocol'
import { META_KEY } from '../../board/shape-meta'
import { batches, PIECE_CHARS, type KeyValueStorage } from '../core/kv'
import { boardAfterPush } from './private-scope'
import type { BoardRecords } from '../core/board-records'
import { recordRules } from '../rules/roles'
import type { ClientMessage, PresenceRecord } from '../core/client-message'

const MODE_KEY = 'private-mode'
const HIDDEN_PREFIX = 'hidden:'
/** A hidden sticky's record as JSON, at most: a sticky's text is a few words, not a book. */
export const MAX_HIDDEN_NOTE_CHARS = PIECE_CHARS

const privateModeSchema = z.strictObject({
  scope: privateScopeSchema,
  startedAt: z.number(),
  /** Each author's name when they last wrote a hidden sticky, for the facilitator's counts. */
  names: z.record(z.string(), z.string()),
  /**
   * Each author's handle: how the facilitator's counts name them for a discard, without the
   * author key (which also keys their ballots) leaving the server.
   */
  handles: z.record(z.string(), z.string()).default({}),
})
export type PrivateMode = z.infer<typeof privateModeSchema>

type NoteRecord = Extract<TLShape, { type: 'note' }>

interface HiddenNote {
  author: string
  record: NoteRecord
  /** Its record's JSON length, for the board's cap. */
  chars: number
}

/** What the hidden stickies add up to, as a push's ops are checked one by one. */
interface Tally {
  /** Hidden stickies on the board, and the pusher's own; their characters likewise. */
  count: number
  mine: number
  chars: number
  mineChars: number
  presentAuthors: number
}

/** Who pushed, as the server admitted them (never as the client says). */
export interface Pusher {
  role: Role
  /** The hash of the session's person key; null: this session hides nothing. */
  author: string | null
  /** The name the session goes by now (for the counts). */
  name: string
}

/** What one author's hidden stickies became through a push. */
export interface PrivateChange {
  author: string
  puts: NoteRecord[]
  deletes: string[]
}

/** What the board room knows of a push beyond the board's records. */
export interface PushContext {
  /** Whether a shape with this id was on the board and was deleted (it is never hidden). */
  had(id: string): boolean
  /** How many people (author keys) have a socket on the board now: the reserve's bound. */
  presentAuthors: number
}

const NO_CONTEXT: PushContext = { had: () => false, presentAuthors: 0 }

/** What a discard or an ended brainstorm took from each author, to tell their sockets. */
export type Discarded = Map<string, string[]>

export interface SplitOutcome {
  /** The push as the room gets it: its private ops taken out (refused ones as no-op removes). */
  message: ClientMessage
  /** The pusher's hidden stickies that changed (null: none). */
  change: PrivateChange | null
  /** Why ops were refused, one line each, for a notice on the pusher's socket. */
  refusals: string[]
  /** The storage write for the change, which the push's answer must wait for. */
  write: Promise<void> | null
  /** Whether how many hidden stickies someone has changed (the facilitator's counts). */
  countsChanged: boolean
}

/** A hidden sticky as the reveal puts it on the board. */
export interface RevealedNote {
  record: NoteRecord
}

const BOARD_FULL =
  'The board holds as many hidden stickies as a private brainstorm may: that sticky was not kept. Ask the facilitator to reveal.'

const PERSON_FULL =
  'Your hidden stickies hold as much text as one person may in a private brainstorm: that sticky was not kept.'

const hiddenKey = (author: string, id: string) => `${HIDDEN_PREFIX}${author}:${id}`

/**
 * Why adding `count` stickies of `chars` characters would take the pusher or the board past a
 * cap, or null. The board's caps are shared; past them, a person with a socket on the board
 * now may still hold a few small stickies (the reserve), within a bound that grows only with
 * the people present, which the board's socket limit caps.
 */
function overCap(tally: Tally, count: number, chars: number): string | null {
  const limits = FACILITATION_LIMITS
  if (tally.mineChars + chars > limits.maxHiddenCharsPerPerson) return PERSON_FULL
  if (
    tally.count + count <= limits.maxHiddenPerBoard &&
    tally.chars + chars <= limits.maxHiddenBoardChars
  ) {
    return null
  }
  const present = tally.presentAuthors
  const reserved =
    present > 0 &&
    tally.mine < limits.reservedHiddenPerPerson &&
    tally.mineChars + chars <= limits.reservedHiddenChars &&
    tally.count + count <= limits.maxHiddenPerBoard + limits.reservedHiddenPerPerson * present &&
    tally.chars + chars <= limits.maxHiddenBoardChars + limits.reservedHiddenChars * present
  return reserved ? null : BOARD_FULL
}

export class PrivateNotes {
  private mode: PrivateMode | null = null
  private readonly notes = new Map<string, HiddenNote>()
  /** How many hidden stickies each author has, and all their records' JSON length. */
  private readonly perAuthor = new Map<string, number>()
  private readonly charsPerAuthor = new Map<string, number>()
  private chars = 0

  constructor(private readonly storage: KeyValueStorage) {}

  /** Reads the mode and every hidden sticky (again, after a failed write, from scratch). */
  async load(): Promise<void> {
    const [mode, stored] = await Promise.all([
      this.storage.get(MODE_KEY),
      this.storage.list<unknown>({ prefix: HIDDEN_PREFIX }),
    ])
    this.forgetAll()
    const parsed = privateModeSchema.safeParse(mode)
    this.mode = mode === undefined ? null : parsed.success ? parsed.data : null
    if (mode !== undefined && !parsed.success) console.error('private mode unreadable; ended')
    for (const [key, value] of stored) {
      const rest = key.slice(HIDDEN_PREFIX.length)
      const colon = rest.indexOf(':')
      const record = asNote(value)
      if (colon <= 0 || !record || record.id !== rest.slice(colon + 1)) {
        console.error(`hidden sticky ${key} unreadable; skipped`)
        continue
      }
      this.keep(rest.slice(0, colon), record)
    }
    // A brainstorm stored before handles existed: each author gets one now, kept.
    const loaded = this.mode
    const missing = loaded ? [...this.perAuthor.keys()].filter((a) => !loaded.handles[a]) : []
    if (loaded && missing.length > 0) {
      const handles = { ...loaded.handles }
      for (const author of missing) handles[author] = mintHandle()
      this.mode = { ...loaded, handles }
      await this.storage.put({ [MODE_KEY]: this.mode })
    }
  }

  /** The private brainstorm running now, or null. */
  get active(): PrivateMode | null {
    return this.mode
  }

  /** Whether this id is someone's hidden sticky. */
  isHidden(id: string): boolean {
    return this.notes.has(id)
  }

  /**
   * A presence record without hidden stickies in its selection: tldraw sends each person's
   * selected shape ids to everyone, and selecting one's hidden sticky would tell its id.
   */
  withoutHiddenSelection(record: PresenceRecord): PresenceRecord {
    const selected = record.selectedShapeIds
    if (this.notes.size === 0 || !Array.isArray(selected)) return record
    const kept = selected.filter((id) => typeof id !== 'string' || !this.notes.has(id))
    return kept.length === selected.length ? record : { ...record, selectedShapeIds: kept }
  }

  /** The author's hidden stickies (what their sockets are sent on connecting). */
  notesOf(author: string): NoteRecord[] {
    return [...this.notes.values()].filter((n) => n.author === author).map((n) => n.record)
  }

  /** The brainstorm as one session sees it: its own count, and everyone's for a facilitator. */
  view(who: { role: Role; author: string | null }): PrivateView | null {
    const mode = this.mode
    if (!mode) return null
    const counts = this.perAuthor
    return {
      scope: mode.scope,
      startedAt: mode.startedAt,
      mine: who.author ? (counts.get(who.author) ?? 0) : 0,
      counts:
        who.role === 'facilitator'
          ? [...counts]
              .map(([author, count]) => ({
                person: mode.handles[author] ?? '',
                name: mode.names[author] || 'Someone',
                count,
              }))
              .sort((a, b) => a.name.localeCompare(b.name))
          : null,
    }
  }

  /** Turns private mode on, durably (the caller checked the scope and that it was off). */
  async start(scope: PrivateScope, now: number): Promise<void> {
    const mode: PrivateMode = { scope, startedAt: now, names: {}, handles: {} }
    await this.storage.put({ [MODE_KEY]: mode })
    this.mode = mode
  }

  /**
   * Takes the private ops out of a push (see the module comment); null when the push has
   * none and goes to the room as it is. `board` is the room's document as it stands.
   */
  split(
    message: ClientMessage,
    pusher: Pusher,
    board: BoardRecords,
    context: PushContext = NO_CONTEXT,
  ): SplitOutcome | null {
    if (message.type !== 'push' || !message.diff || !this.mode) return null
    const diff = message.diff as Record<string, unknown[]>
    // Scope and parents as the push leaves the board (a sticky inside a frame pasted with it).
    const afterPush = boardAfterPush(board, diff, pusher.role)
    const rest: Record<string, unknown[]> = {}
    const puts = new Map<string, NoteRecord>()
    const deletes = new Set<string>()
    const refusals: string[] = []
    const author = pusher.author
    const before = author ? (this.perAuthor.get(author) ?? 0) : 0
    const tally: Tally = {
      count: this.notes.size,
      mine: before,
      chars: this.chars,
      mineChars: author ? (this.charsPerAuthor.get(author) ?? 0) : 0,
      presentAuthors: context.presentAuthors,
    }
    let touched = false
    for (const [id, op] of Object.entries(diff)) {
      const hidden = this.notes.get(id)
      if (!hidden && !this.createsHiddenNote(id, op, pusher, board, afterPush, context)) {
        rest[id] = op
        continue
      }
      touched = true
      const problem = hidden
        ? this.applyOwnOp(hidden, id, op, pusher, afterPush, puts, deletes, tally)
        : this.create(id, op[1], pusher, afterPush, puts, tally)
      if (problem) {
        refusals.push(problem)
        // A no-op for the room that keeps it from answering `commit` (see the module comment).
        rest[id] = ['remove']
      }
    }
    if (!touched) return null
    const write = author ? this.commit(author, pusher.name, puts, deletes) : null
    const after = author ? (this.perAuthor.get(author) ?? 0) : 0
    const { diff: _, ...withoutDiff } = message
    void _
    return {
      message: Object.keys(rest).length > 0 ? { ...withoutDiff, diff: rest } : withoutDiff,
      change:
        author && (puts.size > 0 || deletes.size > 0)
          ? { author, puts: [...puts.values()], deletes: [...deletes] }
          : null,
      refusals,
      write,
      countsChanged: before !== after,
    }
  }

  /**
   * Every hidden sticky as the reveal puts it on the board: with its author's name in its
   * meta, or (anonymous) with nothing that says who wrote it; one whose parent is gone goes
   * to `page`. Each gets a fresh stacking `index` above what its parent holds (`topIndex`):
   * an author's own indices run a1, a2, a3 in their view and would tell whose is whose, so an
   * anonymous reveal stacks them in a random order (a named one, author by author). The store
   * is emptied and private mode ended by `clear`.
   */
  revealed(
    anonymous: boolean,
    board: BoardRecords,
    page: string,
    topIndex: (parentId: string) => IndexKey | null,
  ): NoteRecord[] {
    const names = this.mode?.names ?? {}
    const notes = [...this.notes.values()].map(({ author, record }) => {
      const parentGone = !board.get(record.parentId)
      const ownMeta = { ...((record.meta[META_KEY] as Record<string, JsonValue>) ?? {}) }
      delete ownMeta.author
      if (!anonymous) ownMeta.author = names[author] || 'Someone'
      return {
        author,
        record: {
          ...record,
          parentId: parentGone ? (page as NoteRecord['parentId']) : record.parentId,
          meta: { ...record.meta, [META_KEY]: ownMeta },
          // tldraw's own "who last edited the text": a user id, which must not survive anonymity.
          props: {
            ...record.props,
            textLastEditedBy: anonymous ? null : record.props.textLastEditedBy,
          },
        },
      }
    })
    const order = anonymous
      ? shuffled(notes)
      : notes.sort((a, b) =>
          a.author === b.author
            ? compareIndex(a.record.index, b.record.index)
            : a.author < b.author
              ? -1
              : 1,
        )
    const byParent = new Map<string, NoteRecord[]>()
    for (const { record } of order) {
      const siblings = byParent.get(record.parentId) ?? []
      siblings.push(record)
      byParent.set(record.parentId, siblings)
    }
    const revealed: NoteRecord[] = []
    for (const [parentId, siblings] of byParent) {
      const indices = getIndicesAbove(topIndex(parentId), siblings.length)
      siblings.forEach((record, i) => revealed.push({ ...record, index: indices[i] }))
    }
    return revealed
  }

  /**
   * Drops one person's hidden stickies (the facilitator's discard: by the handle the counts
   * show, never seeing them). Memory at once; the storage delete is returned. Null: no such
   * person has any.
   */
  discard(person: string): { ids: string[]; author: string; write: Promise<void> } | null {
    const mode = this.mode
    const author = Object.keys(mode?.handles ?? {}).find((a) => mode?.handles[a] === person)
    if (!author || !this.perAuthor.has(author)) return null
    const ids = [...this.notes.values()].filter((n) => n.author === author).map((n) => n.record.id)
    for (const id of ids) this.forget(id)
    const keys = ids.map((id) => hiddenKey(author, id))
    const write = Promise.all([...batches(keys)].map((batch) => this.storage.delete(batch)))
    return { ids, author, write: write.then(() => {}) }
  }

  /** Every author's hidden stickies' ids (what an ending without reveal takes from them). */
  byAuthor(): Discarded {
    const ids: Discarded = new Map()
    for (const { author, record } of this.notes.values()) {
      ids.set(author, [...(ids.get(author) ?? []), record.id])
    }
    return ids
  }

  /**
   * Ends private mode and forgets every hidden sticky: memory at once, storage returned. The
   * mode goes last, so a crash part-way leaves a brainstorm running with fewer stickies (to be
   * ended again), never hidden stickies without a brainstorm.
   */
  clear(): Promise<void> {
    const keys = [...this.notes.values()].map((n) => hiddenKey(n.author, n.record.id))
    this.forgetAll()
    this.mode = null
    return Promise.all([...batches(keys)].map((batch) => this.storage.delete(batch))).then(
      async () => {
        await this.storage.delete([MODE_KEY])
      },
    )
  }

  /** A hidden sticky the room's document has too (a reveal cut short by a crash): forgotten. */
  dropPublished(board: BoardRecords): Promise<void> | null {
    const published = [...this.notes.values()].filter((n) => board.get(n.record.id))
    if (published.length === 0) return null
    for (const n of published) this.forget(n.record.id)
    const keys = published.map((n) => hiddenKey(n.author, n.record.id))
    return Promise.all([...batches(keys)].map((batch) => this.storage.delete(batch))).then(() => {})
  }

  /**
   * Whether this op makes a new hidden sticky: a new note, in scope (on the board as the push
   * leaves it: `after`), by an author, with an id the board never had.
   */
  private createsHiddenNote(
    id: string,
    op: unknown[],
    pusher: Pusher,
    board: BoardRecords,
    after: BoardRecords,
    context: PushContext,
  ) {
    if (op[0] !== 'put' || pusher.role !== 'participant' || !pusher.author) return false
    const record = op[1] as Partial<TLShape> | undefined
    if (record?.typeName !== 'shape' || record.type !== 'note') return false
    // Already on the board: an update of a public sticky, the room's business. Once on it:
    // an undo bringing a deleted public sticky back, which stays public.
    if (board.get(id) || context.had(id)) return false
    return this.inScope(record.parentId, after)
  }

  /** Whether a sticky with this parent is in the brainstorm's scope. */
  private inScope(parentId: unknown, board: BoardRecords): boolean {
    const scope = this.mode?.scope
    if (!scope) return false
    if (scope.kind === 'board') return true
    let id = typeof parentId === 'string' ? parentId : ''
    for (let depth = 0; depth < 32 && id; depth++) {
      if (id === scope.frameId) return true
      const parent = board.get(id)
      if (parent?.typeName !== 'shape') return false
      id = parent.parentId
    }
    return false
  }

  private create(
    id: string,
    value: unknown,
    pusher: Pusher,
    board: BoardRecords,
    puts: Map<string, NoteRecord>,
    tally: Tally,
  ): string | null {
    const { maxHiddenPerPerson } = FACILITATION_LIMITS
    if (tally.mine >= maxHiddenPerPerson) {
      return `You have ${maxHiddenPerPerson} hidden stickies, the most one person may hold in a private brainstorm: that sticky was not added.`
    }
    const record = this.checked(id, value, null, pusher, board)
    if (typeof record === 'string') return record
    const chars = JSON.stringify(record).length
    const problem = overCap(tally, 1, chars)
    if (problem) return problem
    puts.set(id, record)
    tally.count++
    tally.mine++
    tally.chars += chars
    tally.mineChars += chars
    return null
  }

  /** An op on an existing hidden sticky: applied when it is the pusher's own, else refused. */
  private applyOwnOp(
    hidden: HiddenNote,
    id: string,
    op: unknown[],
    pusher: Pusher,
    board: BoardRecords,
    puts: Map<string, NoteRecord>,
    deletes: Set<string>,
    tally: Tally,
  ): string | null {
    if (!pusher.author || hidden.author !== pusher.author) {
      return 'That sticky is hidden during the private brainstorm: only its author can change it.'
    }
    const current = puts.get(id) ?? hidden.record
    switch (op[0]) {
      case 'remove':
        if (!shapeAllowed(pusher.role, board, 'delete', current, null)) {
          return 'That sticky cannot be deleted.'
        }
        puts.delete(id)
        deletes.add(id)
        tally.count--
        tally.mine--
        tally.chars -= hidden.chars
        tally.mineChars -= hidden.chars
        return null
      case 'put':
      case 'patch': {
        let next: unknown
        try {
          next = op[0] === 'put' ? op[1] : applyObjectDiff(current, op[1] as object)
        } catch {
          return 'That change to your hidden sticky could not be applied.'
        }
        const record = this.checked(id, next, current, pusher, board)
        if (typeof record === 'string') return record
        const chars = JSON.stringify(record).length
        // Growing counts against the caps as a new sticky would; shrinking always may.
        if (chars > hidden.chars) {
          const problem = overCap({ ...tally, mine: tally.mine - 1 }, 0, chars - hidden.chars)
          if (problem) return problem
        }
        tally.chars += chars - hidden.chars
        tally.mineChars += chars - hidden.chars
        deletes.delete(id)
        puts.set(id, record)
        return null
      }
      default:
        return 'That change to your hidden sticky is not one the board knows.'
    }
  }

  /** The note as it may be kept, or why not: schema-valid, small, and allowed by the rules. */
  private checked(
    id: string,
    value: unknown,
    prev: NoteRecord | null,
    pusher: Pusher,
    board: BoardRecords,
  ): NoteRecord | string {
    const record = asNote(value)
    if (!record || record.id !== id) return 'A hidden sticky must stay a sticky.'
    if (JSON.stringify(record).length > MAX_HIDDEN_NOTE_CHARS) {
      return 'That sticky is too long to keep hidden; shorten its text.'
    }
    if (!shapeAllowed(pusher.role, board, prev ? 'update' : 'create', prev, record)) {
      return 'That sticky cannot go there (its frame is gone, frozen or part of the template).'
    }
    return record
  }

  /** Holds a hidden sticky (in place of the one with its id), counted for the caps. */
  private keep(author: string, record: NoteRecord) {
    this.forget(record.id)
    const chars = JSON.stringify(record).length
    this.notes.set(record.id, { author, record, chars })
    this.perAuthor.set(author, (this.perAuthor.get(author) ?? 0) + 1)
    this.charsPerAuthor.set(author, (this.charsPerAuthor.get(author) ?? 0) + chars)
    this.chars += chars
  }

  private forget(id: string) {
    const note = this.notes.get(id)
    if (!note) return
    this.notes.delete(id)
    const left = (this.perAuthor.get(note.author) ?? 1) - 1
    if (left > 0) this.perAuthor.set(note.author, left)
    else this.perAuthor.delete(note.author)
    const chars = (this.charsPerAuthor.get(note.author) ?? 0) - note.chars
    if (left > 0) this.charsPerAuthor.set(note.author, chars)
    else this.charsPerAuthor.delete(note.author)
    this.chars -= note.chars
  }

  private forgetAll() {
    this.notes.clear()
    this.perAuthor.clear()
    this.charsPerAuthor.clear()
    this.chars = 0
  }

  /** Applies a push's changes to the author's stickies and returns their write. */
  private commit(
    author: string,
    name: string,
    puts: Map<string, NoteRecord>,
    deletes: Set<string>,
  ): Promise<void> | null {
    const entries: Record<string, unknown> = {}
    for (const [id, record] of puts) {
      this.keep(author, record)
      entries[hiddenKey(author, id)] = record
    }
    for (const id of deletes) this.forget(id)
    const mode = this.mode
    const renamed = !!name && mode?.names[author] !== name
    const handle = mode?.handles[author] ? null : mintHandle()
    if (mode && puts.size > 0 && (renamed || handle)) {
      this.mode = {
        ...mode,
        names: renamed ? { ...mode.names, [author]: name } : mode.names,
        handles: handle ? { ...mode.handles, [author]: handle } : mode.handles,
      }
      entries[MODE_KEY] = this.mode
    }
    const writes: Promise<unknown>[] = []
    for (const batch of batches(Object.entries(entries))) {
      writes.push(this.storage.put(Object.fromEntries(batch)))
    }
    for (const batch of batches([...deletes].map((id) => hiddenKey(author, id)))) {
      writes.push(this.storage.delete(batch))
    }
    return writes.length > 0 ? Promise.all(writes).then(() => {}) : null
  }
}

/** A person's handle in the facilitator's counts: random, so it tells nothing of their key. */
function mintHandle(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The items in a random order (Fisher–Yates, with the platform's random numbers). */
function shuffled<T>(items: T[]): T[] {
  const out = [...items]
  const random = crypto.getRandomValues(new Uint32Array(out.length))
  for (let i = out.length - 1; i > 0; i--) {
    const j = random[i] % (i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

/** Fractional indices compare as plain strings (tldraw's own order). */
function compareIndex(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The value as a tldraw note record, if tldraw's schema says it is one. */
function asNote(value: unknown): NoteRecord | null {
  if (!value || typeof value !== 'object') return null
  const record = value as Partial<TLShape>
  if (record.typeName !== 'shape' || record.type !== 'note') return null
  try {
    return schema.types.shape.validate(record) as NoteRecord
  } catch {
    return null
  }
}

/** The board's own shape rule (roles.ts): parent on the board, nothing protected touched. */
function shapeAllowed(
  role: Role,
  board: BoardRecords,
  type: 'create' | 'update' | 'delete',
  prev: NoteRecord | null,
  next: NoteRecord | null,
): boolean {
  const rule = recordRules(board).shape
  const session = { sessionId: '', isReadonly: false, meta: { role } }
  const write = { session, type, prev, next } as unknown as Parameters<typeof rule>[0]
  return rule(write) !== null
}
