/**
 * One board's sync and storage, without PartyKit: the board party hands in plain interfaces
 * (a key-value storage, its connections, a way to run one thing at a time) and forwards its
 * events here, so unit tests drive the same code with an in-memory storage and fake sockets.
 *
 * It runs tldraw's own sync room (`TLSocketRoom`) and adds what a facilitation board needs
 * around it: boards exist only once created, every connection gets a role, every frame is
 * checked before the room sees it, and nothing is acknowledged before it is on disk (the
 * AckGate holds what the room sends until the write before it has landed). A write that fails
 * drops every connection and reloads the board from storage.
 */
import { InMemorySyncStorage, TLSocketRoom, type RoomSnapshot } from '@tldraw/sync-core'
import { createTLSchema, type TLRecord, type TLStoreSnapshot } from '@tldraw/tlschema'
import {
  BAD_FRAME_CLOSE_CODE,
  CLOSE_REASONS,
  FRAME_TOO_BIG_CLOSE_CODE,
  SOCKET_TICKET_PARAM,
  SYNC_FATAL_CLOSE_CODE,
  socketTicketSchema,
  type Role,
} from '../protocol'
import { AckGate } from './ack-gate'
import type { BoardHost, RestoreOutcome } from './board-routes'
import { BoardStorage } from './board-storage'
import { FrameGuard } from './frame-guard'
import type { KeyValueStorage } from './kv'
import { People } from './people'
import { PERMISSIONS, recordAuthorizers, type BoardAuth, type SessionMeta } from './roles'
import { RoleRoster } from './role-roster'
import { SnapshotStore } from './snapshot-store'
import { SocketTickets } from './socket-tickets'

const AUTH_KEY = 'auth'
const schema = createTLSchema()
/** Frames a socket may send before its role is known; a real client sends one (connect). */
const MAX_EARLY_FRAMES = 32

export type Frame = string | ArrayBuffer | ArrayBufferView

/** One client's socket, as PartyKit's `Party.Connection` offers it. */
export interface RoomConnection {
  readonly id: string
  send(data: string): void
  close(code?: number, reason?: string): void
  readonly readyState: number
}

/** What the board's Durable Object lends the room. */
export interface RoomEnvironment {
  readonly roomId: string
  readonly storage: KeyValueStorage
  /** Every socket connected to this board now. */
  connections(): Iterable<RoomConnection>
  /** Runs `task` with nothing else interleaved (Durable Objects' `blockConcurrencyWhile`). */
  exclusive<T>(task: () => Promise<T>): Promise<T>
}

/** Why a socket is turned away: fatal ones stop tldraw's client from retrying. */
type Refusal = { code: number; reason: string }

export class BoardRoom implements BoardHost {
  readonly snapshots: SnapshotStore
  readonly people: People
  readonly tickets = new SocketTickets()
  private boardAuth: BoardAuth | null = null
  private room: TLSocketRoom<TLRecord, SessionMeta> | null = null
  /** Who is who, told to every client (the role badges in the people list). */
  private roster = new RoleRoster()
  private readonly boardStorage: BoardStorage
  private readonly gate: AckGate
  /** The document clock of the last write handed to storage. */
  private savedClock = 0
  private readonly guards = new Map<string, FrameGuard>()
  /** Frames that arrive while a socket's role is still being checked. */
  private readonly early = new Map<string, Frame[]>()

  constructor(private readonly env: RoomEnvironment) {
    this.boardStorage = new BoardStorage(env.storage)
    this.snapshots = new SnapshotStore(env.storage)
    this.people = new People(env.storage)
    this.gate = new AckGate((error) => this.recoverFromFailedWrite(error))
  }

  get roomId(): string {
    return this.env.roomId
  }

  get auth(): BoardAuth | null {
    return this.boardAuth
  }

  /** Loads the board's secrets, and the board when it exists. */
  async start(): Promise<void> {
    this.boardAuth = (await this.env.storage.get<BoardAuth>(AUTH_KEY)) ?? null
    if (this.boardAuth) await this.openRoom(await this.boardStorage.load())
  }

  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.env.exclusive(task)
  }

  async create(board: RoomSnapshot, auth: BoardAuth): Promise<void> {
    await this.boardStorage.save({
      documentClock: board.documentClock ?? 0,
      schema: board.schema,
      puts: board.documents,
      deletes: [],
    })
    // The board exists once its secrets are stored: written last, after its records.
    await this.env.storage.put({ [AUTH_KEY]: auth })
    this.boardAuth = auth
    await this.openRoom(board)
  }

  /** Admits a socket with the role its URL's ticket grants, or closes it saying why. */
  async connect(conn: RoomConnection, url: URL): Promise<void> {
    this.early.set(conn.id, [])
    const role = await this.admit(url)
    const queued = this.early.get(conn.id) ?? []
    this.early.delete(conn.id)
    if (typeof role !== 'string') {
      conn.close(role.code, role.reason)
      return
    }
    if (!this.room) {
      // Reloading after a failed write: not fatal, so the client comes back by itself.
      conn.close(1013, 'The board is reloading; try again.')
      return
    }
    if (PERMISSIONS[role].canEdit) {
      this.people.remember(url.searchParams.get('u')).catch((error: unknown) => {
        console.error('could not remember a person', error)
      })
    }
    this.guards.set(conn.id, new FrameGuard())
    this.room.handleSocketConnect({
      sessionId: conn.id,
      isReadonly: !PERMISSIONS[role].canEdit,
      meta: { role },
      socket: {
        send: (data) => this.gate.send(() => conn.send(data)),
        close: (code, reason) => this.gate.send(() => conn.close(code, reason)),
        get readyState() {
          return conn.readyState
        },
      },
    })
    for (const frame of queued) this.message(frame, conn)
  }

  /** One frame from a socket: queued until its role is known, then guarded and handled. */
  message(frame: Frame, sender: RoomConnection): void {
    const early = this.early.get(sender.id)
    if (early) {
      if (early.push(frame) > MAX_EARLY_FRAMES) {
        this.early.delete(sender.id)
        sender.close(BAD_FRAME_CLOSE_CODE, 'Too many frames before the connection was set up.')
      }
      return
    }
    const guard = this.guards.get(sender.id)
    const room = this.room
    if (!guard || !room) return
    const verdict = guard.accept(frame)
    switch (verdict.kind) {
      case 'partial':
        return
      case 'too-big':
      case 'malformed':
        // Only this socket goes, with the reason; the room and everyone else carry on.
        sender.close(
          verdict.kind === 'too-big' ? FRAME_TOO_BIG_CLOSE_CODE : BAD_FRAME_CLOSE_CODE,
          closeReason(verdict.reason),
        )
        this.disconnect(sender)
        return
      case 'message':
        this.gate.process(
          () => {
            room.handleSocketMessage(sender.id, verdict.json)
            this.roster.maybeJoined(room, sender.id)
          },
          () => this.saveChanges(),
        )
    }
  }

  /** The socket closed or failed. */
  disconnect(conn: RoomConnection): void {
    this.early.delete(conn.id)
    if (this.guards.delete(conn.id)) this.room?.handleSocketClose(conn.id)
  }

  /** The board as a tldraw store snapshot: loadable by tldraw, readable by anyone backing up. */
  backup(): TLStoreSnapshot | null {
    if (!this.room) return null
    const stored = this.room.storage.getSnapshot?.() ?? this.room.getCurrentSnapshot()
    return {
      schema: stored.schema,
      store: Object.fromEntries(stored.documents.map((d) => [d.state.id, d.state])),
    } as TLStoreSnapshot
  }

  /**
   * Makes the board's document the board file's, for everyone connected, durably.
   *
   * In @tldraw/sync-core 5.4.2, `TLSocketRoom.loadSnapshot` is one storage transaction: it puts
   * the records that differ, deletes those the file lacks, and migrates. The room hears of it
   * through the storage's change notification and sends every client the diff, so nobody is
   * disconnected (its doc comment says otherwise; that happens only when no diff can be made,
   * and then clients reconnect by themselves). It goes through the AckGate like a client's
   * push: the diff, and the 200 that acknowledges the restore, wait until it is on disk.
   */
  async restore(board: string): Promise<RestoreOutcome> {
    const room = this.room
    if (!room) return 'reloading'
    const file = JSON.parse(board) as TLStoreSnapshot
    const outcome: { error?: unknown; write?: Promise<void> } = {}
    this.gate.process(
      () => {
        // Caught here: the gate must still learn about the write, whatever happened.
        try {
          room.loadSnapshot(file)
        } catch (error) {
          outcome.error = error
        }
      },
      () => {
        const write = this.saveChanges()
        if (write) outcome.write = write
        return write
      },
    )
    try {
      if (outcome.error) throw outcome.error
      await outcome.write
      // Writes complete in order, but make sure everything before this one has, too.
      await this.gate.settled()
      return 'restored'
    } catch (error) {
      console.error('restoring a snapshot failed', error)
      return 'failed'
    }
  }

  /** Resolves once every write issued so far has landed (or failed). */
  settled(): Promise<void> {
    return this.gate.settled()
  }

  private async openRoom(stored: RoomSnapshot | null) {
    const storage = new InMemorySyncStorage<TLRecord>({ snapshot: stored ?? undefined })
    this.savedClock = storage.getClock()
    const roster = new RoleRoster()
    this.roster = roster
    this.room = new TLSocketRoom<TLRecord, SessionMeta>({
      schema,
      storage,
      authorizeRecord: recordAuthorizers,
      onSessionRemoved: (room, { sessionId }) => roster.left(room, sessionId),
    })
    // Opening may migrate records to a newer schema; store that before anyone connects.
    await this.saveChanges()
  }

  /** Starts the write for everything committed since the last one, or returns null. */
  private saveChanges(): Promise<void> | null {
    const storage = this.room?.storage
    if (!storage || storage.getClock() === this.savedClock) return null
    const since = this.savedClock
    const { changes, schema, clock } = storage.transaction((txn) => ({
      changes: txn.getChangesSince(since),
      schema: txn.getSchema(),
      clock: txn.getClock(),
    })).result
    this.savedClock = clock
    if (!changes) return null
    return this.boardStorage.save({
      documentClock: clock,
      schema,
      puts: Object.values(changes.diff.puts).map((put) => ({
        state: Array.isArray(put) ? put[1] : put,
        lastChangedClock: clock,
      })),
      deletes: changes.diff.deletes,
      replaceAll: changes.wipeAll,
    })
  }

  /**
   * A write failed, so the room's memory is ahead of its storage. Drop every connection (their
   * clients keep the unacknowledged edits and send them again) and reload from storage.
   */
  private recoverFromFailedWrite(error: unknown) {
    console.error('board storage write failed; reloading the board', error)
    for (const conn of this.env.connections()) conn.close(1011, 'storage write failed')
    this.room?.close()
    this.room = null
    this.guards.clear()
    void this.boardStorage.load().then((stored) => this.openRoom(stored))
  }

  /**
   * The role the socket's ticket grants on this board (no ticket: viewer), or why it is turned
   * away. A secret in the URL itself (`?f=`, `?k=`, as clients sent before tickets) is refused
   * rather than read, so that no client keeps putting secrets where logs keep them; a bad,
   * used or expired ticket is refused like a wrong key, never downgraded.
   */
  private async admit(url: URL): Promise<Role | Refusal> {
    const notFound = { code: SYNC_FATAL_CLOSE_CODE, reason: CLOSE_REASONS.notFound }
    const forbidden = { code: SYNC_FATAL_CLOSE_CODE, reason: CLOSE_REASONS.forbidden }
    if (!this.boardAuth) return notFound
    const query = url.searchParams
    if (query.has('f') || query.has('k')) return forbidden
    if (!query.has(SOCKET_TICKET_PARAM)) return 'viewer'
    const ticket = socketTicketSchema.safeParse(query.get(SOCKET_TICKET_PARAM))
    return (ticket.success && this.tickets.redeem(ticket.data)) || forbidden
  }
}

/** WebSocket close reasons are limited to 123 bytes of UTF-8 (a reason may quote the client). */
function closeReason(reason: string) {
  const bytes = new TextEncoder().encode(reason)
  if (bytes.length <= 123) return reason
  // Cutting bytes may split a character; the decoder drops the broken tail.
  return `${new TextDecoder().decode(bytes.slice(0, 119)).replace(/\uFFFD$/, '')}...`
}
