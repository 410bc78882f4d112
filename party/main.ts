/**
 * PartyKit's main party. Boards live in the `board` party (`/parties/board/<roomId>`) and
 * libraries in the `library` party; this one answers the app's pages: every request that no
 * static file matched comes to `onFetch`, which serves the built page with its security
 * headers (src/server/http/app-pages.ts says why it is not a static file). Anything addressed to the
 * main party's own rooms is answered with a pointer to the boards.
 */
import type * as Party from 'partykit/server'
import { boardPath } from '../src/protocol'
import { appPageResponse } from '../src/server/http/app-pages'
import { errorResponse } from '../src/server/http/http'

const NOTHING_HERE = `Nothing here: boards live at ${boardPath('<roomId>')}.`

export default class MainServer implements Party.Server {
  constructor(readonly party: Party.Room) {}

  static onFetch(req: Party.Request, lobby: Party.FetchLobby): Promise<Response> {
    return appPageResponse(req, (path) => lobby.assets.fetch(path))
  }

  onRequest(): Response {
    return errorResponse(404, NOTHING_HERE)
  }

  onConnect(conn: Party.Connection) {
    conn.close(1008, NOTHING_HERE)
  }
}
