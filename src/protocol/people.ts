/**
 * People: how many have joined a board with edit rights, and the person id a client names
 * itself with.
 */
import './zod-setup'
import { z } from 'zod'
import { boardPath } from './board'

/**
 * `GET /parties/board/<roomId>/people`: how many different people have joined with edit
 * rights (facilitator or participants) over the board's life; the deck's title slide says it.
 * Clients name themselves with `?u=<person id>` on the socket URL.
 */
export const peopleCountSchema = z.strictObject({ participants: z.number().int().nonnegative() })
export type PeopleCount = z.infer<typeof peopleCountSchema>
export const personIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/)

export function peoplePath(roomId: string): string {
  return `${boardPath(roomId)}/people`
}
