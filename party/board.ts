/**
 * The board party: one Durable Object per board at `/parties/board/<roomId>`.
 *
 * A thin adapter: it refuses malformed board ids before a Durable Object starts, and hands
 * everything else to `BoardRoom` (sync and storage, src/server/board-room.ts) and the board's
 * router (HTTP, src/server/board-routes.ts), which run without PartyKit in unit tests.
 *
 * It hibernates: PartyKit then takes 32,000 sockets a room (100 without), and may evict the
 * Durable Object between events while the sockets stay open. The next event builds it again,
 * and `onStart` (BoardRoom.start) resumes every open socket from the state the server kept
 * with it (`conn.setState`), so the connection caps are Switchback's own (connection-limits.ts).
 */
import type * as Party from 'partykit/server'
import { BoardRoom, type Frame } from '../src/server/board-room'
import { handleBoardRequest } from '../src/server/board-routes'
import { connectionLimitsFrom } from '../src/server/connection-limits'
import { malformedId } from '../src/server/http'

export default class BoardServer implements Party.Server {
  /** Read by PartyKit from the instance (see the header). */
  readonly options: Party.ServerOptions = { hibernate: true }
  private readonly board: BoardRoom

  constructor(readonly party: Party.Room) {
    this.board = new BoardRoom({
      roomId: party.id,
      storage: party.storage,
      connections: () => party.getConnections(),
      exclusive: (task) => party.blockConcurrencyWhile(task),
      connectionLimits: connectionLimitsFrom(party.env),
    })
  }

  /** Refuse malformed room ids before a Durable Object is spun up for them. */
  static onBeforeRequest(req: Party.Request, lobby: Party.Lobby) {
    return malformedId('board', lobby.id) ?? req
  }
  static onBeforeConnect(req: Party.Request, lobby: Party.Lobby) {
    return malformedId('board', lobby.id) ?? req
  }

  onStart() {
    return this.board.start()
  }

  onConnect(conn: Party.Connection, ctx: Party.ConnectionContext) {
    // Cloudflare sets the client's address; a client cannot (x-forwarded-for it can, so no).
    const address = ctx.request.headers.get('cf-connecting-ip')
    return this.board.connect(conn, new URL(ctx.request.url), address)
  }

  onMessage(message: Frame, sender: Party.Connection) {
    this.board.message(message, sender)
  }

  onClose(conn: Party.Connection) {
    this.board.disconnect(conn)
  }

  onError(conn: Party.Connection) {
    this.board.disconnect(conn)
  }

  onRequest(req: Party.Request): Promise<Response> {
    return handleBoardRequest(req, this.board)
  }
}
