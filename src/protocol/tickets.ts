/**
 * Socket tickets: a secret traded over HTTP for a one-time ticket, so no secret travels in a
 * socket URL; and the person key sent beside it.
 */
import './zod-setup'
import { z } from 'zod'
import { boardPath } from './board'
import { secretSchema } from './ids'

/**
 * `POST /parties/board/<roomId>/tickets` with `Authorization: Bearer <facilitator secret or
 * participant key>` answers a socket ticket: good for one connection, within
 * `SOCKET_TICKET_TTL_MS`, with the role the secret grants. The board's server keeps tickets in
 * memory only; an unknown, used or expired one is refused like a wrong key (FORBIDDEN).
 */
export const SOCKET_TICKET_TTL_MS = 30_000
export const SOCKET_TICKET_PARAM = 't'
export const socketTicketSchema = secretSchema
export const socketTicketResponseSchema = z.strictObject({
  ticket: socketTicketSchema,
  expiresAt: z.number(),
})
export type SocketTicketResponse = z.infer<typeof socketTicketResponseSchema>
/**
 * A ticket request may also carry `X-Switchback-Person: <person key>`: a random secret each
 * browser keeps (beside its public person id). The server keeps only its hash, as the session's
 * author key: what is private to a person (their hidden stickies, their ballot) goes to sockets
 * with the same author key, never to someone who merely claims the person id.
 */
export const PERSON_KEY_HEADER = 'X-Switchback-Person'
export const personKeySchema = secretSchema
export function ticketsPath(roomId: string): string {
  return `${boardPath(roomId)}/tickets`
}
