/**
 * Every HTTP request a team library answers, in one place: which route it is (from method and
 * path alone, so a wrong secret is refused before the body is read), its body, and the answer,
 * driven by the library's `LibraryStore`.
 *
 *   POST   /parties/library/<libraryId>                          create it (answers the secret)
 *   GET    /parties/library/<libraryId>                          the listing
 *   GET    /parties/library/<libraryId>/templates/<templateId>   one template
 *   PUT    /parties/library/<libraryId>/templates/<templateId>   publish it (secret)
 *   DELETE /parties/library/<libraryId>/templates/<templateId>   remove it (secret)
 *
 * Anyone with the library's id reads it (the id is unguessable, like a board id); publishing
 * and removing need the secret minted when it was created, of which only the hash is stored.
 * A request is refused before its body is read when it cannot succeed (the body is drained, so
 * the refusal arrives rather than a reset), and nothing is written until the whole request has
 * been checked.
 */
import {
  MAX_LIBRARY_SOURCE_URL_LENGTH,
  createLibraryRequestSchema,
  libraryPath,
  libraryTemplatePath,
  type CreateLibraryResponse,
  type LibraryErrorBody,
  type LibraryListing,
} from '../../protocol'
import {
  MAX_TEMPLATE_BYTES,
  parseTemplate,
  templateIdSchema,
  type Template,
  type TemplateProblem,
} from '../../protocol/template-format'
import {
  bearerSecret,
  crossSiteWrite,
  drainBody,
  errorResponse,
  idInPath,
  json,
  jsonText,
  noSuchPath,
  notAllowed,
  readJson,
  readJsonRequest,
  requestPath,
  type HttpRequest,
  type Refused,
} from '../http/http'
import type { LibraryMeta, LibraryStore } from './library-store'
import { hashSecret, mintSecret, secretMatches } from '../rules/roles'

/** A name is at most 80 characters: a create request has no business being bigger. */
const MAX_CREATE_BYTES = 4 * 1024

/** `secret` is null when the request carries none. */
export type LibraryRoute =
  | { kind: 'create' }
  | { kind: 'listing' }
  | { kind: 'read'; templateId: string }
  | { kind: 'publish'; templateId: string; secret: string | null }
  | { kind: 'remove'; templateId: string; secret: string | null }

/** What a library owns that its routes need. */
export interface LibraryHost {
  readonly libraryId: string
  readonly store: LibraryStore
  /** Runs `task` with nothing else interleaved (Durable Objects' `blockConcurrencyWhile`). */
  exclusive<T>(task: () => Promise<T>): Promise<T>
}

/** The route this request is, or the refusal to answer (a wrong method, path or id). */
export function routeLibraryRequest(req: HttpRequest, libraryId: string): LibraryRoute | Refused {
  const path = requestPath(req)

  if (path === libraryPath(libraryId)) {
    if (req.method === 'GET') return { kind: 'listing' }
    if (req.method === 'POST') return { kind: 'create' }
    return notAllowed(req.method, 'GET, POST')
  }

  const templateId = idInPath(path, (id) => libraryTemplatePath(libraryId, id))
  if (templateId === null || templateId.includes('/')) return noSuchPath(path)
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

/** Routes and answers one request. */
export async function handleLibraryRequest(req: HttpRequest, host: LibraryHost): Promise<Response> {
  const route = routeLibraryRequest(req, host.libraryId)
  if ('error' in route) return route.error
  const { store } = host
  const crossSite = route.kind === 'create' || route.kind === 'publish' ? crossSiteWrite(req) : null
  if (crossSite) {
    await drainBody(req, route.kind === 'create' ? MAX_CREATE_BYTES : MAX_TEMPLATE_BYTES)
    return crossSite.error
  }
  if (route.kind === 'create') {
    const body = await readCreateBody(req)
    if ('error' in body) return body.error
    // One at a time: two requests racing to create the same library must not both win.
    return host.exclusive(() => create(host, body.name))
  }

  const meta = await store.meta()
  if (!meta) return errorResponse(404, 'No team library has been created at this address.')

  switch (route.kind) {
    case 'listing': {
      const listing: LibraryListing = {
        libraryId: host.libraryId,
        name: meta.name,
        templates: await store.list(),
      }
      return json(listing)
    }
    case 'read': {
      const template = await store.read(route.templateId)
      return template === null ? noTemplate(route.templateId) : jsonText(template)
    }
    case 'publish': {
      // The secret is checked first: a stranger's upload is never parsed or stored (only
      // drained, so that the refusal arrives rather than a reset connection).
      if (!(await secretMatches(route.secret, meta.secretHash))) {
        await drainBody(req, MAX_TEMPLATE_BYTES)
        return forbidden(route.secret)
      }
      const body = await readTemplateBody(req, route.templateId)
      if ('error' in body) return body.error
      return host.exclusive(() => publish(store, body.template))
    }
    case 'remove': {
      if (!(await secretMatches(route.secret, meta.secretHash))) return forbidden(route.secret)
      const removed = await host.exclusive(() => store.remove(route.templateId))
      return removed ? new Response(null, { status: 204 }) : noTemplate(route.templateId)
    }
  }
}

/** The body of `POST /parties/library/<libraryId>`: the library's name. */
export async function readCreateBody(req: HttpRequest): Promise<{ name: string } | Refused> {
  const body = await readJsonRequest(req, createLibraryRequestSchema, MAX_CREATE_BYTES)
  if ('error' in body) return body
  return { name: body.data.name }
}

/**
 * The body of `PUT …/templates/<templateId>`: a template that passes the schema, whose id is
 * the one in the address, and whose summary fits the listing.
 */
export async function readTemplateBody(
  req: HttpRequest,
  templateId: string,
): Promise<{ template: Template } | Refused> {
  const body = await readJson(
    req,
    MAX_TEMPLATE_BYTES,
    `The template is over ${MAX_TEMPLATE_BYTES / 1024} KiB.`,
  )
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

async function create(host: LibraryHost, name: string): Promise<Response> {
  if (await host.store.meta()) return errorResponse(409, 'This team library already exists.')
  const secret = mintSecret()
  const meta: LibraryMeta = { name, secretHash: await hashSecret(secret), createdAt: Date.now() }
  await host.store.create(meta)
  const created: CreateLibraryResponse = { libraryId: host.libraryId, name, secret }
  return json(created, 201)
}

async function publish(store: LibraryStore, template: Template): Promise<Response> {
  const result = await store.publish(template)
  if (result.kind === 'full') {
    return errorResponse(
      409,
      `This library holds ${result.limit} templates, the most it can; remove one before publishing another.`,
    )
  }
  return json(result.summary, result.kind === 'created' ? 201 : 200)
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

function noTemplate(templateId: string) {
  return errorResponse(404, `This library has no template "${templateId}".`)
}

function forbidden(secret: string | null) {
  return errorResponse(
    403,
    secret === null
      ? 'Publishing and removing need the library’s secret: send "Authorization: Bearer <secret>".'
      : 'That is not this library’s secret.',
  )
}
