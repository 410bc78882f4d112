/**
 * The private brainstorm's glue to the board's sync room: what BoardRoom does for it, in one
 * place, so the room stays sync and storage (board-room.ts) and the hidden stickies stay a
 * store with rules (private-notes.ts).
 *
 * It takes a participant's private ops out of each push before the room sees it, holds the
 * push's answer until the hidden stickies are durable (the AckGate), tells the author's other
 * sockets what changed, gives a reconnected author their hidden stickies back, starts private
 * mode and reveals it in one durable step, and forgets on load the hidden stickies a crashed
 * reveal had already published. It reaches the room through a narrow host: the gate, the
 * room and its storage as they are now, the sockets admitted with an author key, and the write.
 *
 * It also remembers the shape ids the board has deleted (shape-tombstones.ts), which are never
 * hidden, and carries out the facilitator's discard of one person's stickies and the end of a
 * brainstorm without a reveal: both tell the authors' sockets to drop the stickies first.
 */
import type { TLSocketRoom } from '@tldraw/sync-core'
import type { TLRecord } from '@tldraw/tlschema'
import type { BoardNotice } from '../../protocol'
import type { PrivateScope, PrivateView } from '../../protocol/facilitation'
import { repairedRecord } from '../../board/record-content'
import type { AckGate } from '../core/ack-gate'
import type { ActResult, BrainstormHost, SessionIdentity } from '../workshop/facilitation'
import type { KeyValueStorage } from '../core/kv'
import type { ClientMessage, PresenceRecord } from '../core/client-message'
import type { IndexKey } from '@tldraw/utils'
import { PrivateNotes, type Pusher } from './private-notes'
import type { RefusalLog } from '../limits/refusal-log'
import type { SessionMeta } from '../rules/roles'
import type { RoomStorage } from '../core/room-storage'
import { ShapeTombstones } from './shape-tombstones'

/** What the brainstorm needs of the board room. */
export interface BrainstormRoomHost {
  readonly gate: AckGate
  readonly log: RefusalLog
  /** The sync room and the storage its rules read, or null while the board reloads. */
  current(): { room: TLSocketRoom<TLRecord, SessionMeta>; storage: RoomStorage } | null
  /** The sessions admitted with this author key (whose sockets see that author's stickies). */
  sessionsOf(author: string): Iterable<string>
  /** How many author keys have a socket on the board now. */
  authorsPresent(): number
  /** Starts the write for what the room committed since the last one (null: nothing to write). */
  save(): Promise<void> | null
  /** Whether the board is open, after reloading it from storage if it must. */
  ensureOpen(): Promise<boolean>
  /** Someone's count of hidden stickies changed: the workshop state goes out again. */
  countsChanged(): void
  /** Why putting these records on the board would take it past its size limits, or null. */
  sizeRefusal(records: readonly { id: string }[]): string | null
}

/** A push as the room gets it, and what to send the writer after the room's answer. */
export interface SplitPush {
  data: ClientMessage
  json: string
  echo: (() => void) | null
}

export class PrivateBrainstormRoom implements BrainstormHost {
  /** The hidden stickies, kept out of the room's document. */
  readonly notes: PrivateNotes
  /** Shape ids the board has deleted: never hidden (an undo brings a public sticky back). */
  private readonly tombstones: ShapeTombstones

  constructor(
    storage: KeyValueStorage,
    private readonly host: BrainstormRoomHost,
  ) {
    this.notes = new PrivateNotes(storage)
    this.tombstones = new ShapeTombstones(storage)
  }

  /** Reads private mode, the hidden stickies and the deleted ids (before the room opens). */
  async load(): Promise<void> {
    await Promise.all([this.notes.load(), this.tombstones.load()])
  }

  /** The room deleted these records: their ids are remembered (the board's save waits). */
  deleted(ids: readonly string[]): Promise<void> | null {
    return this.tombstones.deleted(ids)
  }

  /** Once the room is open: a hidden sticky the board has too (a reveal cut short) is forgotten. */
  async opened(): Promise<void> {
    const current = this.host.current()
    if (current) await this.notes.dropPublished(current.storage)
  }

  view(who: SessionIdentity): PrivateView | null {
    return this.notes.view(who)
  }

  /** Selecting one's hidden sticky must not tell everyone its id through presence. */
  withoutHiddenSelection(record: PresenceRecord): PresenceRecord {
    return this.notes.withoutHiddenSelection(record)
  }

  /**
   * A socket's sync session is connected (after the room's hydration): a wiped client store
   * gets its author's hidden stickies back.
   */
  joined(sessionId: string, author: string | null): void {
    const room = this.host.current()?.room
    if (!room || !author || !this.notes.active) return
    room.sendCustomMessage(sessionId, {
      type: 'private-notes',
      reset: true,
      puts: this.notes.notesOf(author),
      deletes: [],
    })
  }

  /**
   * Takes a push's private ops out before the room sees it (private-notes.ts): the author's
   * own are stored (the room's answer waits for that write), someone else's are refused with
   * a notice. The author's other sockets are sent the change. When an op was refused, the
   * room will not answer `commit`, and the writer's client rolls back the whole push: `echo`
   * then sends the writer its own applied changes again, after the room's answer.
   */
  split(message: ClientMessage, sessionId: string, pusher: Pusher): SplitPush | null {
    const current = this.host.current()
    if (!current) return null
    const { room, storage } = current
    const split = this.notes.split(message, pusher, storage, {
      had: (id) => this.tombstones.had(id),
      presentAuthors: this.host.authorsPresent(),
    })
    if (!split) return null
    const { write, change, refusals } = split
    // Whatever the room sends after this (the push's answer included) waits for the write.
    if (write)
      this.host.gate.process(
        () => {},
        () => write,
      )
    if (refusals.length > 0) {
      this.host.log.warn(
        `refused ${refusals.length} private op(s) from ${sessionId}: ${refusals[0]}`,
      )
      const notice: BoardNotice = { kind: 'private-brainstorm', message: refusals[0] }
      room.sendCustomMessage(sessionId, notice)
    }
    let echo: (() => void) | null = null
    if (change) {
      const message = {
        type: 'private-notes' as const,
        reset: false,
        puts: change.puts,
        deletes: change.deletes,
      }
      for (const id of this.host.sessionsOf(change.author)) {
        if (id !== sessionId) room.sendCustomMessage(id, message)
      }
      if (refusals.length > 0) echo = () => room.sendCustomMessage(sessionId, message)
    }
    if (split.countsChanged) this.host.countsChanged()
    return { data: split.message, json: JSON.stringify(split.message), echo }
  }

  /** Private mode on, for the board or one frame on it (the facilitator's action). */
  async start(scope: PrivateScope): Promise<ActResult> {
    if (this.notes.active) {
      return { ok: false, status: 409, error: 'A private brainstorm is already running.' }
    }
    if (scope.kind === 'frame') {
      const frame = this.host.current()?.storage.get(scope.frameId)
      if (frame?.typeName !== 'shape' || frame.type !== 'frame') {
        return { ok: false, status: 409, error: 'That frame is not on the board.' }
      }
    }
    try {
      await this.notes.start(scope, Date.now())
      return { ok: true }
    } catch (error) {
      console.error('starting a private brainstorm failed', error)
      return { ok: false, status: 500, error: 'The private brainstorm could not be started.' }
    }
  }

  /**
   * Puts every hidden sticky on the board at once and ends private mode, answered once both
   * are durable. Like a restore, it is one storage transaction on the room's storage (the room
   * sends everyone the diff) through the AckGate; the board's write lands before the hidden
   * stickies are deleted, so a crash between leaves them on the board and still stored, and
   * the next load forgets the stored ones (`opened`).
   */
  async reveal(anonymous: boolean): Promise<ActResult> {
    const current = this.host.current()
    if (!current) return { ok: false, status: 503, error: 'The board is reloading.' }
    if (!this.notes.active) {
      return { ok: false, status: 409, error: 'No private brainstorm is running.' }
    }
    const { storage } = current
    const step: { error?: unknown; full?: string; write?: Promise<void> } = {}
    this.host.gate.process(
      () => {
        try {
          const page = firstPage(storage)
          // A sticky hidden before content was checked may hold what the editor cannot read.
          const notes = this.notes
            .revealed(anonymous, storage, page, topIndices(storage))
            .map((note) => repairedRecord(note).record)
          // The reveal is everyone's stickies at once: the board's limits hold for it too.
          step.full = this.host.sizeRefusal(notes) ?? undefined
          if (notes.length > 0 && !step.full) {
            storage.transaction((txn) => {
              for (const note of notes) txn.set(note.id, note)
            })
          }
        } catch (error) {
          step.error = error
        }
      },
      () => {
        if (step.error || step.full) return null
        const save = this.host.save()
        const clear = () => this.notes.clear()
        step.write = save ? save.then(clear) : clear()
        return step.write
      },
    )
    if (step.full) {
      return {
        ok: false,
        status: 409,
        error: `The hidden stickies do not fit on the board: ${step.full}`,
      }
    }
    try {
      if (step.error) throw step.error
      await step.write
      return { ok: true }
    } catch (error) {
      console.error('revealing the private brainstorm failed', error)
      await this.host.gate.settled()
      await this.host.ensureOpen()
      return { ok: false, status: 500, error: 'The stickies could not be revealed; try again.' }
    }
  }

  /**
   * Drops one person's hidden stickies, unseen: their sockets are told to drop them first,
   * then the counts go out; answered once the delete is durable.
   */
  async discard(person: string): Promise<ActResult> {
    if (!this.notes.active) {
      return { ok: false, status: 409, error: 'No private brainstorm is running.' }
    }
    const dropped = this.notes.discard(person)
    if (!dropped) {
      return { ok: false, status: 409, error: 'That person has no hidden stickies (any more).' }
    }
    this.tellDropped(new Map([[dropped.author, dropped.ids]]))
    try {
      await dropped.write
      return { ok: true }
    } catch (error) {
      console.error('discarding hidden stickies failed', error)
      await this.notes.load()
      return { ok: false, status: 500, error: 'The stickies could not be discarded; try again.' }
    }
  }

  /**
   * Ends the brainstorm without revealing: every hidden sticky is dropped (its author's
   * sockets told first). Nothing goes on the board, so this works when a reveal does not fit.
   */
  async end(): Promise<ActResult> {
    if (!this.notes.active) {
      return { ok: false, status: 409, error: 'No private brainstorm is running.' }
    }
    const dropped = this.notes.byAuthor()
    const write = this.notes.clear()
    this.tellDropped(dropped)
    try {
      await write
      return { ok: true }
    } catch (error) {
      console.error('ending the private brainstorm failed', error)
      await this.notes.load()
      return {
        ok: false,
        status: 500,
        error: 'The private brainstorm could not be ended; try again.',
      }
    }
  }

  /** Tells each author's sockets that these hidden stickies of theirs are gone. */
  private tellDropped(dropped: Map<string, string[]>) {
    const room = this.host.current()?.room
    if (!room) return
    for (const [author, ids] of dropped) {
      const message = { type: 'private-notes' as const, reset: true, puts: [], deletes: ids }
      for (const id of this.host.sessionsOf(author)) room.sendCustomMessage(id, message)
    }
  }
}

/** The highest stacking index among each parent's children on the board (a reveal stacks above). */
function topIndices(storage: RoomStorage): (parentId: string) => IndexKey | null {
  const top = new Map<string, IndexKey>()
  for (const { state } of storage.getSnapshot().documents) {
    const record = state as TLRecord
    if (record.typeName !== 'shape') continue
    const now = top.get(record.parentId)
    if (!now || record.index > now) top.set(record.parentId, record.index)
  }
  return (parentId) => top.get(parentId) ?? null
}

/** The board's first page: where a revealed sticky whose frame is gone goes. */
function firstPage(storage: RoomStorage): string {
  const pages = storage
    .getSnapshot()
    .documents.map((d) => d.state as TLRecord)
    .filter((r) => r.typeName === 'page')
    .sort((a, b) => (a.index < b.index ? -1 : 1))
  return pages[0]?.id ?? 'page:page'
}
