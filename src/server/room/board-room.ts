/**
 * One board's sync and storage, without PartyKit: the board party hands in plain interfaces
 * (a key-value storage, its connections, a way to run one thing at a time) and forwards its
 * events here, so unit tests drive the same code with an in-memory storage and fake sockets.
 *
 * It runs tldraw's own sync room (`TLSocketRoom`) and adds what a facilitation board needs
 * around it: boards exist only once created, every connection gets a role, every frame is
 * checked before the room sees it, and nothing is acknowledged before it is on disk (the
 * AckGate holds what the room sends until the write before it has landed). A write that fails
 * drops every connection and reloads the board from storage. A load that fails is tried again
 * a few times, then reported; the next connection tries again, so the board is never left shut.
 *
 * A restore keeps the board as it was first, in the same synchronous step that replaces it, so
 * every edit the server has acknowledged is either on the restored board (it came after) or in
 * that safety copy (it came before), which is durable before the restore is.
 *
 * It also keeps the room up whatever clients send (ROOM_LIMITS): a board takes so many sockets
 * (connection-limits.ts), each socket has a budget of frames and bytes (socket-budget.ts) and
 * its presence is throttled (presence-throttle.ts), unfinished chunked messages are capped for
 * the room, and a push that would make the board too big is refused (board-size.ts). Every
 * per-socket piece is dropped when its socket closes.
 *
 * The board party hibernates, so the Durable Object may be evicted while its sockets stay open;
 * on the next event it is built again and `start` resumes every open socket from what was kept
 * with it (room/socket-state.ts: role, person, author, tldraw's session snapshot): the session
 * goes on in tldraw's room (`handleSocketResume`) with its per-socket guard, budget and throttle
 * made anew, and the workshop welcomes it again. Nothing acknowledged is lost: it was on disk
 * before it was acknowledged, and the room is loaded from disk.
 *
 * Cursors and viewports have a lane of their own (presence/cursor-lane.ts): the lane's frames
 * never reach the sync room, an old client's high-rate presence is taken out of its pushes for
 * it (presence-throttle.ts), and crowd mode (presence/crowd-mode.ts) decides whose cursors go.
 *
 * Features that live beside the sync room get a narrow way in rather than code here: the
 * workshop (facilitation.ts: steps, timer, votes) sends through the room, and the private
 * brainstorm (private-brainstorm-room.ts) sees each editor's push before the room does and
 * writes through the AckGate. A write refused in a frozen frame is told to its writer
 * (frozen-notices.ts).
 *
 * An editor's push is judged as a whole before the room sees it (push-board.ts): on the board
 * before it and as it would leave it, so a duplicated frame's stickies, listed before their
 * new frame, keep their parent. One refused write refuses the push (nothing changes); an
 * allowed one goes to the room, whose own per-record rules read the same two boards.
 */
import { TLSocketRoom, TLSyncErrorCloseEventReason, type RoomSnapshot } from '@tldraw/sync-core'
import type { SessionStateSnapshot } from '@tldraw/sync-core'
import type { TLRecord, TLStoreSnapshot } from '@tldraw/tlschema'
import {
  BAD_FRAME_CLOSE_CODE,
  CLOSE_REASONS,
  FRAME_TOO_BIG_CLOSE_CODE,
  LIMITS,
  ROOM_LIMITS,
  SOCKET_TICKET_PARAM,
  SYNC_FATAL_CLOSE_CODE,
  TOO_FAST_CLOSE_CODE,
  personIdSchema,
  socketTicketSchema,
  cursorFrameSchema,
  type BoardNotice,
  type CursorUplink,
  type Role,
} from '../../protocol'
import { readAgenda, type AgendaSection } from '../../board/agenda'
import { AckGate } from '../core/ack-gate'
import { tldrawSchema as schema } from '../core/tldraw-internals'
import { repairSnapshot, repairStore } from './board-repair'
import type { BoardHost, RestoreOutcome } from './board-routes'
import { BoardSize, type SizeLimits } from '../limits/board-size'
import { BoardStorage } from './board-storage'
import { ConnectionCounter, type ConnectionLimits } from '../limits/connection-limits'
import { ContentNotices, pushTooDeep } from '../rules/content-rules'
import { Facilitation, type ActResult } from '../workshop/facilitation'
import { FrameGuard, UnfinishedPool } from '../limits/frame-guard'
import { FrozenNotices } from '../rules/frozen-notices'
import type { KeyValueStorage } from '../core/kv'
import { People } from '../workshop/people'
import type { ClientMessage } from '../core/client-message'
import { PresenceThrottle, type HighRatePresence } from '../presence/presence-throttle'
import { CursorLane } from '../presence/cursor-lane'
import { CrowdMode } from '../presence/crowd-mode'
import { PrivateBrainstormRoom } from '../private-brainstorm/private-brainstorm-room'
import { PushJudge, type PushBoards } from './push-board'
import { RefusalLog } from '../limits/refusal-log'
import { RoleRoster } from '../rules/role-roster'
import {
  PERMISSIONS,
  recordRules,
  type BoardAuth,
  type RecordRules,
  type SessionMeta,
} from '../rules/roles'
import { RoomStorage } from '../core/room-storage'
import { SnapshotStore, type SnapshotEntry } from '../snapshots/snapshot-store'
import { SocketBudget } from '../limits/socket-budget'
import { SocketTickets, type TicketGrant } from '../rules/socket-tickets'
import { readSocketState, resumeSnapshot, socketState, type SocketIdentity } from './socket-state'

const AUTH_KEY = 'auth'
/** Tries at loading the board before reporting it; each waits four times the last. */
export const LOAD_ATTEMPTS = 4
export const LOAD_RETRY_MS = 100
const RELOADING: Refusal = { code: 1013, reason: 'The board is reloading; try again.' }
/** A socket the board cannot resume after a wake: not fatal, so its client connects afresh. */
const NOT_RESUMED: Refusal = { code: 1012, reason: 'The board restarted; reconnecting.' }
/** The server's own schema, and as a client that has the same sends it (socket-state.ts). */
const SERVER_SCHEMA = schema.serialize()
const SERVER_SCHEMA_JSON = JSON.stringify(SERVER_SCHEMA)

export type Frame = string | ArrayBuffer | ArrayBufferView

/** One client's socket, as PartyKit's `Party.Connection` offers it. */
export interface RoomConnection {
  readonly id: string
  send(data: string): void
  close(code?: number, reason?: string): void
  readonly readyState: number
  /**
   * What the server keeps with the socket across a hibernation (PartyKit's `conn.state`):
   * written only by `setState`, here on the server; a host without it resumes nothing.
   */
  readonly state?: unknown
  setState?(state: unknown): unknown
}

/** What the board's Durable Object lends the room. */
export interface RoomEnvironment {
  readonly roomId: string
  readonly storage: KeyValueStorage
  /** Every socket connected to this board now. */
  connections(): Iterable<RoomConnection>
  /** Runs `task` with nothing else interleaved (Durable Objects' `blockConcurrencyWhile`). */
  exclusive<T>(task: () => Promise<T>): Promise<T>
  /** Connection limits when not the defaults (the party's vars). */
  readonly connectionLimits?: ConnectionLimits
  /** Board size limits when not the defaults (tests). */
  readonly sizeLimits?: SizeLimits
  /** Editors above which crowd mode `auto` shows only facilitators' cursors (tests). */
  readonly crowdCursorThreshold?: number
}

/** What the room keeps for one admitted socket, all of it dropped when it closes. */
interface Session {
  readonly conn: RoomConnection
  readonly role: Role
  /** Who this is, from the socket's `?u=` (a name for the ready check, not a credential). */
  readonly personId: string | null
  /** The hash of the person key its ticket was asked with: whose private content it gets. */
  readonly author: string | null
  /** The client's address, when the platform told it (the per-address cap). */
  readonly address: string | null
  readonly guard: FrameGuard
  readonly budget: SocketBudget<Frame>
  readonly throttle: PresenceThrottle
  /**
   * Whether it sent a `cursor` frame: a lane client, whose tldraw presence leaves the lane's
   * fields null (so its presence never clears what its frames said).
   */
  laneClient: boolean
}

/** Why a socket is turned away: fatal ones stop tldraw's client from retrying. */
type Refusal = { code: number; reason: string }

export class BoardRoom implements BoardHost {
  readonly snapshots: SnapshotStore
  readonly people: People
  readonly tickets = new SocketTickets()
  /** The workshop's state (step, timer, follow, ready check) beside the sync room. */
  readonly facilitation: Facilitation
  /** The private brainstorm: hidden stickies kept out of the room's document, and its glue. */
  readonly brainstorm: PrivateBrainstormRoom
  private boardAuth: BoardAuth | null = null
  private room: TLSocketRoom<TLRecord, SessionMeta> | null = null
  /** The room's storage, read synchronously by the record rules and the private brainstorm. */
  private roomStorage: RoomStorage | null = null
  /** The room's record rules, which a push is judged with before the room commits it. */
  private rules: RecordRules | null = null
  /** The push being judged and committed now, whose two boards the rules read. */
  private readonly pushes = new PushJudge()
  /** Who is who, told to every client (the role badges in the people list). */
  private roster = new RoleRoster()
  private readonly boardStorage: BoardStorage
  private readonly gate: AckGate
  /** The document clock of the last write handed to storage. */
  private savedClock = 0
  private readonly sessions = new Map<string, Session>()
  /** Whether the board's secrets have been read (or written) once. */
  private loaded = false
  /** The load under way, which connections and requests wait for. */
  private opening: Promise<boolean> | null = null
  /** Frames that arrive while a socket's role is still being checked. */
  private readonly early = new Map<string, { frames: Frame[]; bytes: number }>()
  /** Refused writes, one line each, a flood summarised. */
  private readonly log: RefusalLog
  private readonly counter: ConnectionCounter
  private readonly unfinished = new UnfinishedPool()
  private readonly size: BoardSize
  private readonly frozenNotices = new FrozenNotices((sessionId, notice) =>
    this.room?.sendCustomMessage(sessionId, notice),
  )
  private readonly contentNotices = new ContentNotices((sessionId, notice) =>
    this.room?.sendCustomMessage(sessionId, notice),
  )
  /** Cursors and viewports, on their own tick beside the sync room. */
  private readonly lane: CursorLane = new CursorLane({ mode: () => this.crowd.mode })
  /** Whose cursors the lane sends (the workshop keeps the facilitator's choice). */
  private readonly crowd: CrowdMode

  constructor(private readonly env: RoomEnvironment) {
    this.crowd = new CrowdMode(() => this.lane.modeChange(), env.crowdCursorThreshold)
    this.counter = new ConnectionCounter(env.connectionLimits)
    this.size = new BoardSize(env.sizeLimits)
    this.boardStorage = new BoardStorage(env.storage)
    this.snapshots = new SnapshotStore(env.storage)
    this.people = new People(env.storage)
    this.gate = new AckGate((error) => this.recoverFromFailedWrite(error))
    this.log = new RefusalLog(`[board ${env.roomId}]`)
    this.brainstorm = new PrivateBrainstormRoom(env.storage, {
      gate: this.gate,
      log: this.log,
      current: () =>
        this.room && this.roomStorage ? { room: this.room, storage: this.roomStorage } : null,
      sessionsOf: (author) => this.sessionsOf(author),
      authorsPresent: () =>
        new Set([...this.sessions.values()].flatMap((s) => (s.author ? [s.author] : []))).size,
      save: () => this.saveChanges(),
      ensureOpen: () => this.ensureOpen(),
      countsChanged: () => this.facilitation.refresh(),
      sizeRefusal: (records) =>
        this.size.refusal(Object.fromEntries(records.map((r) => [r.id, ['put', r]]))),
    })
    this.facilitation = new Facilitation({
      storage: env.storage,
      now: () => Date.now(),
      agenda: () => this.agenda(),
      // Through the room, so the message follows what the room sent before it (and the gate).
      send: (sessionId, message) => this.room?.sendCustomMessage(sessionId, message),
      record: (id) => this.roomStorage?.get(id),
      brainstorm: this.brainstorm,
      crowd: this.crowd,
    })
  }

  get roomId(): string {
    return this.env.roomId
  }

  get auth(): BoardAuth | null {
    return this.boardAuth
  }

  /**
   * Loads the board's secrets, and the board when it exists (never throws: see `open`), then
   * resumes the sockets that stayed open while the Durable Object was evicted (none at first).
   */
  async start(): Promise<void> {
    await this.open()
    await Promise.all([...this.env.connections()].map((conn) => this.resume(conn)))
  }

  /** Whether the board is open (or was never created), after loading it again if it must. */
  ensureOpen(): Promise<boolean> {
    if (this.loaded && (!this.boardAuth || this.room)) return Promise.resolve(true)
    return this.open()
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
    this.loaded = true
    await this.openRoom(board)
  }

  /**
   * Admits a socket with the role its URL's credentials grant, if the board has a place for it
   * (`address`: the client's, when the platform tells), or closes it saying why.
   */
  async connect(conn: RoomConnection, url: URL, address: string | null = null): Promise<void> {
    this.early.set(conn.id, { frames: [], bytes: 0 })
    const grant = (await this.ensureOpen()) ? await this.admit(url) : RELOADING
    const queued = this.early.get(conn.id)?.frames
    this.early.delete(conn.id)
    // Closed meanwhile (it left, or sent too much too early): nothing to set up.
    if (!queued) return
    if ('code' in grant) {
      conn.close(grant.code, grant.reason)
      return
    }
    const { role, author } = grant
    if (!this.room) {
      // Reloading after a failed write: not fatal, so the client comes back by itself.
      conn.close(1013, 'The board is reloading; try again.')
      return
    }
    const full = this.counter.admit(conn.id, role, address)
    if (full) {
      conn.close(full.code, full.reason)
      return
    }
    if (PERMISSIONS[role].canEdit) {
      this.people.remember(url.searchParams.get('u')).catch((error: unknown) => {
        console.error('could not remember a person', error)
      })
    }
    const personId = personIdSchema.safeParse(url.searchParams.get('u')).data ?? null
    this.sessions.set(conn.id, this.openSession(conn, { role, personId, author, address }))
    // Who it is, kept with the socket at once: its tldraw session follows once connected.
    this.keep(conn.id, null)
    this.openLane(conn.id, role)
    this.room.handleSocketConnect({
      sessionId: conn.id,
      isReadonly: !PERMISSIONS[role].canEdit,
      meta: { role },
      socket: this.roomSocket(conn),
    })
    for (const frame of queued) this.message(frame, conn)
  }

  /**
   * Serves a socket that stayed open while the board's Durable Object was evicted, from what
   * the server kept with it (socket-state.ts): its role, never one it claims, and its tldraw
   * session, resumed without a handshake (the client never knew). Without a usable state it
   * is closed, not fatally, so its client connects afresh. Frames it sends meanwhile wait, as
   * in `connect`. Called by `start` for every open socket, and by `message` for one it missed.
   */
  async resume(conn: RoomConnection): Promise<void> {
    if (conn.readyState > 1 || this.sessions.has(conn.id) || this.early.has(conn.id)) return
    this.early.set(conn.id, { frames: [], bytes: 0 })
    const open = await this.ensureOpen()
    const queued = this.early.get(conn.id)?.frames
    this.early.delete(conn.id)
    if (!queued) return
    const room = this.room
    const state = readSocketState(conn.state)
    const snapshot = state && resumeSnapshot(state, PERMISSIONS[state.role].canEdit, SERVER_SCHEMA)
    if (!open || !room || !state || !snapshot) {
      conn.setState?.(null)
      const refusal = open && room ? NOT_RESUMED : RELOADING
      conn.close(refusal.code, refusal.reason)
      return
    }
    const { role, personId, author, address } = state
    this.counter.readmit(conn.id, role, address)
    this.sessions.set(conn.id, this.openSession(conn, { role, personId, author, address }))
    this.openLane(conn.id, role)
    room.handleSocketResume({
      sessionId: conn.id,
      socket: this.roomSocket(conn),
      snapshot,
      meta: { role },
    })
    // Connected already: on the roster and in the workshop now (a new workshop token).
    if (this.roster.maybeJoined(room, conn.id)) this.joined(room, conn.id)
    for (const frame of queued) this.message(frame, conn)
  }

  /**
   * Sends on one socket. A send that throws (a socket the platform is tearing down: workerd
   * says "another message send is already in progress" under load) must not throw into what
   * called it, a broadcast for someone else's push or the cursor tick, which would fail that
   * sender's session or everyone's tick: the broken socket alone is closed, and its client
   * reconnects.
   */
  private sendTo(conn: RoomConnection, data: string) {
    try {
      conn.send(data)
    } catch (error) {
      this.log.warn(`closed ${conn.id}: a send failed (${String(error).slice(0, 120)})`)
      try {
        conn.close(1011, 'The server could not send to this socket; reconnecting.')
      } catch {
        // Already gone.
      }
      // After the send that failed: the room may be iterating its sessions right now.
      queueMicrotask(() => this.disconnect(conn))
    }
  }

  /** The socket as tldraw's room writes to it: behind the AckGate. */
  private roomSocket(conn: RoomConnection) {
    return {
      send: (data: string) => this.gate.send(() => this.sendTo(conn, data)),
      close: (code?: number, reason?: string) => {
        // tldraw closes the socket of a push its schema rejects without a word in the log;
        // like every other refusal, it is one line (and counted in a flood).
        if (reason === TLSyncErrorCloseEventReason.INVALID_RECORD) {
          this.log.warn(`closed ${conn.id}: a record tldraw's schema rejects`)
        }
        this.gate.send(() => conn.close(code, reason))
      },
      get readyState() {
        return conn.readyState
      },
    }
  }

  /** A session connected to tldraw's room (or resumed there): the workshop and its notes. */
  private joined(room: TLSocketRoom<TLRecord, SessionMeta>, sessionId: string) {
    const session = this.sessions.get(sessionId)
    if (!session) return
    const { role, personId, author } = session
    this.facilitation.join(sessionId, { role, personId, author })
    this.brainstorm.joined(sessionId, author)
    this.keep(sessionId, room.getSessionSnapshot(sessionId))
    this.joinLane(room, session.conn)
  }

  /** The socket's entry in the cursor lane: an editor's cursor may be sent, a viewer's never. */
  private openLane(sessionId: string, role: Role) {
    this.lane.open(sessionId, {
      publishes: PERMISSIONS[role].canEdit,
      facilitator: role === 'facilitator',
    })
  }

  /**
   * Keeps who the socket is, and its tldraw session once it has one, with the socket, for a
   * resume after a hibernation (within Cloudflare's budget: socket-state.ts).
   */
  private keep(sessionId: string, snapshot: SessionStateSnapshot | null) {
    const session = this.sessions.get(sessionId)
    if (!session?.conn.setState) return
    const { role, personId, author, address } = session
    const state = socketState({ role, personId, author, address }, snapshot, SERVER_SCHEMA_JSON)
    try {
      session.conn.setState(state)
    } catch (error) {
      // A socket that cannot keep it is closed by a wake, and its client connects afresh.
      this.log.warn(`could not keep the state of ${sessionId}: ${String(error)}`)
    }
  }

  /** One frame from a socket: queued until its role is known, then paced, guarded, handled. */
  message(frame: Frame, sender: RoomConnection): void {
    const early = this.early.get(sender.id)
    if (early) {
      early.bytes += frameSize(frame)
      if (
        early.frames.push(frame) > ROOM_LIMITS.maxEarlyFrames ||
        early.bytes > ROOM_LIMITS.maxEarlyBytes
      ) {
        this.early.delete(sender.id)
        sender.setState?.(null)
        sender.close(BAD_FRAME_CLOSE_CODE, 'Too much sent before the connection was set up.')
      }
      return
    }
    const session = this.sessions.get(sender.id)
    if (session) session.budget.offer(frame, frameSize(frame))
    // A socket kept from before a wake that `start` did not list (it sent as the board woke):
    // resumed, and this frame waits for it.
    else if (sender.state != null) {
      void this.resume(sender)
      if (this.early.has(sender.id)) this.message(frame, sender)
    }
  }

  /** The socket closed or failed: everything kept for it goes. */
  disconnect(conn: RoomConnection): void {
    this.early.delete(conn.id)
    const session = this.sessions.get(conn.id)
    if (!session) {
      this.leftWhileAway(conn)
      return
    }
    this.closeSession(conn.id, session)
    this.room?.handleSocketClose(conn.id)
  }

  /**
   * A socket that closed while the board was evicted is not among those a wake resumes, but
   * everyone still shows its presence: it is resumed in tldraw's room for a moment and closed
   * there, so that the room tells them it left.
   */
  private leftWhileAway(conn: RoomConnection) {
    const state = readSocketState(conn.state)
    const snapshot = state && resumeSnapshot(state, false, SERVER_SCHEMA)
    const room = this.room
    if (!room || !state || !snapshot?.presenceRecord) return
    if (room.getSessions().some((s) => s.sessionId === conn.id)) return
    room.handleSocketResume({
      sessionId: conn.id,
      socket: { send: () => {}, close: () => {}, readyState: 3 },
      snapshot,
      meta: { role: state.role },
    })
    room.handleSocketClose(conn.id)
  }

  /** Sockets admitted now (for tests and the benchmarks' reports). */
  get connectionCount(): number {
    return this.counter.size
  }

  /** What the room holds for sockets now (tests check that it all goes when they leave). */
  heldSockets(): {
    sessions: number
    early: number
    unfinishedBytes: number
    cursorEntries: number
  } {
    return {
      sessions: this.sessions.size,
      early: this.early.size,
      unfinishedBytes: this.unfinished.used,
      cursorEntries: this.lane.size,
    }
  }

  /** Whether a cursor tick is waiting to run (tests: none while nothing moves). */
  get cursorTickPending(): boolean {
    return this.lane.scheduled
  }

  private openSession(conn: RoomConnection, who: SocketIdentity): Session {
    const { role } = who
    const viewer = !PERMISSIONS[role].canEdit
    const forward = (json: string) => {
      const room = this.room
      if (!room) return
      this.gate.process(
        () => {
          room.handleSocketMessage(conn.id, json)
          // Once its sync session is connected (after the room's answer to `connect`, which a
          // tldraw client must receive first), the socket is on the roster and in the workshop.
          if (this.roster.maybeJoined(room, conn.id)) this.joined(room, conn.id)
        },
        () => this.saveChanges(),
      )
    }
    return {
      ...who,
      conn,
      guard: new FrameGuard(
        viewer ? ROOM_LIMITS.viewerMaxMessageBytes : LIMITS.maxMessageBytes,
        this.unfinished,
      ),
      budget: new SocketBudget<Frame>(
        (frame) => this.handleFrame(frame, conn),
        (reason) => {
          conn.close(TOO_FAST_CLOSE_CODE, reason)
          this.disconnect(conn)
        },
      ),
      // Selecting one's hidden sticky must not tell everyone its id through presence.
      throttle: new PresenceThrottle(
        viewer,
        forward,
        ROOM_LIMITS,
        undefined,
        (record) => this.brainstorm.withoutHiddenSelection(record),
        {
          moved: (fields) => this.movedByPresence(conn.id, fields),
          editors: () => this.crowd.view.editors,
        },
      ),
      laneClient: false,
    }
  }

  /**
   * Puts a synced socket on the cursor lane: behind whatever the gate still holds for it, so
   * its first tick follows the room's answer to its `connect`.
   */
  private joinLane(room: TLSocketRoom<TLRecord, SessionMeta>, conn: RoomConnection) {
    const presenceId = room.getSessionSnapshot(conn.id)?.presenceId
    if (!presenceId) return
    this.gate.send(() =>
      this.lane.join(conn.id, presenceId, (data) => {
        if (conn.readyState === 1) this.sendTo(conn, data)
      }),
    )
  }

  /** A cursor-lane frame: a move (an editor's only) or whether this person sees cursors. */
  private laneFrame(session: Session, sessionId: string, frame: CursorUplink) {
    if (frame.type === 'cursor-view') return this.lane.show(sessionId, frame.show)
    session.laneClient = true
    this.lane.move(sessionId, frame)
  }

  /** An old client's presence push moved its cursor: the lane takes it, if it is one. */
  private movedByPresence(sessionId: string, fields: HighRatePresence) {
    if (this.sessions.get(sessionId)?.laneClient !== false) return
    const frame = cursorFrameSchema.safeParse({ type: 'cursor', ...fields })
    // Not a cursor and view the lane could send (tldraw's own checks are looser): none.
    this.lane.move(
      sessionId,
      frame.success ? frame.data : { cursor: null, camera: null, screenBounds: null },
    )
  }

  private closeSession(id: string, session: Session) {
    this.sessions.delete(id)
    // Nothing to resume after a wake: a socket closed here stays closed.
    session.conn.setState?.(null)
    session.guard.dispose()
    session.budget.dispose()
    session.throttle.dispose()
    this.lane.leave(id)
    this.counter.leave(id)
    this.frozenNotices.leave(id)
    this.contentNotices.leave(id)
    this.facilitation.leave(id)
  }

  /** A frame within its socket's budget: reassembled and checked, then on to the room. */
  private handleFrame(frame: Frame, sender: RoomConnection): void {
    const session = this.sessions.get(sender.id)
    if (!session || !this.room) return
    const verdict = session.guard.accept(frame)
    switch (verdict.kind) {
      case 'partial':
        return
      case 'cursor':
        // The lane's own: never handed to the sync room.
        this.laneFrame(session, sender.id, verdict.data)
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
      case 'message': {
        let { data, json } = verdict
        let echo: (() => void) | null = null
        // First, whoever sent it, so that nothing after it walks a value nested too deep for
        // the stack (a viewer's presence is read too).
        const deep = this.refuseIfTooDeep(data, sender.id)
        if (deep) ({ data, json } = { data: deep, json: JSON.stringify(deep) })
        let push: PushBoards | null = null
        if (PERMISSIONS[session.role].canEdit) {
          const pusher = {
            role: session.role,
            author: session.author,
            name: this.facilitation.nameOf(sender.id),
          }
          // The whole push is judged first, hidden stickies included, so a push is kept
          // whole or not at all; the split then takes out what stays private, and what is
          // left for the room is judged again on its own (a public arrow may not bind to a
          // sticky that never reaches the room).
          let judged = this.judge(data, sender.id, session.role)
          if (judged.kind === 'refused') ({ data, json } = judged)
          else {
            const split = this.brainstorm.split(data, sender.id, pusher)
            if (split) {
              ;({ data, json, echo } = split)
              judged = this.judge(data, sender.id, session.role)
              if (judged.kind === 'refused') ({ data, json } = judged)
            }
            const refused = this.refuseIfTooBig(data, sender.id)
            if (refused) ({ data, json } = { data: refused, json: JSON.stringify(refused) })
            else if (judged.kind === 'allowed') push = judged.push
          }
        }
        // Synchronous: the room commits the push within this call, its rules reading the same
        // boards the push was judged on.
        this.pushes.during(sender.id, push, () => session.throttle.accept(data, json))
        echo?.()
      }
    }
  }

  /** The sessions admitted with this author key. */
  private *sessionsOf(author: string): Iterable<string> {
    for (const [id, session] of this.sessions) if (session.author === author) yield id
  }

  /**
   * The push without its edits when they would take the board past its size limits (the room
   * then answers "discard" and the writer's client drops them), with a notice to the writer;
   * null when the message may go as it is.
   */
  private refuseIfTooBig(message: ClientMessage, sessionId: string): ClientMessage | null {
    if (message.type !== 'push' || !message.diff) return null
    const problem = this.size.refusal(message.diff as Record<string, unknown[]>)
    if (!problem) return null
    const notice: BoardNotice = { kind: 'board-limit', message: problem }
    this.room?.sendCustomMessage(sessionId, notice)
    return { ...message, diff: {} }
  }

  /**
   * The push judged as a whole (push-board.ts): allowed, refused (its edits taken out, so the
   * room answers "discard", nothing changes and the writer's client drops them; a frozen
   * frame's refusal is told to the writer by the rules' hook; so is a push that cannot be
   * read as a whole), or left to the room when it is no push.
   */
  private judge(
    message: ClientMessage,
    sessionId: string,
    role: Role,
  ):
    | { kind: 'allowed'; push: PushBoards }
    | { kind: 'refused'; data: ClientMessage; json: string }
    | { kind: 'room' } {
    const storage = this.roomStorage
    if (message.type !== 'push' || !message.diff || !storage || !this.rules) return { kind: 'room' }
    const session = { sessionId, isReadonly: !PERMISSIONS[role].canEdit, meta: { role } }
    const diff = message.diff as Record<string, unknown>
    const verdict = this.pushes.judge(this.rules, storage, diff, session)
    if (verdict.kind === 'allowed') return verdict
    // Default-deny: a push that cannot be read as a whole (a put under another id, one that
    // changes a record's type, an op no client sends) is refused, not left to the room's
    // per-record rules, which would judge the rest of it without the push's two boards.
    const why =
      verdict.kind === 'unread'
        ? verdict.reason
        : `the ${verdict.write.type} of ${verdict.write.id}`
    this.log.warn(`refused a push from ${sessionId}: ${why}`)
    const data = { ...message, diff: {} }
    return { kind: 'refused', data, json: JSON.stringify(data) }
  }

  /**
   * The push without its edits and presence when either nests deeper than any record may
   * (the room answers "discard"), with a notice; null when it may go on.
   */
  private refuseIfTooDeep(message: ClientMessage, sessionId: string): ClientMessage | null {
    const problem = pushTooDeep(message)
    if (!problem) return null
    this.log.warn(`refused a push from ${sessionId}: ${problem}`)
    this.contentNotices.refused(sessionId, problem)
    return { ...message, diff: {}, presence: undefined }
  }

  /** The board as a tldraw store snapshot: loadable by tldraw, readable by anyone backing up. */
  backup(): TLStoreSnapshot | null {
    return this.room ? storeSnapshot(this.room) : null
  }

  /**
   * Makes the board's document the board file's, for everyone connected, durably, and keeps
   * the board as it was as a snapshot without a picture, titled `safetyTitle`.
   *
   * The safety copy's place is reserved first (a full list refuses the restore before anything
   * changes). Then one synchronous step, with nothing interleaved, captures the room's state
   * and loads the file: an edit committed before it is in the copy, one after it is applied to
   * the restored board. The copy is written first and the restored board after it (the board
   * storage runs its saves in order), so no crash can leave the restore without its copy; the
   * diff to clients, and the answer, wait for both.
   *
   * In @tldraw/sync-core 5.4.2, `TLSocketRoom.loadSnapshot` is one storage transaction: it puts
   * the records that differ, deletes those the file lacks, and migrates. The room hears of it
   * through the storage's change notification and sends every client the diff, so nobody is
   * disconnected (its doc comment says otherwise; that happens only when no diff can be made,
   * and then clients reconnect by themselves). It goes through the AckGate like a client's
   * push: the diff, and the 200 that acknowledges the restore, wait until it is on disk.
   */
  async restore(board: string, safetyTitle: string): Promise<RestoreOutcome> {
    if (!this.room) return { kind: 'reloading' }
    const slot = await this.snapshots.reserve().catch((error: unknown) => {
      console.error('restoring a snapshot failed: the snapshot list could not be read', error)
      return 'failed' as const
    })
    if (slot === 'failed') return { kind: 'failed' }
    if (!slot) return { kind: 'full', limit: this.snapshots.maxSnapshots }
    const room = this.room
    if (!room) {
      slot.release()
      return { kind: 'reloading' }
    }
    const step: {
      error?: unknown
      before?: string
      copy?: Promise<SnapshotEntry>
      write?: Promise<void>
    } = {}
    this.gate.process(
      () => {
        // Caught here: the gate must still learn about the write, whatever happened.
        try {
          const current = storeSnapshot(room)
          if (Object.values(current.store).some((r) => r.typeName === 'shape')) {
            step.before = JSON.stringify(current)
          }
          // A snapshot taken before content was checked may hold what the editor cannot read.
          const file = JSON.parse(board) as TLStoreSnapshot
          room.loadSnapshot(repairStore(file, `[board ${this.roomId}] on restore`))
        } catch (error) {
          step.error = error
        }
      },
      () => {
        // Nothing to keep when the board had no shapes or the restore changed nothing.
        const changed = !step.error && room.storage.getClock() !== this.savedClock
        if (changed && step.before !== undefined) {
          step.copy = slot.write({ title: safetyTitle, board: step.before, image: null })
        } else slot.release()
        const write = this.saveChanges(step.copy)
        if (write) step.write = write
        return write
      },
    )
    try {
      if (step.error) throw step.error
      await step.write
      // Writes complete in order, but make sure everything before this one has, too.
      await this.gate.settled()
      return { kind: 'restored', before: (await step.copy) ?? null }
    } catch (error) {
      step.copy?.catch(() => {})
      console.error('restoring a snapshot failed', error)
      // Answered once the board is back as it was on storage (a failed write reloads it).
      await this.gate.settled()
      await this.ensureOpen()
      return { kind: 'failed' }
    }
  }

  /** A facilitation action from the session whose socket was given `token`. */
  facilitate(token: string | null, action: unknown): Promise<ActResult> {
    return this.facilitation.act(token, action)
  }

  /** The board's agenda, from its document record. */
  private agenda(): AgendaSection[] {
    const document = this.room?.getRecord('document:document') as { meta?: unknown } | undefined
    return readAgenda(document?.meta)
  }

  /** Resolves once every write issued so far has landed (or failed). */
  settled(): Promise<void> {
    return this.gate.settled()
  }

  /**
   * Reads the board's secrets and records and opens the room, trying LOAD_ATTEMPTS times with
   * a growing wait; false once every try failed (reported in one line). The next connection
   * or request tries again, so a storage hiccup never leaves the board shut.
   */
  private open(): Promise<boolean> {
    this.opening ??= (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          this.boardAuth = (await this.env.storage.get<BoardAuth>(AUTH_KEY)) ?? null
          this.loaded = true
          if (this.boardAuth) {
            await this.facilitation.load()
            await this.brainstorm.load()
            await this.openRoom(await this.boardStorage.load())
            await this.brainstorm.opened()
          }
          return true
        } catch (error) {
          if (attempt >= LOAD_ATTEMPTS) {
            console.error(
              `board ${this.roomId} could not be loaded (${attempt} tries); the next connection tries again:`,
              error,
            )
            return false
          }
          await new Promise((resolve) => setTimeout(resolve, LOAD_RETRY_MS * 4 ** (attempt - 1)))
        }
      }
    })().finally(() => (this.opening = null))
    return this.opening
  }

  private async openRoom(held: RoomSnapshot | null) {
    // A record stored before the server checked content is repaired before anything reads it.
    const { snapshot: stored, repaired } = repairSnapshot(held, `[board ${this.roomId}] on load`)
    const storage = new RoomStorage(stored)
    this.savedClock = storage.getClock()
    this.size.reset((stored?.documents ?? []).map((d) => d.state))
    const roster = new RoleRoster()
    this.roster = roster
    // Default-deny: every record type has a rule, which reads the push's two boards while
    // one is judged and committed (see `judge`), else the board as it stands.
    const rules = recordRules(storage, {
      frozenRefused: (sessionId) => {
        if (this.sessions.has(sessionId)) this.frozenNotices.refused(sessionId)
      },
      contentRefused: (sessionId, reason) => {
        if (this.sessions.has(sessionId)) this.contentNotices.refused(sessionId, reason)
      },
      views: this.pushes.views,
    })
    const room = new TLSocketRoom<TLRecord, SessionMeta>({
      schema,
      storage,
      authorizeRecord: rules,
      log: this.log,
      onSessionRemoved: (room, { sessionId }) => roster.left(room, sessionId),
      // After a few idle seconds, tldraw's latest session snapshot, kept with the socket.
      onSessionSnapshot: (sessionId, snapshot) => this.keep(sessionId, snapshot),
    })
    this.room = room
    this.roomStorage = storage
    this.rules = rules
    try {
      // The repairs, as they were read (a migration below writes its own changes after).
      if (stored && repaired.length > 0) {
        await this.boardStorage.save({
          documentClock: storage.getClock(),
          schema: stored.schema,
          puts: repaired,
          deletes: [],
        })
      }
      // Opening may migrate records to a newer schema; store that before anyone connects.
      await this.saveChanges()
    } catch (error) {
      room.close()
      this.room = null
      this.roomStorage = null
      this.rules = null
      throw error
    }
  }

  /**
   * Starts the write for everything committed since the last one, or returns null. `after`
   * is a write that must be durable before this one lands (a restore's safety copy).
   */
  private saveChanges(after?: Promise<unknown>): Promise<void> | null {
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
    const puts = Object.values(changes.diff.puts).map((put) => (Array.isArray(put) ? put[1] : put))
    if (changes.wipeAll) this.size.reset(puts)
    else this.size.apply(puts, changes.diff.deletes)
    // Deleted shape ids are remembered with the save (never hidden by a private brainstorm).
    const gone = this.brainstorm.deleted(changes.diff.deletes)
    const saved = this.boardStorage.save(
      {
        documentClock: clock,
        schema,
        puts: puts.map((state) => ({ state, lastChangedClock: clock })),
        deletes: changes.diff.deletes,
        replaceAll: changes.wipeAll,
      },
      after,
    )
    return gone ? Promise.all([saved, gone]).then(() => {}) : saved
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
    for (const [id, session] of this.sessions) this.closeSession(id, session)
    void this.open()
  }

  /**
   * The role the socket's ticket grants on this board (no ticket: viewer), or why it is turned
   * away. A secret in the URL itself (`?f=`, `?k=`, as clients sent before tickets) is refused
   * rather than read, so that no client keeps putting secrets where logs keep them; a bad,
   * used or expired ticket is refused like a wrong key, never downgraded.
   */
  private async admit(url: URL): Promise<TicketGrant | Refusal> {
    const notFound = { code: SYNC_FATAL_CLOSE_CODE, reason: CLOSE_REASONS.notFound }
    const forbidden = { code: SYNC_FATAL_CLOSE_CODE, reason: CLOSE_REASONS.forbidden }
    if (!this.boardAuth) return notFound
    const query = url.searchParams
    if (query.has('f') || query.has('k')) return forbidden
    if (!query.has(SOCKET_TICKET_PARAM)) return { role: 'viewer', author: null }
    const ticket = socketTicketSchema.safeParse(query.get(SOCKET_TICKET_PARAM))
    return (ticket.success && this.tickets.redeem(ticket.data)) || forbidden
  }
}

/** A frame's size as the budgets count it (UTF-16 units for text, as the frame guard does). */
function frameSize(frame: Frame): number {
  return typeof frame === 'string' ? frame.length : frame.byteLength
}

/** The room's document as a tldraw store snapshot, in the room's schema. */
function storeSnapshot(room: TLSocketRoom<TLRecord, SessionMeta>): TLStoreSnapshot {
  const stored = room.storage.getSnapshot?.() ?? room.getCurrentSnapshot()
  return {
    schema: stored.schema,
    store: Object.fromEntries(stored.documents.map((d) => [d.state.id, d.state])),
  } as TLStoreSnapshot
}

/** WebSocket close reasons are limited to 123 bytes of UTF-8 (a reason may quote the client). */
function closeReason(reason: string) {
  const bytes = new TextEncoder().encode(reason)
  if (bytes.length <= 123) return reason
  // Cutting bytes may split a character; the decoder drops the broken tail.
  return `${new TextDecoder().decode(bytes.slice(0, 119)).replace(/\uFFFD$/, '')}...`
}
