/**
 * Roles: who a connection is, the secrets that say so, and the messages that tell every
 * session who is who.
 */
import './zod-setup'
import { z } from 'zod'
import { secretSchema } from './ids'

/**
 * Who a connection is. Decided by the server from a secret (`f`, the facilitator secret, or
 * `k`, the participant key); no secret means viewer. Secrets never travel in a URL (which
 * server and proxy logs keep): the client trades one for a socket ticket (`ticketsPath`) and
 * connects with `?t=<ticket>`.
 */
export const ROLES = ['facilitator', 'participant', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const credentialsSchema = z.strictObject({
  f: secretSchema.optional(),
  k: secretSchema.optional(),
})
export type Credentials = z.infer<typeof credentialsSchema>

/**
 * Who is who, told by the server over the board's socket (tldraw custom messages), because a
 * presence record is written by its own client and may claim any name. Presence record ids are
 * the server's (it assigns one per session), so the people list puts each badge by the record
 * id. `roles` goes to a session once it has joined (everyone there, and its own role), then
 * `role-joined` and `role-left` as others come and go.
 */
export const roleMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('roles'),
    you: z.enum(ROLES),
    roles: z.record(z.string(), z.enum(ROLES)),
  }),
  z.strictObject({ type: z.literal('role-joined'), presenceId: z.string(), role: z.enum(ROLES) }),
  z.strictObject({ type: z.literal('role-left'), presenceId: z.string() }),
])
export type RoleMessage = z.infer<typeof roleMessageSchema>
