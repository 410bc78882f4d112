/**
 * PartyKit needs a main party; Switchback has none. Boards live in the `board` party
 * (`/parties/board/<roomId>`), so anything addressed here is answered with a pointer there.
 */
import type * as Party from 'partykit/server'
import { errorResponse } from '../src/server/http'

export default class MainServer implements Party.Server {
  constructor(readonly party: Party.Room) {}

  onRequest(): Response {
    return errorResponse(404, 'Nothing here: boards live at /parties/board/<roomId>.')
  }

  onConnect(conn: Party.Connection) {
    conn.close(1008, 'Nothing here: boards live at /parties/board/<roomId>.')
  }
}
