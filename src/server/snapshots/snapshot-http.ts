/**
 * What a snapshot request carries and answers, once board-routes.ts has told which one it is:
 * the upload (a multipart form whose PNG and board pass every check before anything is
 * stored), the refusals particular to snapshots, and the image and board responses. Nothing
 * here routes or touches storage.
 */
import { errorMessage } from '../../shared/error-message'
import { z } from 'zod'
import {
  SNAPSHOT_FORM,
  SNAPSHOT_LIMITS,
  boardFileSchema,
  snapshotImagePath,
  snapshotTitleSchema,
  type SnapshotSummary,
} from '../../protocol'
import {
  describeIssues,
  drainBody,
  errorResponse,
  jsonText,
  NOSNIFF,
  readBody,
  type HttpRequest,
  type Refused,
} from '../http/http'
import { jsonProblem } from '../../board/json-bounds'
import { recordContentProblem } from '../../board/record-content'
import { MAX_PUSH_DEPTH } from '../rules/content-rules'
import { readPngHeader } from './png'
import { tldrawSchema as tlSchema } from '../core/tldraw-internals'
import type { SnapshotEntry } from './snapshot-store'

/** Room for the image, the board, a title and the multipart boundaries around them. */
export const MAX_UPLOAD_BYTES =
  SNAPSHOT_LIMITS.maxImageBytes + SNAPSHOT_LIMITS.maxBoardBytes + 64 * 1024

/** Reads and drops the body of a refused upload. */
export function drainUpload(req: HttpRequest): Promise<void> {
  return drainBody(req, MAX_UPLOAD_BYTES)
}

/** A request for a snapshot's image: `GET` or `HEAD`, maybe with the client's cached tag. */
export interface ImageRequest {
  id: string
  head: boolean
  ifNoneMatch: string | null
}

export interface SnapshotUpload {
  title: string | undefined
  width: number
  height: number
  image: Uint8Array
  /** The board, migrated to this server's tldraw schema and checked record by record. */
  board: string
}

/**
 * The body of `POST …/snapshots`: a multipart form with a PNG (`image`), the board (`board`,
 * a file or a string) and an optional `title`. Checked in the order that costs least: the
 * content type and declared length before reading, sizes before parsing.
 */
export async function readSnapshotUpload(req: HttpRequest): Promise<SnapshotUpload | Refused> {
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
  const side = SNAPSHOT_LIMITS.maxImageSide
  if (header.width > side || header.height > side) {
    return tooBig(
      `The image is ${header.width}×${header.height} px; a snapshot's picture is at most ${side.toLocaleString('en')} px a side.`,
    )
  }

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
  req: HttpRequest,
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
  // Before anything walks it recursively (zod, migrations, validators): no record nests so deep.
  const deep = jsonProblem(body, { maxDepth: MAX_PUSH_DEPTH, maxChars: Infinity })
  if (deep) return badRequest(`The board file is not a tldraw store snapshot: ${deep}.`)
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
    // What a push of this record would be refused for (rich text, meta), it is refused for here.
    const content = recordContentProblem(record)
    if (content) return badRequest(`${where}: ${content}`)
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

/** A snapshot as the listing shows it, with the absolute URL of its image if it has one. */
export function toSummary(
  entry: SnapshotEntry,
  requestUrl: string,
  roomId: string,
): SnapshotSummary {
  const { id, title, createdAt, width, height } = entry
  if (width === null || height === null) {
    return { id, title, createdAt, width: null, height: null, url: null }
  }
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
    ...NOSNIFF,
  }
}

/** Whether the client's cached copy (`If-None-Match`) is this image. */
export function cachedCopyMatches(request: ImageRequest): boolean {
  const tag = `"${request.id}"`
  return !!request.ifNoneMatch?.split(',').some((t) => [tag, `W/${tag}`, '*'].includes(t.trim()))
}

export function imageResponse(request: ImageRequest, bytes: Uint8Array<ArrayBuffer>): Response {
  return new Response(request.head ? null : bytes, {
    headers: imageHeaders(request.id, bytes.byteLength),
  })
}

export function imageNotModified(request: ImageRequest): Response {
  const headers = imageHeaders(request.id, 0)
  delete headers['Content-Length']
  return new Response(null, { status: 304, headers })
}

/**
 * The stored board JSON. Not cached: unlike the image, made to be pasted anywhere, it is the
 * whole board, which no shared cache should keep (nor serve after the snapshot is deleted).
 */
export function boardResponse(text: string): Response {
  return jsonText(text)
}

export function noPicture(id: string): Response {
  return errorResponse(
    404,
    `Snapshot "${id}" has no picture: the server kept it, without drawing one, before a restore. Its board is at ${id}.json.`,
  )
}

function mib(bytes: number) {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`
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
