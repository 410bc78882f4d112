/**
 * The team library's HTTP surface, validated: which request this is (from its method and path
 * alone, so a wrong secret is refused before the body is read), its body, and its secret.
 */
import {
  MAX_LIBRARY_SOURCE_URL_LENGTH,
  createLibraryRequestSchema,
  libraryPath,
  type LibraryErrorBody,
} from '../protocol'
import {
  MAX_TEMPLATE_BYTES,
  parseTemplate,
  templateIdSchema,
  type Template,
  type TemplateProblem,
} from '../protocol/template-format'
import { drainBody, readBody, type BodyRequest } from './request-body'
import { bearerSecret, describeIssues, errorResponse, json, notAllowed, type Refused } from './http'

/** A name is at most 80 characters: a create request has no business being bigger. */
const MAX_CREATE_BYTES = 4 * 1024

/** What we read of a request: both the Workers and the DOM `Request` fit. */
export interface LibraryHttpRequest extends BodyRequest {
  url: string
  method: string
}

export type LibraryRoute =
  | { kind: 'create' }
  | { kind: 'listing' }
  | { kind: 'read'; templateId: string }
  /** `secret` is null when the request carries none. */
  | { kind: 'publish'; templateId: string; secret: string | null }
  | { kind: 'remove'; templateId: string; secret: string | null }

export function routeLibraryRequest(
  req: LibraryHttpRequest,
  libraryId: string,
): LibraryRoute | Refused {
  const base = libraryPath(libraryId)
  const path = new URL(req.url).pathname.replace(/\/$/, '')

  if (path === base) {
    if (req.method === 'GET') return { kind: 'listing' }
    if (req.method === 'POST') return { kind: 'create' }
    return notAllowed(req.method, 'GET, POST')
  }

  const templateId = path.startsWith(`${base}/templates/`)
    ? path.slice(`${base}/templates/`.length)
    : null
  if (templateId === null || templateId.includes('/')) {
    return { error: errorResponse(404, `No such path: ${path}`) }
  }
  if (!templateIdSchema.safeParse(templateId).success) {
    return {
      error: errorResponse(
        400,
        'Malformed template id: a template id is 2 to 48 lowercase letters, digits and "-".',
      ),
    }
  }
  switch (req.method) {
    case 'GET':
      return { kind: 'read', templateId }
    case 'PUT':
      return { kind: 'publish', templateId, secret: bearerSecret(req) }
    case 'DELETE':
      return { kind: 'remove', templateId, secret: bearerSecret(req) }
    default:
      return notAllowed(req.method, 'GET, PUT, DELETE')
  }
}

/** The body of `POST /parties/library/<libraryId>`: the library's name. */
export async function readCreateBody(req: LibraryHttpRequest): Promise<{ name: string } | Refused> {
  const text = await readText(req, MAX_CREATE_BYTES, `Request body over ${MAX_CREATE_BYTES} bytes.`)
  if (typeof text !== 'string') return text
  const body = parseJson(text.trim() === '' ? '{}' : text)
  if ('error' in body) return body
  const parsed = createLibraryRequestSchema.safeParse(body.json)
  if (!parsed.success) {
    return { error: errorResponse(400, `Invalid request body: ${describeIssues(parsed.error)}`) }
  }
  return { name: parsed.data.name }
}

/**
 * The body of `PUT …/templates/<templateId>`: a template that passes the schema, whose id is
 * the one in the address, and whose summary fits the listing.
 */
export async function readTemplateBody(
  req: LibraryHttpRequest,
  templateId: string,
): Promise<{ template: Template } | Refused> {
  const text = await readText(
    req,
    MAX_TEMPLATE_BYTES,
    `The template is over ${MAX_TEMPLATE_BYTES / 1024} KiB.`,
  )
  if (typeof text !== 'string') return text
  const body = parseJson(text)
  if ('error' in body) return body
  const parsed = parseTemplate(body.json)
  if (!parsed.ok) return invalidTemplate(parsed.problems)
  const template = parsed.template
  if (template.id !== templateId) {
    return invalidTemplate([
      {
        path: 'id',
        message: `"${template.id}" differs from the template id in the address ("${templateId}")`,
      },
    ])
  }
  if (template.source && template.source.url.length > MAX_LIBRARY_SOURCE_URL_LENGTH) {
    return invalidTemplate([
      {
        path: 'source.url',
        message: `longer than ${MAX_LIBRARY_SOURCE_URL_LENGTH} characters`,
      },
    ])
  }
  return { template }
}

/**
 * Reads and drops the body of a request that is refused anyway (up to the size limit), so the
 * client receives the refusal instead of a connection reset while it is still sending.
 */
export async function discardBody(req: LibraryHttpRequest): Promise<void> {
  await drainBody(req, MAX_TEMPLATE_BYTES)
}

/** Stored JSON answered as it is, with the headers `json()` sets. */
export function jsonText(text: string, status = 200): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}

function invalidTemplate(problems: TemplateProblem[]): Refused {
  const [first] = problems
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''
  const body: LibraryErrorBody = {
    error: `The template is not valid: ${first.path}: ${first.message}${more}`,
    problems,
  }
  return { error: json(body, 400) }
}

function parseJson(text: string): { json: unknown } | Refused {
  try {
    return { json: JSON.parse(text) }
  } catch {
    return { error: errorResponse(400, 'Request body is not JSON.') }
  }
}

/**
 * The body as text, refused with 413 past `maxBytes`: first by its declared length, then
 * while reading, so an undeclared (chunked) body is never held in full either.
 */
async function readText(
  req: LibraryHttpRequest,
  maxBytes: number,
  tooBig: string,
): Promise<string | Refused> {
  const bytes = await readBody(req, maxBytes)
  if (!bytes) return { error: errorResponse(413, tooBig) }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { error: errorResponse(400, 'Request body is not UTF-8 text.') }
  }
}
