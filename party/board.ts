/**
 * The board party: one Durable Object per board at `/parties/board/<roomId>`.
 *
 * It runs tldraw's own sync room (`TLSocketRoom`) and adds what a facilitation board needs
 * around it: boards exist only once created, every connection gets a role, every frame is
 * checked before the room sees it, and nothing is acknowledged before it is on disk.
 */
import type * as Party from 'partykit/server'
import { InMemorySyncStorage, TLSocketRoom, type RoomSnapshot } from '@tldraw/sync-core'
import { createTLSchema, type TLRecord, type TLStoreSnapshot } from '@tldraw/tlschema'
import {
  BAD_FRAME_CLOSE_CODE,
  CLOSE_REASONS,
  FRAME_TOO_BIG_CLOSE_CODE,
  SYNC_FATAL_CLOSE_CODE,
  credentialsSchema,
  roomIdSchema,
  type Role,
} from '../src/protocol'
import { AckGate } from '../src/server/ack-gate'
import { BoardStorage } from '../src/server/board-storage'
import { FrameGuard } from '../src/server/frame-guard'
import {
  DEFAULT_BOARD_TITLE,
  errorResponse,
  json,
  notCreated,
  parseBoardRequest,
} from '../src/server/http'
import { initialBoard } from '../src/server/initial-board'
import { People } from '../src/server/people'
import { routeSnapshotRequest } from '../src/server/snapshot-http'
import { answerSnapshotRequest, type RestoreOutcome } from '../src/server/snapshot-routes'
import { SnapshotStore } from '../src/server/snapshot-store'
import { builtInTemplate, BUILT_IN_TEMPLATES } from '../src/templates/catalog'
import type { Template } from '../src/protocol/template-format'
import {
  PERMISSIONS,
  mintBoardAuth,
  recordAuthorizers,
  resolveRole,
  type BoardAuth,
  type SessionMeta,
} from '../src/server/roles'

const AUTH_KEY = 'auth'
const schema = createTLSchema()
/** Frames a socket may send before its role is known; a real client sends one (connect). */
const MAX_EARLY_FRAMES = 32

type Frame = string | ArrayBuffer | ArrayBufferView
/** Why a socket is turned away: fatal ones stop tldraw's client from retrying. */
type Refusal = { code: number; reason: string }

export default class BoardServer implements Party.Server {
  private auth: BoardAuth | null = null
  private room: TLSocketRoom<TLRecord, SessionMeta> | null = null
  private readonly boardStorage: BoardStorage
  private readonly snapshots: SnapshotStore
  private readonly people: People
  private readonly gate: AckGate
  /** The document clock of the last write handed to storage. */
  private savedClock = 0
  private readonly guards = new Map<string, FrameGuard>()
  /** Frames that arrive while a socket's role is still being checked. */
  private readonly early = new Map<string, Frame[]>()

  constructor(readonly party: Party.Room) {
    this.boardStorage = new BoardStorage(party.storage)
    this.snapshots = new SnapshotStore(party.storage)
    this.people = new People(party.storage)
    this.gate = new AckGate((error) => this.recoverFromFailedWrite(error))
  }

  /** Refuse malformed room ids before a Durable Object is spun up for them. */
  static onBeforeRequest(req: Party.Request, lobby: Party.Lobby) {
    return roomIdSchema.safeParse(lobby.id).success ? req : badRoomId()
  }
  static onBeforeConnect(req: Party.Request, lobby: Party.Lobby) {
    return roomIdSchema.safeParse(lobby.id).success ? req : badRoomId()
  }

  async onStart() {
    this.auth = (await this.party.storage.get<BoardAuth>(AUTH_KEY)) ?? null
    if (this.auth) await this.openRoom(await this.boardStorage.load())
  }

  async onConnect(conn: Party.Connection, ctx: Party.ConnectionContext) {
    this.early.set(conn.id, [])
    const url = new URL(ctx.request.url)
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
    for (const frame of queued) this.onMessage(frame, conn)
  }

  onMessage(message: Frame, sender: Party.Connection) {
    const early = this.early.get(sender.id)
    if (early) {
      if (early.push(message) > MAX_EARLY_FRAMES) {
        this.early.delete(sender.id)
        sender.close(BAD_FRAME_CLOSE_CODE, 'Too many frames before the connection was set up.')
      }
      return
    }
    const guard = this.guards.get(sender.id)
    const room = this.room
    if (!guard || !room) return
    const verdict = guard.accept(message)
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
        this.forget(sender)
        return
      case 'message':
        this.gate.process(
          () => room.handleSocketMessage(sender.id, verdict.json),
          () => this.saveChanges(),
        )
    }
  }

  onClose(conn: Party.Connection) {
    this.forget(conn)
  }

  onError(conn: Party.Connection) {
    this.forget(conn)
  }

  async onRequest(req: Party.Request): Promise<Response> {
    const route = routeSnapshotRequest(req, this.party.id)
    if (route) {
      if ('error' in route) return route.error
      return answerSnapshotRequest(req, route, {
        roomId: this.party.id,
        auth: this.auth,
        snapshots: this.snapshots,
        people: this.people,
        restore: (board) => this.restore(board),
      })
    }
    const request = await parseBoardRequest(req, this.party.id)
    if ('error' in request) return request.error
    switch (request.kind) {
      case 'create':
        // One at a time: two requests racing to create the same board must not both win.
        return this.party.blockConcurrencyWhile(() => this.create(request.title, request.template))
      case 'snapshot':
        if (!this.room) return notCreated()
        return json(exportSnapshot(this.room))
    }
  }

  private async create(
    requestedTitle: string | undefined,
    requestedTemplate: { id: string } | Template | undefined,
  ): Promise<Response> {
    if (this.auth) return errorResponse(409, 'This board already exists.')
    const template =
      requestedTemplate && !('formatVersion' in requestedTemplate)
        ? builtInTemplate(requestedTemplate.id)
        : requestedTemplate
    if (requestedTemplate && !template) {
      const known = BUILT_IN_TEMPLATES.map((t) => t.id).join(', ')
      return errorResponse(400, `No built-in template "${requestedTemplate.id}". Known: ${known}.`)
    }
    const title = requestedTitle ?? template?.title ?? DEFAULT_BOARD_TITLE
    const { auth, facilitatorSecret, participantKey } = await mintBoardAuth()
    const initial = initialBoard(title, template, newInstanceId())
    await this.boardStorage.save({
      documentClock: initial.documentClock ?? 0,
      schema: initial.schema,
      puts: initial.documents,
      deletes: [],
    })
    // The board exists once its secrets are stored: written last, after its records.
    await this.party.storage.put(AUTH_KEY, auth)
    this.auth = auth
    await this.openRoom(initial)
    return json({ roomId: this.party.id, title, facilitatorSecret, participantKey }, 201)
  }

  private async openRoom(snapshot: RoomSnapshot | null) {
    const storage = new InMemorySyncStorage<TLRecord>({ snapshot: snapshot ?? undefined })
    this.savedClock = storage.getClock()
    this.room = new TLSocketRoom<TLRecord, SessionMeta>({
      schema,
      storage,
      authorizeRecord: recordAuthorizers,
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
   * Makes the board's document the snapshot's, for everyone connected, durably.
   *
   * In @tldraw/sync-core 5.4.2, `TLSocketRoom.loadSnapshot` is one storage transaction: it puts
   * the records that differ, deletes those the snapshot lacks, and migrates. The room hears of
   * it through the storage's change notification and sends every client the diff, so nobody is
   * disconnected (its doc comment says otherwise; that happens only when no diff can be made,
   * and then clients reconnect by themselves). It goes through the AckGate like a client's
   * push: the diff, and the 200 that acknowledges the restore, wait until it is on disk.
   */
  private async restore(board: string): Promise<RestoreOutcome> {
    const room = this.room
    if (!room) return 'reloading'
    const snapshot = JSON.parse(board) as TLStoreSnapshot
    const outcome: { error?: unknown; write?: Promise<void> } = {}
    this.gate.process(
      () => {
        // Caught here: the gate must still learn about the write, whatever happened.
        try {
          room.loadSnapshot(snapshot)
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

  /**
   * A write failed, so the room's memory is ahead of its storage. Drop every connection (their
   * clients keep the unacknowledged edits and send them again) and reload from storage.
   */
  private recoverFromFailedWrite(error: unknown) {
    console.error('board storage write failed; reloading the board', error)
    for (const conn of this.party.getConnections()) conn.close(1011, 'storage write failed')
    this.room?.close()
    this.room = null
    this.guards.clear()
    void this.boardStorage.load().then((snapshot) => this.openRoom(snapshot))
  }

  /** The role the socket's credentials grant on this board, or why it is turned away. */
  private async admit(url: URL): Promise<Role | Refusal> {
    const notFound = { code: SYNC_FATAL_CLOSE_CODE, reason: CLOSE_REASONS.notFound }
    const forbidden = { code: SYNC_FATAL_CLOSE_CODE, reason: CLOSE_REASONS.forbidden }
    if (!this.auth) return notFound
    const credentials = credentialsSchema.safeParse({
      f: url.searchParams.get('f') ?? undefined,
      k: url.searchParams.get('k') ?? undefined,
    })
    if (!credentials.success) return forbidden
    return (await resolveRole(this.auth, credentials.data)) ?? forbidden
  }

  private forget(conn: Party.Connection) {
    this.early.delete(conn.id)
    if (this.guards.delete(conn.id)) this.room?.handleSocketClose(conn.id)
  }
}

/** The board as a tldraw store snapshot: loadable by tldraw, readable by anyone backing up. */
function exportSnapshot(room: TLSocketRoom<TLRecord, SessionMeta>) {
  const snapshot = room.storage.getSnapshot?.() ?? room.getCurrentSnapshot()
  return {
    schema: snapshot.schema,
    store: Object.fromEntries(snapshot.documents.map((d) => [d.state.id, d.state])),
  }
}

/** Tells apart two placements of the same template on one board (in their shape ids). */
function newInstanceId() {
  return crypto.randomUUID().slice(0, 8)
}

function badRoomId() {
  return errorResponse(
    400,
    'Malformed board id: a board id is 22 to 64 letters, digits, "-" or "_". Check the link.',
  )
}

/** WebSocket close reasons are limited to 123 bytes of UTF-8 (a reason may quote the client). */
function closeReason(reason: string) {
  const bytes = new TextEncoder().encode(reason)
  if (bytes.length <= 123) return reason
  // Cutting bytes may split a character; the decoder drops the broken tail.
  return `${new TextDecoder().decode(bytes.slice(0, 119)).replace(/\uFFFD$/, '')}...`
}
