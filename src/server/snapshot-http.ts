/**
 * The HTTP surface of a board's snapshots and people count, validated: which request this is
 * (from method and path alone, so a stranger is refused before the body is read), and what an
 * upload holds once it has passed every check. Nothing here touches storage.
 */
import { errorMessage } from '../shared/error-message'
import { createTLSchema } from '@tldraw/tlschema'
import { z } from 'zod'
import {
  SNAPSHOT_FORM,
  SNAPSHOT_LIMITS,
  boardFileSchema,
  boardPath,
  peoplePath,
  snapshotIdSchema,
  snapshotImagePath,
  snapshotTitleSchema,
  snapshotsPath,
  type SnapshotSummary,
} from '../protocol'
import { bearerSecret, describeIssues, errorResponse, notAllowed, type Refused } from './http'
import { readPngHeader } from './png'
import { drainBody, readBody, type BodyRequest } from './request-body'
import type { SnapshotEntry } from './snapshot-store'

/** Room for the image, the board, a title and the multipart boundaries around them. */
export const MAX_UPLOAD_BYTES =
  SNAPSHOT_LIMITS.maxImageBytes + SNAPSHOT_LIMITS.maxBoardBytes + 64 * 1024

const tlSchema = createTLSchema()

/** What we read of a request: both the Workers and the DOM `Request` fit. */
export interface SnapshotHttpRequest extends BodyRequest {
  url: string
  method: string
}

/** Reads and drops the body of a refused upload. */
export function drainUpload(req: SnapshotHttpRequest): Promise<void> {
  return drainBody(req, MAX_UPLOAD_BYTES)
}

export type SnapshotRoute =
  | { kind: 'list' }
  /** `secret` is null when the request carries none. */
  | { kind: 'take'; secret: string | null }
  | { kind: 'image'; id: string; head: boolean; ifNoneMatch: string | null }
  | { kind: 'board'; id: string }
  | { kind: 'delete'; id: string; secret: string | null }
  | { kind: 'restore'; id: string; secret: string | null }
  | { kind: 'people' }

export interface SnapshotUpload {
  title: string | undefined
  width: number
  height: number
  image: Uint8Array
  /** The board, migrated to this server's tldraw schema and checked record by record. */
  board: string
}

/**
 * The snapshot or people request this is, a refusal, or null when the path is not one of
 * these (the board's own routes answer it).
 */
export function routeSnapshotRequest(
  req: SnapshotHttpRequest,
  roomId: string,
): SnapshotRoute | Refused | null {
  const path = new URL(req.url).pathname.replace(/\/$/, '')
  const method = req.method

  if (path === peoplePath(roomId)) {
    return method === 'GET' ? { kind: 'people' } : notAllowed(method, 'GET')
  }
  const base = snapshotsPath(roomId)
  if (path === base) {
    if (method === 'GET') return { kind: 'list' }
    if (method === 'POST') return { kind: 'take', secret: bearerSecret(req) }
    return notAllowed(method, 'GET, POST')
  }
  if (!path.startsWith(`${base}/`)) {
    return path.startsWith(`${boardPath(roomId)}/`) ? noSuchPath(path) : null
  }

  const segments = path.slice(base.length + 1).split('/')
  if (segments.length > 2 || (segments.length === 2 && segments[1] !== 'restore')) {
    return noSuchPath(path)
  }
  const [name] = segments
  const extension = /\.(png|json)$/.exec(name)?.[1] ?? null
  const id = extension ? name.slice(0, -extension.length - 1) : name
  if (!snapshotIdSchema.safeParse(id).success) {
    return {
      error: errorResponse(
        400,
        'Malformed snapshot id: a snapshot id is 8 to 32 letters, digits, "-" or "_".',
      ),
    }
  }
  if (segments.length === 2) {
    if (extension) return noSuchPath(path)
    return method === 'POST'
      ? { kind: 'restore', id, secret: bearerSecret(req) }
      : notAllowed(method, 'POST')
  }
  if (extension === 'png') {
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
  if (extension === 'json') {
    return method === 'GET' ? { kind: 'board', id } : notAllowed(method, 'GET')
  }
  return method === 'DELETE'
    ? { kind: 'delete', id, secret: bearerSecret(req) }
    : notAllowed(method, 'DELETE')
}

/**
 * The body of `POST …/snapshots`: a multipart form with a PNG (`image`), the board (`board`,
 * a file or a string) and an optional `title`. Checked in the order that costs least: the
 * content type and declared length before reading, sizes before parsing.
 */
export async function readSnapshotUpload(
  req: SnapshotHttpRequest,
): Promise<SnapshotUpload | Refused> {
  const contentType = req.headers.get('Content-Type') ?? ''
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    await drainUpload(req)
    return {
      error: errorResponse(
        415,
        `A snapshot is sent as multipart/form-data (fields "${SNAPSHOT_FORM.image}", "${SNAPSHOT_FORM.board}", "${SNAPSHOT_FORM.title}"), not ${contentType.split(';')[0] || 'a body without a type'}.`,
      ),
    }
  }
  const form = await readForm(req, contentType)
  if ('error' in form) return form

  const image = form.get(SNAPSHOT_FORM.image)
  if (image === null) return badRequest(`The form has no "${SNAPSHOT_FORM.image}" (the PNG).`)
  if (typeof image === 'string' || image.type !== 'image/png') {
    return notPng(`"${SNAPSHOT_FORM.image}" must be a file of type image/png.`)
  }
  if (image.size > SNAPSHOT_LIMITS.maxImageBytes) {
    return tooBig(`The image is over ${mib(SNAPSHOT_LIMITS.maxImageBytes)}.`)
  }
  const imageBytes = new Uint8Array(await image.arrayBuffer())
  const header = readPngHeader(imageBytes)
  if (!header) return notPng('The image is not a PNG: it does not start with a PNG header.')

  const titleField = form.get(SNAPSHOT_FORM.title)
  if (titleField !== null && typeof titleField !== 'string') {
    return badRequest(`"${SNAPSHOT_FORM.title}" must be text, not a file.`)
  }
  const title = z.object({ title: snapshotTitleSchema.optional() }).safeParse({
    title: titleField ?? undefined,
  })
  if (!title.success) return badRequest(`Invalid ${describeIssues(title.error)}`)

  const boardField = form.get(SNAPSHOT_FORM.board)
  if (boardField === null) return badRequest(`The form has no "${SNAPSHOT_FORM.board}".`)
  const boardBytes =
    typeof boardField === 'string'
      ? new TextEncoder().encode(boardField)
      : new Uint8Array(await boardField.arrayBuffer())
  if (boardBytes.byteLength > SNAPSHOT_LIMITS.maxBoardBytes) {
    return tooBig(`The board file is over ${mib(SNAPSHOT_LIMITS.maxBoardBytes)}.`)
  }
  let boardText: string
  try {
    boardText = new TextDecoder('utf-8', { fatal: true }).decode(boardBytes)
  } catch {
    return badRequest('The board file is not UTF-8 text.')
  }
  const board = checkBoardFile(boardText)
  if ('error' in board) return board

  return { title: title.data.title, ...header, image: imageBytes, board: board.json }
}

/**
 * The body as a form. A helper of its own so that the raw bytes can be collected as soon as
 * they are parsed: a Worker has 128 MB, and an upload may be 28 MiB.
 */
async function readForm(
  req: SnapshotHttpRequest,
  contentType: string,
): Promise<{ get: FormData['get'] } | Refused> {
  const body = await readBody(req, MAX_UPLOAD_BYTES)
  if (!body) return tooBig(`The upload is over ${mib(MAX_UPLOAD_BYTES)}.`)
  try {
    return await new Response(body, { headers: { 'Content-Type': contentType } }).formData()
  } catch {
    return badRequest('The body is not a readable multipart form.')
  }
}

/**
 * A board file that a restore can always load: a tldraw store snapshot that migrates to this
 * server's schema, whose every record is a valid board record (no session or presence
 * state), with the document and at least one page. Answered as JSON in the current schema.
 */
export function checkBoardFile(text: string): { json: string } | Refused {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return badRequest('The board file is not JSON.')
  }
  const parsed = boardFileSchema.safeParse(body)
  if (!parsed.success) {
    return badRequest(
      `The board file is not a tldraw store snapshot: ${describeIssues(parsed.error)}`,
    )
  }
  const migrated = tlSchema.migrateStoreSnapshot(
    parsed.data as unknown as Parameters<typeof tlSchema.migrateStoreSnapshot>[0],
  )
  if (migrated.type === 'error') {
    return badRequest(
      `The board file cannot be brought to this server's tldraw schema (${migrated.reason}).`,
    )
  }
  const store = migrated.value
  for (const [key, record] of Object.entries(store)) {
    const where = `store["${key}"]`
    if (record.id !== key) return badRequest(`${where}: its id is "${record.id}".`)
    const type = Object.hasOwn(tlSchema.types, record.typeName)
      ? tlSchema.types[record.typeName as keyof typeof tlSchema.types]
      : undefined
    if (!type) return badRequest(`${where}: unknown record type "${record.typeName}".`)
    if (type.scope !== 'document') {
      return badRequest(`${where}: a "${record.typeName}" record is not part of a board.`)
    }
    try {
      type.validate(record)
    } catch (error) {
      return badRequest(`${where}: ${errorMessage(error)}`)
    }
  }
  const records = Object.values(store)
  if (!records.some((r) => r.typeName === 'document')) {
    return badRequest('The board file has no document record.')
  }
  if (!records.some((r) => r.typeName === 'page')) {
    return badRequest('The board file has no page.')
  }
  return { json: JSON.stringify({ schema: tlSchema.serialize(), store }) }
}

export function forbidden(secret: string | null): Response {
  return errorResponse(
    403,
    secret === null
      ? 'Taking, removing and restoring snapshots needs the facilitator secret: send "Authorization: Bearer <facilitator secret>".'
      : 'That is not this board’s facilitator secret.',
  )
}

export function noSnapshot(id: string): Response {
  return errorResponse(404, `This board has no snapshot "${id}".`)
}

/** A snapshot as the listing shows it, with the absolute URL of its image. */
export function toSummary(
  entry: SnapshotEntry,
  requestUrl: string,
  roomId: string,
): SnapshotSummary {
  const { id, title, createdAt, width, height } = entry
  const url = new URL(snapshotImagePath(roomId, id), requestUrl).href
  return { id, title, createdAt, width, height, url }
}

/**
 * The image's headers. Ids are never reused, so an image never changes: caches may keep it
 * for a year, and any origin may load it (a slide tool pasting the URL).
 */
function imageHeaders(id: string, bytes: number): Record<string, string> {
  return {
    'Content-Type': 'image/png',
    'Content-Length': String(bytes),
    'Cache-Control': 'public, max-age=31536000, immutable',
    ETag: `"${id}"`,
    'Access-Control-Allow-Origin': '*',
  }
}

/** Whether the client's cached copy (`If-None-Match`) is this image. */
export function cachedCopyMatches(route: Extract<SnapshotRoute, { kind: 'image' }>): boolean {
  const tag = `"${route.id}"`
  return !!route.ifNoneMatch?.split(',').some((t) => [tag, `W/${tag}`, '*'].includes(t.trim()))
}

export function imageResponse(
  route: Extract<SnapshotRoute, { kind: 'image' }>,
  bytes: Uint8Array<ArrayBuffer>,
): Response {
  return new Response(route.head ? null : bytes, {
    headers: imageHeaders(route.id, bytes.byteLength),
  })
}

export function imageNotModified(route: Extract<SnapshotRoute, { kind: 'image' }>): Response {
  const headers = imageHeaders(route.id, 0)
  delete headers['Content-Length']
  return new Response(null, { status: 304, headers })
}

/** The stored board JSON; immutable like the image. */
export function boardResponse(text: string): Response {
  return new Response(text, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'public, max-age=31536000, immutable',
    },
  })
}

function mib(bytes: number) {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`
}

function noSuchPath(path: string): Refused {
  return { error: errorResponse(404, `No such path: ${path}`) }
}

function badRequest(message: string): Refused {
  return { error: errorResponse(400, message) }
}

function notPng(message: string): Refused {
  return { error: errorResponse(415, message) }
}

function tooBig(message: string): Refused {
  return { error: errorResponse(413, message) }
}
