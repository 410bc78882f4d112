/**
 * The contract between the browser and the PartyKit server. Both sides import this module,
 * so a URL, a request body or a close reason cannot drift apart.
 */
import './zod-setup'
import { z } from 'zod'
import { templateIdSchema, templateSchema } from './template-format'
import { CROWD_CURSOR_THRESHOLD } from './cursors'

/** The party that hosts boards: `/parties/board/<roomId>`. */
export const BOARD_PARTY = 'board'

/**
 * Room ids are 22+ base64url characters: at least 132 random bits, so a board link cannot be
 * guessed. The client mints them with nanoid (see `newRoomId`); the server refuses anything else.
 */
export const ROOM_ID_LENGTH = 22
export const roomIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22,64}$/, 'a room id is 22 to 64 letters, digits, "-" or "_"')

/** Secrets are 43 base64url characters (256 random bits). */
export const secretSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'malformed key')

export const MAX_TITLE_LENGTH = 120
export const boardTitleSchema = z.string().trim().min(1).max(MAX_TITLE_LENGTH)

/**
 * `POST /parties/board/<roomId>`: create the board, blank, from a built-in template
 * (`templateId`), or from a whole template (a file or a team library's).
 */
export const createBoardRequestSchema = z
  .strictObject({
    title: boardTitleSchema.optional(),
    templateId: templateIdSchema.optional(),
    template: templateSchema.optional(),
  })
  .refine((body) => !(body.templateId && body.template), {
    message: 'send templateId or template, not both',
  })
export type CreateBoardRequest = z.input<typeof createBoardRequestSchema>

/** The creator's only copy of the secrets: the server keeps hashes. */
export const createBoardResponseSchema = z.strictObject({
  roomId: roomIdSchema,
  title: boardTitleSchema,
  facilitatorSecret: secretSchema,
  participantKey: secretSchema,
})
export type CreateBoardResponse = z.infer<typeof createBoardResponseSchema>

/** Every error the server answers over HTTP has this body. */
export const errorBodySchema = z.strictObject({ error: z.string() })
export type ErrorBody = z.infer<typeof errorBodySchema>

/**
 * Who a connection is. Decided by the server from a secret (`f`, the facilitator secret, or
 * `k`, the participant key); no secret means viewer. Secrets never travel in a URL (which
 * server and proxy logs keep): the client trades one for a socket ticket (`ticketsPath`) and
 * connects with `?t=<ticket>`.
 */
export const ROLES = ['facilitator', 'participant', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const credentialsSchema = z.strictObject({
  f: secretSchema.optional(),
  k: secretSchema.optional(),
})
export type Credentials = z.infer<typeof credentialsSchema>

/**
 * `POST /parties/board/<roomId>/tickets` with `Authorization: Bearer <facilitator secret or
 * participant key>` answers a socket ticket: good for one connection, within
 * `SOCKET_TICKET_TTL_MS`, with the role the secret grants. The board's server keeps tickets in
 * memory only; an unknown, used or expired one is refused like a wrong key (FORBIDDEN).
 */
export const SOCKET_TICKET_TTL_MS = 30_000
export const SOCKET_TICKET_PARAM = 't'
export const socketTicketSchema = secretSchema
export const socketTicketResponseSchema = z.strictObject({
  ticket: socketTicketSchema,
  expiresAt: z.number(),
})
export type SocketTicketResponse = z.infer<typeof socketTicketResponseSchema>
/**
 * A ticket request may also carry `X-Switchback-Person: <person key>`: a random secret each
 * browser keeps (beside its public person id). The server keeps only its hash, as the session's
 * author key: what is private to a person (their hidden stickies, their ballot) goes to sockets
 * with the same author key, never to someone who merely claims the person id.
 */
export const PERSON_KEY_HEADER = 'X-Switchback-Person'
export const personKeySchema = secretSchema
export function ticketsPath(roomId: string): string {
  return `${boardPath(roomId)}/tickets`
}

/**
 * Who is who, told by the server over the board's socket (tldraw custom messages), because a
 * presence record is written by its own client and may claim any name. Presence record ids are
 * the server's (it assigns one per session), so the people list puts each badge by the record
 * id. `roles` goes to a session once it has joined (everyone there, and its own role), then
 * `role-joined` and `role-left` as others come and go.
 */
export const roleMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('roles'),
    you: z.enum(ROLES),
    roles: z.record(z.string(), z.enum(ROLES)),
  }),
  z.strictObject({ type: z.literal('role-joined'), presenceId: z.string(), role: z.enum(ROLES) }),
  z.strictObject({ type: z.literal('role-left'), presenceId: z.string() }),
])
export type RoleMessage = z.infer<typeof roleMessageSchema>

/**
 * Limits on what a client may send over the socket. tldraw's client splits messages into
 * frames of at most 1 MiB; a whole (reassembled) message above MAX_MESSAGE_BYTES is refused.
 */
export const LIMITS = {
  maxFrameBytes: 1024 * 1024,
  maxMessageBytes: 16 * 1024 * 1024,
  /**
   * Images are stored inline, base64 (4/3 the size), in the board's records; the app refuses a
   * bigger file up front so that its push always fits in one message.
   */
  maxImageBytes: 8 * 1024 * 1024,
  /**
   * Pasted still images are scaled down to fit this square (the client's tldraw setting); the
   * server refuses an image asset that claims to be bigger. Animated images are not scaled.
   */
  maxImageDimension: 2400,
} as const

/**
 * What the server accepts in the records a client writes (src/server/roles.ts). An asset's
 * `src`, and a bookmark's picture and icon, are fetched by every attendee's browser, so they
 * may only be data inside the record (`data:` of one of these types) or a path on our own
 * origin: never another host, which would learn who is on the board.
 */
export const RECORD_RULES = {
  imageDataTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'],
  videoDataTypes: ['video/mp4', 'video/webm', 'video/quicktime'],
  /** How deep shapes may nest (frame in frame in group…); also stops a parent cycle. */
  maxShapeDepth: 32,
  /**
   * Free-form JSON in a record (src/board/record-content.ts): rich text (a note's, a text's, a
   * geo or arrow label) nests so many nodes deep (a list in a list is two) and is so long as
   * JSON; every record's `meta` (Switchback's own marks, the agenda) so deep and so long.
   */
  maxRichTextDepth: 40,
  maxRichTextChars: 256 * 1024,
  maxMetaDepth: 16,
  maxMetaChars: 512 * 1024,
} as const

/**
 * Limits that keep a board's room up whatever its clients send: one socket, one address or a
 * crowd can slow or lose only itself, never the room. Figures and reasons are in the README
 * ("Security model"); the server enforces them (src/server), the app explains the closes.
 */
export const ROOM_LIMITS = {
  /**
   * Sockets on one board. PartyKit allows 100 connections a room without hibernation (which
   * tldraw's in-memory room cannot use), so past this the platform would refuse anyway,
   * without a reason; here the client is told the board is full. A self-hosted server may
   * raise it with the `MAX_CONNECTIONS` var.
   */
  maxConnections: 100,
  /**
   * Of those, the last places are kept for viewers: a board full of editors still takes the
   * view-only link (a projector, a latecomer watching), and the "board is full" screen offers it.
   */
  viewerPlaces: 20,
  /**
   * Sockets from one client address (`cf-connecting-ip`), so one machine cannot take every
   * place. Generous: a workshop in one office shares one public address. `0` turns it off;
   * the `MAX_CONNECTIONS_PER_ADDRESS` var changes it.
   */
  maxConnectionsPerAddress: 40,
  /**
   * Frames and bytes one socket may send per second, sustained, and in a burst (token buckets
   * that start full). tldraw's client pushes at most 30 times a second; a whole 16 MiB message
   * (a pasted board, an 8 MB image) fits in the byte burst.
   */
  framesPerSecond: 60,
  frameBurst: 120,
  bytesPerSecond: 1024 * 1024,
  byteBurst: 20 * 1024 * 1024,
  /** Over budget, a socket's frames wait in a queue this deep; past it the socket is closed. */
  maxQueuedFrames: 100,
  maxQueuedBytes: 2 * 1024 * 1024,
  /**
   * Presence (cursor, selection) forwarded per session per second, the latest kept: every
   * forward is sent to every other socket, so presence costs grow with the square of the room.
   */
  presencePerSecond: 10,
  /**
   * All of a board's editors' presence forwards together, per second: each session's rate is
   * min(presencePerSecond, this / editors), so the room's presence fan-out (every forward goes
   * to every socket) grows with the room rather than its square. Only slow presence (names,
   * selections) is forwarded at all; cursors have their own lane (presence/cursor-lane.ts).
   */
  presencePerRoomPerSecond: 100,
  /**
   * A viewer's presence carries only what the people list shows (name, colour), at most this
   * often: nobody needs a watcher's cursor.
   */
  viewerPresencePerSecond: 1,
  /** A viewer sends connect, presence and pings: a few KB. Past this a message is refused. */
  viewerMaxMessageBytes: 256 * 1024,
  /** Unfinished chunked messages held for all of a board's sockets together. */
  maxUnfinishedBytesPerRoom: 32 * 1024 * 1024,
  /** Frames (and their bytes) a socket may send before its role is known (a real one sends 1). */
  maxEarlyFrames: 32,
  maxEarlyBytes: 256 * 1024,
  /** Records on one board: 5x the 4,000-sticky board the tests and benchmarks use. */
  maxRecords: 20_000,
  /**
   * The board's records as JSON: a board bigger than a snapshot's board file could not be
   * snapshotted or restored, and the whole board lives in the Durable Object's 128 MB.
   */
  maxBoardBytes: 16 * 1024 * 1024,
  /**
   * Editors present above which crowd mode `auto` shows only the facilitators' cursors: past
   * it a board of moving pointers is noise, and each cursor is an entry in every tick.
   */
  crowdCursorThreshold: CROWD_CURSOR_THRESHOLD,
} as const

/**
 * Reasons the server closes a socket. tldraw's client treats close code 4099 as fatal and
 * surfaces the reason; other codes make it reconnect.
 */
export const SYNC_FATAL_CLOSE_CODE = 4099
export const CLOSE_REASONS = {
  notFound: 'NOT_FOUND',
  forbidden: 'FORBIDDEN',
  /** Every place on the board is taken, the viewers' included. */
  boardFull: 'BOARD_FULL',
  /** The editors' places are taken; the view-only link still has room. */
  boardFullForEditors: 'BOARD_FULL_VIEW_ONLY_OPEN',
  /** Too many sockets from this client's address. */
  tooManyFromAddress: 'TOO_MANY_FROM_ADDRESS',
} as const
/** A socket that sends faster than its budget, after its queue has filled (it may reconnect). */
export const TOO_FAST_CLOSE_CODE = 4008

/**
 * Custom messages the server sends a client over the sync socket (tldraw's `custom` event):
 * a push refused because the board is at its size limits, or because it would change what a
 * frozen frame holds or someone else's hidden sticky, said to the writer as a toast.
 */
export const boardNoticeSchema = z.strictObject({
  /**
   * `frozen`: a write into a frozen frame; `private-brainstorm`: an edit of someone's hidden
   * sticky, or past the hidden-sticky cap; `invalid-record`: a record whose rich text or meta
   * the board does not take (src/board/record-content.ts).
   */
  kind: z.enum(['board-limit', 'frozen', 'private-brainstorm', 'invalid-record']),
  message: z.string(),
})
/** What a participant is told when a write into a frozen frame is refused. */
export const FROZEN_NOTICE =
  'This frame is frozen: the facilitator has to unfreeze it before it can change.'
export type BoardNotice = z.infer<typeof boardNoticeSchema>
/** A bad frame closes only that socket, with policy-violation / too-big codes. */
export const BAD_FRAME_CLOSE_CODE = 1008
export const FRAME_TOO_BIG_CLOSE_CODE = 1009

/**
 * The page's style nonce: tldraw draws a few `<style>` elements of its own (the license
 * watermark, fonts in an export) and tags them with `options.nonce`. The built page carries
 * `<meta name="csp-style-nonce" content="__CSP_STYLE_NONCE__">`; the server puts a fresh nonce
 * there, and in the policy, for every page it answers.
 */
export const STYLE_NONCE_META = 'csp-style-nonce'
export const STYLE_NONCE_PLACEHOLDER = '__CSP_STYLE_NONCE__'

/** Paths, so neither side spells them by hand. */
export function boardPath(roomId: string): string {
  return `/parties/${BOARD_PARTY}/${roomId}`
}

/** The app's own pages: a board (`/b/<roomId>`), and making a new one (`/new`). */
export const BOARD_PAGE_PREFIX = '/b/'
export function boardPagePath(roomId: string): string {
  return `${BOARD_PAGE_PREFIX}${roomId}`
}
/** The room id a board page's path names (not yet checked), or null for another page. */
export function roomIdInBoardPage(pathname: string): string | null {
  const match = /^\/b\/([^/]+)\/?$/.exec(pathname)
  return match ? decodeURIComponent(match[1]) : null
}
/** A new board, from a built-in template or (with `library`) a team library's. */
export function newBoardPagePath(from: { template?: string; library?: string } = {}): string {
  const query = new URLSearchParams()
  if (from.library) query.set('library', from.library)
  if (from.template) query.set('template', from.template)
  return query.size > 0 ? `/new?${query}` : '/new'
}

// ---------------------------------------------------------------------------------------------
// Team library
// ---------------------------------------------------------------------------------------------

/**
 * The party that hosts team libraries: `/parties/library/<libraryId>`. Anyone with the link
 * reads a library; publishing and removing need its secret (`Authorization: Bearer <secret>`).
 */
export const LIBRARY_PARTY = 'library'
/** Library ids look like board ids: unguessable, so an unlisted library stays unlisted. */
export const libraryIdSchema = roomIdSchema
export const MAX_LIBRARY_NAME_LENGTH = 80
export const libraryNameSchema = z.string().trim().min(1).max(MAX_LIBRARY_NAME_LENGTH)
/** Templates one library holds at most. */
export const MAX_LIBRARY_TEMPLATES = 200
/** Longest `source.url` a published template may have: it is listed with every summary. */
export const MAX_LIBRARY_SOURCE_URL_LENGTH = 2048

export function libraryPath(libraryId: string): string {
  return `/parties/${LIBRARY_PARTY}/${libraryId}`
}
export function libraryTemplatePath(libraryId: string, templateId: string): string {
  return `${libraryPath(libraryId)}/templates/${templateId}`
}

/** `POST /parties/library/<libraryId>`: create the library. */
export const createLibraryRequestSchema = z.strictObject({ name: libraryNameSchema })
export type CreateLibraryRequest = z.input<typeof createLibraryRequestSchema>

/** The creator's only copy of the secret: the server keeps its hash. */
export const createLibraryResponseSchema = z.strictObject({
  libraryId: libraryIdSchema,
  name: libraryNameSchema,
  secret: secretSchema,
})
export type CreateLibraryResponse = z.infer<typeof createLibraryResponseSchema>

/** One published template as the listing shows it; times are milliseconds since the epoch. */
export const librarySummarySchema = z.strictObject({
  id: templateIdSchema,
  title: templateSchema.shape.title,
  summary: templateSchema.shape.summary,
  tags: templateSchema.shape.tags,
  minutes: templateSchema.shape.minutes,
  source: templateSchema.shape.source,
  publishedAt: z.number(),
  updatedAt: z.number(),
})
export type LibrarySummary = z.infer<typeof librarySummarySchema>

/** `GET /parties/library/<libraryId>`: the library and its templates, newest first. */
export const libraryListingSchema = z.strictObject({
  libraryId: libraryIdSchema,
  name: libraryNameSchema,
  templates: z.array(librarySummarySchema),
})
export type LibraryListing = z.infer<typeof libraryListingSchema>

/** A refused publish says what is wrong with the template, one problem per path. */
export const libraryErrorBodySchema = z.strictObject({
  error: z.string(),
  problems: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
})
export type LibraryErrorBody = z.infer<typeof libraryErrorBodySchema>

// ---------------------------------------------------------------------------------------------
// Snapshots kept by the server
// ---------------------------------------------------------------------------------------------

/**
 * A snapshot is a picture of the board (PNG) and the board itself (a tldraw store snapshot),
 * taken by the facilitator, typically at the end of each agenda step.
 *
 * - `POST   /parties/board/<roomId>/snapshots`            multipart/form-data, facilitator only
 * - `GET    /parties/board/<roomId>/snapshots`            the list, newest first
 * - `GET    /parties/board/<roomId>/snapshots/<id>.png`   the image, cacheable forever
 * - `GET    /parties/board/<roomId>/snapshots/<id>.json`  the board as it was
 * - `DELETE /parties/board/<roomId>/snapshots/<id>`       facilitator only
 * - `POST   /parties/board/<roomId>/snapshots/<id>/restore`  facilitator only: the board
 *   becomes what it was when the snapshot was taken; the server first keeps the board as it
 *   is, in the same step, as a snapshot without a picture
 *
 * Like the board itself, anyone holding the board id may read; writes need
 * `Authorization: Bearer <facilitator secret>`.
 */
export const SNAPSHOT_LIMITS = {
  /** The PNG; a whole 4,000-shape board at 1x is a few MB. */
  maxImageBytes: 12 * 1024 * 1024,
  /** The board JSON: the same bound as one sync message. */
  maxBoardBytes: 16 * 1024 * 1024,
  /** Snapshots one board keeps at most; delete some to take more. */
  maxSnapshots: 100,
  /**
   * The longest side of a snapshot's picture, in pixels: the largest canvas browsers draw
   * (Chromium's and Safari's limit). A PNG header can claim 2^31 - 1 px in a few bytes; such a
   * file would make every browser that shows the thumbnail try to allocate it.
   */
  maxImageSide: 16_384,
} as const
export const MAX_SNAPSHOT_TITLE_LENGTH = 120
/** The multipart form's field names. */
export const SNAPSHOT_FORM = { image: 'image', board: 'board', title: 'title' } as const

export const snapshotIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,32}$/, 'a snapshot id is 8 to 32 letters, digits, "-" or "_"')
export const snapshotTitleSchema = z.string().trim().min(1).max(MAX_SNAPSHOT_TITLE_LENGTH)

const snapshotFields = {
  id: snapshotIdSchema,
  title: snapshotTitleSchema,
  /** Milliseconds since the epoch. */
  createdAt: z.number(),
}

/**
 * One snapshot as listed. `url` is its picture's absolute URL, stable for as long as it
 * exists. A snapshot the server took itself (the board as it was before a restore) has no
 * picture, since the server cannot draw one: its `url`, `width` and `height` are null.
 */
export const snapshotSummarySchema = z.union([
  z.strictObject({
    ...snapshotFields,
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    url: z.url(),
  }),
  z.strictObject({ ...snapshotFields, width: z.null(), height: z.null(), url: z.null() }),
])
export type SnapshotSummary = z.infer<typeof snapshotSummarySchema>

export const snapshotListSchema = z.strictObject({ snapshots: z.array(snapshotSummarySchema) })
export type SnapshotList = z.infer<typeof snapshotListSchema>

/**
 * `POST …/snapshots/<id>/restore` answers which snapshot the board now is, and the snapshot
 * the server kept of the board as it was just before (no picture), or null when there was
 * nothing to keep (the board had no shapes, or was already the snapshot).
 */
export const restoreSnapshotResponseSchema = z.strictObject({
  restored: snapshotIdSchema,
  before: snapshotSummarySchema.nullable(),
})
export type RestoreSnapshotResponse = z.infer<typeof restoreSnapshotResponseSchema>

/**
 * The board file inside a snapshot (and what `GET /parties/board/<roomId>` returns): tldraw's
 * store snapshot. Records are checked against tldraw's schema on the server, not here.
 */
export const boardFileSchema = z.object({
  schema: z.looseObject({ schemaVersion: z.number() }),
  store: z.record(z.string(), z.looseObject({ id: z.string(), typeName: z.string() })),
})
export type BoardFile = z.infer<typeof boardFileSchema>

/**
 * `GET /parties/board/<roomId>/people`: how many different people have joined with edit
 * rights (facilitator or participants) over the board's life; the deck's title slide says it.
 * Clients name themselves with `?u=<person id>` on the socket URL.
 */
export const peopleCountSchema = z.strictObject({ participants: z.number().int().nonnegative() })
export type PeopleCount = z.infer<typeof peopleCountSchema>
export const personIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/)

export function snapshotsPath(roomId: string): string {
  return `${boardPath(roomId)}/snapshots`
}
/** One snapshot's address: `DELETE` removes it. */
export function snapshotPath(roomId: string, snapshotId: string): string {
  return `${snapshotsPath(roomId)}/${snapshotId}`
}
export function snapshotImagePath(roomId: string, snapshotId: string): string {
  return `${snapshotsPath(roomId)}/${snapshotId}.png`
}
export function snapshotBoardPath(roomId: string, snapshotId: string): string {
  return `${snapshotsPath(roomId)}/${snapshotId}.json`
}
export function snapshotRestorePath(roomId: string, snapshotId: string): string {
  return `${snapshotsPath(roomId)}/${snapshotId}/restore`
}
/** `POST` a facilitation action (`src/protocol/facilitation.ts`) with the session's token. */
export function facilitationPath(roomId: string): string {
  return `${boardPath(roomId)}/facilitation`
}
export function peoplePath(roomId: string): string {
  return `${boardPath(roomId)}/people`
}
export * from './cursors'
