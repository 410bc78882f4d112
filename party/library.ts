/**
 * The team library party: one Durable Object per library at `/parties/library/<libraryId>`,
 * where a facilitator publishes templates for teammates.
 *
 * A thin adapter: it is HTTP only, refuses malformed library ids and sockets before a Durable
 * Object starts, and hands every request to the library's router (src/server/library/library-routes.ts).
 */
import type * as Party from 'partykit/server'
import { errorResponse, malformedId } from '../src/server/http/http'
import { LibraryStore } from '../src/server/library/library-store'
import { handleLibraryRequest, type LibraryHost } from '../src/server/library/library-routes'

export default class LibraryServer implements Party.Server {
  private readonly library: LibraryHost

  constructor(readonly party: Party.Room) {
    this.library = {
      libraryId: party.id,
      store: new LibraryStore(party.storage),
      exclusive: (task) => party.blockConcurrencyWhile(task),
    }
  }

  /** Refuse malformed library ids before a Durable Object is spun up for them. */
  static onBeforeRequest(req: Party.Request, lobby: Party.Lobby) {
    return malformedId('library', lobby.id) ?? req
  }

  /** A library has nothing to say over a socket; refused before a Durable Object starts. */
  static onBeforeConnect() {
    return errorResponse(400, 'A team library is read and written over HTTP, not a socket.')
  }

  async onStart() {
    // Read once here, as before, so the first request does not wait for it.
    await this.library.store.meta()
  }

  onRequest(req: Party.Request): Promise<Response> {
    return handleLibraryRequest(req, this.library)
  }
}
