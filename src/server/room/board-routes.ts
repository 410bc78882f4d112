/**
 * Every HTTP request a board answers, in one place: which route it is (from method and path
 * alone, so a stranger is refused before the body is read), and the answer, given what the
 * board owns (the `BoardHost`: its secrets' hashes, its stores, its room). A new board route
 * goes here: a kind in `BoardRoute`, a branch in `routeBoardRequest`, a case in
 * `handleBoardRequest`.
 *
 *   POST   /parties/board/<roomId>                          create the board
 *   GET    /parties/board/<roomId>                          its backup (tldraw store snapshot)
 *   GET    /parties/board/<roomId>/people                   how many people took part
 *   POST   /parties/board/<roomId>/tickets                  a socket ticket (a secret)
 *   POST   /parties/board/<roomId>/facilitation             a facilitation action (session token)
 *   GET    /parties/board/<roomId>/snapshots                the Snapshots list
 *   POST   /parties/board/<roomId>/snapshots                take one (facilitator)
 *   GET    /parties/board/<roomId>/snapshots/<id>.png       its image (also HEAD)
 *   GET    /parties/board/<roomId>/snapshots/<id>.json      its board file
 *   DELETE /parties/board/<roomId>/snapshots/<id>           remove it (facilitator)
 *   POST   /parties/board/<roomId>/snapshots/<id>/restore   restore it (facilitator), keeping
 *                                                            the board as it was first
 *
 * A write is refused before its body is read when it cannot succeed (no board, wrong secret,
 * no room left); the body is then drained so the client receives the refusal rather than a
 * reset. Nothing is stored until an upload has passed every check.
 */
import type { RoomSnapshot } from '@tldraw/sync-core'
import type { TLStoreSnapshot } from '@tldraw/tlschema'
import {
  MAX_SNAPSHOT_TITLE_LENGTH,
  boardPath,
  createBoardRequestSchema,
  facilitationPath,
  peoplePath,
  snapshotBoardPath,
  snapshotIdSchema,
  snapshotImagePath,
  snapshotPath,
  snapshotRestorePath,
  snapshotsPath,
  ticketsPath,
  type CreateBoardResponse,
  type RestoreSnapshotResponse,
  type SocketTicketResponse,
  PERSON_KEY_HEADER,
  personKeySchema,
} from '../../protocol'
import { FACILITATION_LIMITS } from '../../protocol/facilitation'
import { MAX_TEMPLATE_BYTES, type Template } from '../../protocol/template-format'
import { builtInTemplate, BUILT_IN_TEMPLATES } from '../../templates/catalog'
import {
  bearerSecret,
  crossSiteWrite,
  drainBody,
  errorResponse,
  idInPath,
  json,
  noSuchPath,
  notAllowed,
  readJson,
  readJsonRequest,
  requestPath,
  type HttpRequest,
  type Refused,
} from '../http/http'
import type { ActResult } from '../workshop/facilitation'
import { initialBoard } from './initial-board'
import type { People } from '../workshop/people'
import {
  hashSecret,
  mintBoardAuth,
  resolveRole,
  secretMatches,
  type BoardAuth,
} from '../rules/roles'
import {
  boardResponse,
  cachedCopyMatches,
  drainUpload,
  forbidden,
  imageNotModified,
  imageResponse,
  noPicture,
  noSnapshot,
  readSnapshotUpload,
  toSummary,
  type ImageRequest,
} from '../snapshots/snapshot-http'
import type { SnapshotEntry, SnapshotStore } from '../snapshots/snapshot-store'
import type { SocketTickets } from '../rules/socket-tickets'

/** Room for a whole template plus the title. */
const MAX_CREATE_BYTES = MAX_TEMPLATE_BYTES + 16 * 1024
const DEFAULT_BOARD_TITLE = 'Untitled workshop'

/** `secret` is null when the request carries none. */
export type BoardRoute =
  | { kind: 'create' }
  | { kind: 'backup' }
  | { kind: 'people' }
  | { kind: 'ticket'; secret: string | null }
  | { kind: 'facilitate'; token: string | null }
  | { kind: 'list' }
  | { kind: 'take'; secret: string | null }
  | ({ kind: 'image' } & ImageRequest)
  | { kind: 'board-file'; id: string }
  | { kind: 'delete'; id: string; secret: string | null }
  | { kind: 'restore'; id: string; secret: string | null }

/** How a restore went; `before` is the safety copy the server kept, if there was anything to keep. */
export type RestoreOutcome =
  | { kind: 'restored'; before: SnapshotEntry | null }
  | { kind: 'reloading' }
  | { kind: 'full'; limit: number }
  | { kind: 'failed' }

/** What a board owns that its routes need; the board party's `BoardRoom` is one. */
export interface BoardHost {
  readonly roomId: string
  /** The board's secrets (hashes), or null when it was never created. */
  readonly auth: BoardAuth | null
  readonly snapshots: SnapshotStore
  readonly people: People
  /** Socket tickets: secrets are traded for them, and sockets connect with one. */
  readonly tickets: SocketTickets
  /** Runs `task` with nothing else interleaved (Durable Objects' `blockConcurrencyWhile`). */
  exclusive<T>(task: () => Promise<T>): Promise<T>
  /** Stores a new board, then its secrets, and opens it; only inside `exclusive`, once `auth` is null. */
  create(board: RoomSnapshot, auth: BoardAuth): Promise<void>
  /** Whether the board is open (or was never created), after loading it again if it must. */
  ensureOpen(): Promise<boolean>
  /** The board as a tldraw store snapshot, or null when there is no board open. */
  backup(): TLStoreSnapshot | null
  /**
   * Makes the board's document this board file, keeping the board as it was as a snapshot
   * (`safetyTitle`) in the same step; 'restored' only once both are on disk.
   */
  restore(board: string, safetyTitle: string): Promise<RestoreOutcome>
  /** A facilitation action from the session holding `token`. */
  facilitate(token: string | null, action: unknown): Promise<ActResult>
}

/** The route this request is, or the refusal to answer (a wrong method, path or id). */
export function routeBoardRequest(req: HttpRequest, roomId: string): BoardRoute | Refused {
  const path = requestPath(req)
  const method = req.method
  const secret = () => bearerSecret(req)

  if (path === boardPath(roomId)) {
    if (method === 'GET') return { kind: 'backup' }
    if (method === 'POST') return { kind: 'create' }
    return notAllowed(method, 'GET, POST')
  }
  if (path === peoplePath(roomId)) {
    return method === 'GET' ? { kind: 'people' } : notAllowed(method, 'GET')
  }
  if (path === ticketsPath(roomId)) {
    return method === 'POST' ? { kind: 'ticket', secret: secret() } : notAllowed(method, 'POST')
  }
  if (path === facilitationPath(roomId)) {
    return method === 'POST' ? { kind: 'facilitate', token: secret() } : notAllowed(method, 'POST')
  }
  if (path === snapshotsPath(roomId)) {
    if (method === 'GET') return { kind: 'list' }
    if (method === 'POST') return { kind: 'take', secret: secret() }
    return notAllowed(method, 'GET, POST')
  }

  // A snapshot's own paths: `<id>`, `<id>.png`, `<id>.json` and `<id>/restore`.
  const [name] = idInPath(path, (rest) => snapshotPath(roomId, rest))?.split('/') ?? []
  if (
    name === undefined ||
    (path !== snapshotPath(roomId, name) && path !== snapshotRestorePath(roomId, name))
  ) {
    return noSuchPath(path)
  }
  const named = snapshotPath(roomId, name)
  const image = idInPath(named, (id) => snapshotImagePath(roomId, id))
  const boardFile = idInPath(named, (id) => snapshotBoardPath(roomId, id))
  const id = image ?? boardFile ?? name
  if (!snapshotIdSchema.safeParse(id).success) {
    return {
      error: errorResponse(
        400,
        'Malformed snapshot id: a snapshot id is 8 to 32 letters, digits, "-" or "_".',
      ),
    }
  }
  if (path !== named) {
    if (id !== name) return noSuchPath(path)
    return method === 'POST'
      ? { kind: 'restore', id, secret: secret() }
      : notAllowed(method, 'POST')
  }
  if (image !== null) {
    if (method === 'GET' || method === 'HEAD') {
      return {
        kind: 'image',
        id,
        head: method === 'HEAD',
        ifNoneMatch: req.headers.get('If-None-Match'),
      }
    }
    return notAllowed(method, 'GET, HEAD')
  }
  if (boardFile !== null) {
    return method === 'GET' ? { kind: 'board-file', id } : notAllowed(method, 'GET')
  }
  return method === 'DELETE'
    ? { kind: 'delete', id, secret: secret() }
    : notAllowed(method, 'DELETE')
}

/** Routes and answers one request. */
export async function handleBoardRequest(req: HttpRequest, host: BoardHost): Promise<Response> {
  const route = routeBoardRequest(req, host.roomId)
  if ('error' in route) return route.error
  // A board whose load failed is loaded again here; until it is, nothing can be answered.
  if (!(await host.ensureOpen())) {
    await drainUpload(req)
    return reloading()
  }
  if (route.kind === 'create') return create(req, host)
  if (route.kind === 'backup') {
    const backup = host.backup()
    return backup ? json(backup) : notCreated()
  }

  const { auth, snapshots } = host
  if (!auth) {
    await drainUpload(req)
    return notCreated()
  }
  const isFacilitator = (secret: string | null) => secretMatches(secret, auth.facilitatorHash)

  switch (route.kind) {
    case 'people':
      return json({ participants: await host.people.count() })

    case 'ticket': {
      // Either secret: the one it matches decides the role the ticket grants.
      const role =
        route.secret === null
          ? null
          : ((await resolveRole(auth, { f: route.secret })) ??
            (await resolveRole(auth, { k: route.secret })))
      if (!role) return forbidden(route.secret)
      const personKey = req.headers.get(PERSON_KEY_HEADER)
      if (personKey !== null && !personKeySchema.safeParse(personKey).success) {
        return errorResponse(400, `${PERSON_KEY_HEADER} is not a person key.`)
      }
      const author = personKey === null ? null : await hashSecret(personKey)
      return json(host.tickets.issue(role, author) satisfies SocketTicketResponse)
    }

    case 'facilitate': {
      const body = await readJson(
        req,
        FACILITATION_LIMITS.maxActionBytes,
        `A facilitation action is at most ${FACILITATION_LIMITS.maxActionBytes} bytes.`,
      )
      if ('error' in body) return body.error
      const result = await host.facilitate(route.token, body.json)
      return result.ok ? json({ ok: true }) : errorResponse(result.status, result.error)
    }

    case 'list': {
      const entries = await snapshots.list()
      return json({ snapshots: entries.map((e) => toSummary(e, req.url, host.roomId)) })
    }

    case 'image': {
      const entry = await snapshots.get(route.id)
      if (!entry) return noSnapshot(route.id)
      if (entry.imagePieces === 0) return noPicture(route.id)
      if (cachedCopyMatches(route)) return imageNotModified(route)
      const bytes = await snapshots.readImage(route.id)
      return bytes ? imageResponse(route, bytes) : noSnapshot(route.id)
    }

    case 'board-file': {
      const board = await snapshots.readBoard(route.id)
      return board === null ? noSnapshot(route.id) : boardResponse(board)
    }

    case 'take': {
      if (!(await isFacilitator(route.secret))) {
        await drainUpload(req)
        return forbidden(route.secret)
      }
      // Checked again when the snapshot is added; this spares reading a body we would refuse.
      if (await snapshots.isFull()) {
        await drainUpload(req)
        return full(snapshots.maxSnapshots)
      }
      const upload = await readSnapshotUpload(req)
      if ('error' in upload) return upload.error
      const result = await snapshots.add(upload).catch((error: unknown) => {
        console.error('storing a snapshot failed', error)
        return null
      })
      if (!result) return errorResponse(500, 'The snapshot could not be stored; try again.')
      if (result.kind === 'full') return full(result.limit)
      return json(toSummary(result.entry, req.url, host.roomId), 201)
    }

    case 'delete': {
      if (!(await isFacilitator(route.secret))) return forbidden(route.secret)
      return (await snapshots.remove(route.id))
        ? new Response(null, { status: 204 })
        : noSnapshot(route.id)
    }

    case 'restore': {
      if (!(await isFacilitator(route.secret))) {
        await drainUpload(req)
        return forbidden(route.secret)
      }
      const entry = await snapshots.get(route.id)
      const board = entry ? await snapshots.readBoard(route.id) : null
      if (!entry || board === null) return noSnapshot(route.id)
      const outcome = await host.restore(board, safetyTitle(entry.title))
      switch (outcome.kind) {
        case 'restored':
          return json({
            restored: route.id,
            before: outcome.before && toSummary(outcome.before, req.url, host.roomId),
          } satisfies RestoreSnapshotResponse)
        case 'reloading':
          return reloading()
        case 'full':
          return errorResponse(
            409,
            `This board keeps at most ${outcome.limit} snapshots, and a restore keeps the board as it is as one more first; delete one, then restore.`,
          )
        case 'failed':
          return errorResponse(500, 'The restore could not be saved; the board is as it was.')
      }
    }
  }
}

/** The body of `POST /parties/board/<roomId>`: a title, and a built-in or whole template. */
export async function readCreateBody(
  req: HttpRequest,
): Promise<
  { title: string | undefined; template: { id: string } | Template | undefined } | Refused
> {
  const body = await readJsonRequest(req, createBoardRequestSchema, MAX_CREATE_BYTES)
  if ('error' in body) return body
  const { title, templateId, template } = body.data
  return { title, template: templateId ? { id: templateId } : template }
}

async function create(req: HttpRequest, host: BoardHost): Promise<Response> {
  const crossSite = crossSiteWrite(req)
  if (crossSite) {
    await drainBody(req, MAX_CREATE_BYTES)
    return crossSite.error
  }
  const body = await readCreateBody(req)
  if ('error' in body) return body.error
  // One at a time: two requests racing to create the same board must not both win.
  return host.exclusive(async () => {
    if (host.auth) return errorResponse(409, 'This board already exists.')
    const requested = body.template
    const template =
      requested && !('formatVersion' in requested) ? builtInTemplate(requested.id) : requested
    if (requested && !template) {
      const known = BUILT_IN_TEMPLATES.map((t) => t.id).join(', ')
      return errorResponse(400, `No built-in template "${requested.id}". Known: ${known}.`)
    }
    const title = body.title ?? template?.title ?? DEFAULT_BOARD_TITLE
    const { auth, facilitatorSecret, participantKey } = await mintBoardAuth()
    await host.create(initialBoard(title, template, newInstanceId()), auth)
    const created: CreateBoardResponse = {
      roomId: host.roomId,
      title,
      facilitatorSecret,
      participantKey,
    }
    return json(created, 201)
  })
}

/** Tells apart two placements of the same template on one board (in their shape ids). */
function newInstanceId() {
  return crypto.randomUUID().slice(0, 8)
}

/** The safety copy's title, within the title limit however long the restored one's is. */
export function safetyTitle(restored: string): string {
  const room = MAX_SNAPSHOT_TITLE_LENGTH - 'Before restoring “”'.length
  const title = restored.length > room ? `${restored.slice(0, room - 1)}…` : restored
  return `Before restoring “${title}”`
}

function reloading(): Response {
  return errorResponse(503, 'The board is reloading; try again in a moment.', {
    'Retry-After': '1',
  })
}

function notCreated(): Response {
  return errorResponse(404, 'No board has been created at this address.')
}

function full(limit: number): Response {
  return errorResponse(
    409,
    `This board keeps at most ${limit} snapshots; delete one before taking another.`,
  )
}
