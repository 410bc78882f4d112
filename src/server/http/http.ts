/**
 * The HTTP helpers every party shares: what we read of a request, JSON and error answers,
 * refusals (`{ error: Response }`, returned rather than thrown), the bearer secret, and
 * request bodies read within a limit.
 *
 * A body is never held in full past its limit (a chunked body has no length to refuse it by),
 * and a refused body is still read and dropped, up to twice the limit: a client gets its
 * refusal cleanly only once the server has taken what it sends; otherwise it sees a reset
 * (EPIPE), or its next request does.
 */
import type { z } from 'zod'
import { libraryIdSchema, roomIdSchema, secretSchema, type ErrorBody } from '../../protocol'

/** What we read of a request: both the Workers and the DOM `Request` fit. */
export interface HttpRequest {
  url: string
  method: string
  headers: { get(name: string): string | null }
  arrayBuffer(): Promise<ArrayBuffer>
  body: { getReader(): BodyReader } | null
}
interface BodyReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>
  cancel(): Promise<void>
}

/** A refused request: the answer to send. */
export type Refused = { error: Response }

/** On every answer: the browser takes our Content-Type as it is and never sniffs another. */
export const NOSNIFF = { 'X-Content-Type-Options': 'nosniff' } as const

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...NOSNIFF,
      ...headers,
    },
  })
}

/** Stored JSON answered as it is, with the headers `json()` sets. */
export function jsonText(text: string, status = 200): Response {
  return new Response(text, {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...NOSNIFF,
    },
  })
}

export function errorResponse(status: number, error: string, headers: Record<string, string> = {}) {
  return json({ error } satisfies ErrorBody, status, headers)
}

export function notAllowed(method: string, allow: string): Refused {
  return {
    error: errorResponse(405, `${method} is not allowed here; use ${allow}.`, { Allow: allow }),
  }
}

export function noSuchPath(path: string): Refused {
  return { error: errorResponse(404, `No such path: ${path}`) }
}

/** The request's path, without a trailing slash. */
export function requestPath(req: { url: string }): string {
  return new URL(req.url).pathname.replace(/\/$/, '')
}

/**
 * The id in `path` when `path` is `build(id)` for some non-empty id, else null: routes read
 * their ids back through the protocol's own path functions instead of spelling paths again.
 */
export function idInPath(path: string, build: (id: string) => string): string | null {
  const marker = '\u0000'
  const [prefix, suffix] = build(marker).split(marker)
  if (path.length <= prefix.length + suffix.length) return null
  return path.startsWith(prefix) && path.endsWith(suffix)
    ? path.slice(prefix.length, path.length - suffix.length)
    : null
}

/** null without an Authorization header; '' (which matches nothing) for one that is not ours. */
export function bearerSecret(req: { headers: { get(name: string): string | null } }) {
  const header = req.headers.get('Authorization')
  if (header === null) return null
  const secret = secretSchema.safeParse(/^Bearer\s+(\S+)\s*$/i.exec(header)?.[1])
  return secret.success ? secret.data : ''
}

/**
 * Refuses a write that a page on another site could have made our visitor's browser send: one
 * the browser marks as cross-site (`Sec-Fetch-Site`, `Origin`), or one that is not JSON. A
 * form or a `text/plain` fetch needs no CORS preflight, so without this any site could create
 * boards and libraries in a visitor's name; a JSON one from another site is preflighted, and
 * we answer no preflight. Scripts and `curl` send no `Origin` and pass with the JSON type.
 */
export function crossSiteWrite(req: HttpRequest): Refused | null {
  const site = req.headers.get('Sec-Fetch-Site')
  const origin = req.headers.get('Origin')
  if ((site !== null && site !== 'same-origin' && site !== 'none') || !sameOrigin(req, origin)) {
    return { error: errorResponse(403, 'Cross-site requests are refused here.') }
  }
  const type = req.headers.get('Content-Type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return { error: errorResponse(415, 'Send JSON, with Content-Type: application/json.') }
  }
  return null
}

/** No `Origin`, or one whose host is the request's (by its URL, or by `Host` behind a proxy). */
function sameOrigin(req: HttpRequest, origin: string | null): boolean {
  if (origin === null) return true
  let host: string
  try {
    host = new URL(origin).host
  } catch {
    return false // "null" (a sandboxed frame, a file) and anything unreadable
  }
  return host === new URL(req.url).host || host === req.headers.get('Host')
}

/** "title: Too big: expected string to have <=120 characters; …" */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')
}

/**
 * The body parsed as JSON, refused with 413 (`tooBig`) past `maxBytes`, or 400 when it is not
 * UTF-8 or not JSON. An empty body reads as `whenEmpty` when one is given.
 */
export async function readJson(
  req: HttpRequest,
  maxBytes: number,
  tooBig: string,
  whenEmpty?: unknown,
): Promise<{ json: unknown } | Refused> {
  const bytes = await readBody(req, maxBytes)
  if (!bytes) return { error: errorResponse(413, tooBig) }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { error: errorResponse(400, 'Request body is not UTF-8 text.') }
  }
  if (whenEmpty !== undefined && text.trim() === '') return { json: whenEmpty }
  try {
    return { json: JSON.parse(text) }
  } catch {
    return { error: errorResponse(400, 'Request body is not JSON.') }
  }
}

/**
 * A small JSON request body checked against `schema` (an empty body reads as `{}`), or the
 * refusal: 413 past `maxBytes`, 400 saying what is wrong.
 */
export async function readJsonRequest<S extends z.ZodType>(
  req: HttpRequest,
  schema: S,
  maxBytes: number,
): Promise<{ data: z.output<S> } | Refused> {
  const body = await readJson(req, maxBytes, `Request body over ${maxBytes} bytes.`, {})
  if ('error' in body) return body
  const parsed = schema.safeParse(body.json)
  if (!parsed.success) {
    return { error: errorResponse(400, `Invalid request body: ${describeIssues(parsed.error)}`) }
  }
  return { data: parsed.data }
}

/** The body, or null when it is over `maxBytes` (declared or as read); null bodies are drained. */
export async function readBody(
  req: HttpRequest,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (Number(req.headers.get('Content-Length') ?? 0) > maxBytes) {
    await drainBody(req, maxBytes)
    return null
  }
  if (!req.body) {
    const bytes = new Uint8Array(await req.arrayBuffer())
    return bytes.byteLength > maxBytes ? null : bytes
  }
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (!value) continue
    total += value.byteLength
    if (total > maxBytes) {
      chunks.length = 0
      await discard(reader, total, 2 * maxBytes)
      return null
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/** Reads and drops the body of a request refused anyway (up to twice `limit`, then cuts it). */
export async function drainBody(req: HttpRequest, limit: number): Promise<void> {
  if (req.body) await discard(req.body.getReader(), 0, 2 * limit)
}

async function discard(reader: BodyReader, alreadyRead: number, cap: number): Promise<void> {
  let total = alreadyRead
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      total += value?.byteLength ?? 0
      if (total > cap) {
        await reader.cancel()
        return
      }
    }
  } catch {
    // The client went away: nothing to answer.
  }
}

/**
 * The refusal for a malformed board or library id (both are 22 to 64 letters, digits, "-"
 * or "_"), or null for a good one: the parties ask before a Durable Object is spun up.
 */
export function malformedId(what: 'board' | 'library', id: string): Response | null {
  return (what === 'board' ? roomIdSchema : libraryIdSchema).safeParse(id).success
    ? null
    : errorResponse(
        400,
        `Malformed ${what} id: a ${what} id is 22 to 64 letters, digits, "-" or "_". Check the link.`,
      )
}
