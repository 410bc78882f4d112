/**
 * PartyKit needs a main party; Switchback has none. Boards live in the `board` party
 * (`/parties/board/<roomId>`), so anything addressed here is answered with a pointer there.
 */
import type * as Party from 'partykit/server'
import { boardPath } from '../src/protocol'
import { errorResponse } from '../src/server/http'

const NOTHING_HERE = `Nothing here: boards live at ${boardPath('<roomId>')}.`

export default class MainServer implements Party.Server {
  constructor(readonly party: Party.Room) {}

  onRequest(): Response {
    return errorResponse(404, NOTHING_HERE)
  }

  onConnect(conn: Party.Connection) {
    conn.close(1008, NOTHING_HERE)
  }
}
