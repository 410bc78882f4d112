/**
 * The sync socket's address for a board on this origin; tldraw's client appends its session
 * ids. The person's id lets the server count who took part (see `peoplePath`); their key,
 * sent with the ticket request, is what makes their hidden stickies and ballot theirs.
 *
 * A facilitator secret or participant key never goes in the address (server and proxy logs
 * keep addresses): it is sent in an `Authorization` header for a one-time socket ticket, which
 * the address carries instead. useSync calls this before every connection attempt, so each
 * reconnect gets a fresh ticket.
 */
import {
  PERSON_KEY_HEADER,
  SOCKET_TICKET_PARAM,
  boardPath,
  socketTicketResponseSchema,
  ticketsPath,
} from '../protocol'
import { ServerError, callServer } from '../shared/server-call'
import type { CanvasOptions } from './board-state'

/**
 * Not a ticket (the server refuses it FORBIDDEN, like a wrong key): sent when the server has
 * refused our secret, so the page shows the same "this link does not work" screen as ever, and
 * when the canvas is gone. Never a ticketless address, which would quietly make us a viewer.
 */
const REFUSED = 'refused'
/** Waits between ticket attempts while the server is out of reach. */
const RETRY_MS = [500, 1_000, 2_000, 5_000] as const

export async function boardSocketUrl(
  roomId: string,
  credential: CanvasOptions['credential'],
  person: { id: string; key: string | null } | null,
  gone: () => boolean,
): Promise<string> {
  const personId = person?.id ?? null
  const url = new URL(boardPath(roomId), window.location.href)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  if (personId) url.searchParams.set('u', personId)
  const secret = credential && ('f' in credential ? credential.f : credential.k)
  if (secret) {
    const ticket = await socketTicket(roomId, secret, person?.key ?? null, gone)
    // No board here: connect without one, and the server says so (NOT_FOUND).
    if (ticket !== null) url.searchParams.set(SOCKET_TICKET_PARAM, ticket)
  }
  return url.toString()
}

/**
 * A ticket for `secret`, REFUSED when the server refuses the secret, or null when there is no
 * such board. While the server cannot be reached it keeps trying: tldraw's client waits for
 * this, showing the board as reconnecting, and must never receive a rejected promise (it would
 * stop trying to connect).
 */
async function socketTicket(
  roomId: string,
  secret: string,
  personKey: string | null,
  gone: () => boolean,
): Promise<string | null> {
  const headers: Record<string, string> = { Authorization: `Bearer ${secret}` }
  if (personKey) headers[PERSON_KEY_HEADER] = personKey
  for (let attempt = 0; !gone(); attempt++) {
    try {
      const answer = await callServer(ticketsPath(roomId), {
        method: 'POST',
        headers,
      })
      const parsed = socketTicketResponseSchema.safeParse(answer)
      if (parsed.success) return parsed.data.ticket
    } catch (error) {
      if (error instanceof ServerError && error.status === 404) return null
      if (error instanceof ServerError && (error.status === 403 || error.status === 400)) {
        return REFUSED
      }
    }
    await new Promise((wake) => setTimeout(wake, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]))
  }
  return REFUSED
}
