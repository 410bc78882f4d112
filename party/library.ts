/**
 * The team library party: one Durable Object per library at `/parties/library/<libraryId>`,
 * where a facilitator publishes templates for teammates.
 *
 * It is HTTP only. Anyone with the library's id reads it (the id is unguessable, like a board
 * id); publishing and removing need the secret minted when it was created, of which only the
 * hash is stored. A request is refused before its body is read when it cannot succeed, and
 * nothing is written until the whole request has been checked.
 */
import type * as Party from 'partykit/server'
import { libraryIdSchema } from '../src/protocol'
import { errorResponse, json } from '../src/server/http'
import {
  discardBody,
  jsonText,
  readCreateBody,
  readTemplateBody,
  routeLibraryRequest,
} from '../src/server/library-http'
import { LibraryStore, type LibraryMeta } from '../src/server/library-store'
import { hashSecret, mintSecret, secretMatches } from '../src/server/roles'
import type { Template } from '../src/protocol/template-format'

export default class LibraryServer implements Party.Server {
  private meta: LibraryMeta | null = null
  private readonly store: LibraryStore

  constructor(readonly party: Party.Room) {
    this.store = new LibraryStore(party.storage)
  }

  /** Refuse malformed library ids before a Durable Object is spun up for them. */
  static onBeforeRequest(req: Party.Request, lobby: Party.Lobby) {
    return libraryIdSchema.safeParse(lobby.id).success
      ? req
      : errorResponse(
          400,
          'Malformed library id: a library id is 22 to 64 letters, digits, "-" or "_". Check the link.',
        )
  }

  /** A library has nothing to say over a socket; refused before a Durable Object starts. */
  static onBeforeConnect() {
    return errorResponse(400, 'A team library is read and written over HTTP, not a socket.')
  }

  async onStart() {
    this.meta = (await this.store.meta()) ?? null
  }

  async onRequest(req: Party.Request): Promise<Response> {
    const route = routeLibraryRequest(req, this.party.id)
    if ('error' in route) return route.error

    if (route.kind === 'create') {
      const body = await readCreateBody(req)
      if ('error' in body) return body.error
      // One at a time: two requests racing to create the same library must not both win.
      return this.party.blockConcurrencyWhile(() => this.create(body.name))
    }

    const meta = this.meta
    if (!meta) return errorResponse(404, 'No team library has been created at this address.')

    switch (route.kind) {
      case 'listing':
        return json({
          libraryId: this.party.id,
          name: meta.name,
          templates: await this.store.list(),
        })
      case 'read': {
        const template = await this.store.read(route.templateId)
        return template === null ? noTemplate(route.templateId) : jsonText(template)
      }
      case 'publish': {
        // The secret is checked first: a stranger's upload is never parsed or stored (only
        // drained, so that the refusal arrives rather than a reset connection).
        if (!(await secretMatches(route.secret, meta.secretHash))) {
          await discardBody(req)
          return forbidden(route.secret)
        }
        const body = await readTemplateBody(req, route.templateId)
        if ('error' in body) return body.error
        return this.party.blockConcurrencyWhile(() => this.publish(body.template))
      }
      case 'remove': {
        if (!(await secretMatches(route.secret, meta.secretHash))) return forbidden(route.secret)
        const removed = await this.party.blockConcurrencyWhile(() =>
          this.store.remove(route.templateId),
        )
        return removed ? new Response(null, { status: 204 }) : noTemplate(route.templateId)
      }
    }
  }

  private async create(name: string): Promise<Response> {
    if (this.meta) return errorResponse(409, 'This team library already exists.')
    const secret = mintSecret()
    const meta: LibraryMeta = { name, secretHash: await hashSecret(secret), createdAt: Date.now() }
    await this.store.create(meta)
    this.meta = meta
    return json({ libraryId: this.party.id, name, secret }, 201)
  }

  private async publish(template: Template): Promise<Response> {
    const result = await this.store.publish(template)
    if (result.kind === 'full') {
      return errorResponse(
        409,
        `This library holds ${result.limit} templates, the most it can; remove one before publishing another.`,
      )
    }
    return json(result.summary, result.kind === 'created' ? 201 : 200)
  }
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
