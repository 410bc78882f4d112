/**
 * What the board keeps with each admitted socket (PartyKit's `conn.setState`, Cloudflare's
 * WebSocket attachment), so that a board whose Durable Object was evicted while hibernating can
 * serve the sockets that stayed open: who the socket is (role, person id, author, address) and
 * tldraw's session snapshot (`TLSocketRoom.getSessionSnapshot`, for `handleSocketResume`).
 *
 * Only the server writes it: the platform keeps it beside the socket, and nothing a client
 * sends is written there but the session's presence and schema, which tldraw's room checked
 * first. A snapshot's `isReadonly` is not kept at all: the role decides on resume.
 *
 * Cloudflare keeps at most 2 KiB with a socket, so the state has a budget
 * (ROOM_LIMITS.maxSocketStateBytes): the client's schema is kept as `"server"` when it is the
 * server's own (the usual case), and a state over budget drops the presence record (the person
 * shows again at their next presence push), then the session (a wake then closes the socket,
 * not fatally, and its client connects afresh).
 */
import type { SessionStateSnapshot } from '@tldraw/sync-core'
import { z } from 'zod'
import { ROLES, ROOM_LIMITS, personIdSchema, type Role } from '../../protocol'

type SerializedSchema = SessionStateSnapshot['serializedSchema']
type PresenceRecord = SessionStateSnapshot['presenceRecord']

const STATE_VERSION = 1
/** The client's schema was the server's own (its serialisation, byte for byte). */
const SERVER_SCHEMA = 'server' as const

const jsonObject = z.record(z.string(), z.unknown())

const socketStateSchema = z.strictObject({
  v: z.literal(STATE_VERSION),
  role: z.enum(ROLES),
  personId: personIdSchema.nullable(),
  author: z.string().max(128).nullable(),
  address: z.string().max(64).nullable(),
  /** tldraw's session, once its handshake is through (null before). */
  session: z
    .strictObject({
      schema: z.union([z.literal(SERVER_SCHEMA), jsonObject]),
      presenceId: z.string().max(128).nullable(),
      presenceRecord: jsonObject.nullable(),
      requiresLegacyRejection: z.boolean(),
      supportsStringAppend: z.boolean(),
    })
    .nullable(),
})

export type SocketState = z.infer<typeof socketStateSchema>

/** Who a socket is, as the server admitted it. */
export interface SocketIdentity {
  role: Role
  personId: string | null
  author: string | null
  address: string | null
}

/**
 * The state to keep for a socket: who it is and, once connected, its tldraw session, within
 * the budget. `serverSchema` is the server's schema serialised (JSON), to recognise a client
 * that has the same.
 */
export function socketState(
  who: SocketIdentity,
  snapshot: SessionStateSnapshot | null,
  serverSchema: string,
  budget: number = ROOM_LIMITS.maxSocketStateBytes,
): SocketState {
  const base: SocketState = { v: STATE_VERSION, ...who, session: null }
  if (!snapshot) return base
  const schema: typeof SERVER_SCHEMA | Record<string, unknown> =
    JSON.stringify(snapshot.serializedSchema) === serverSchema
      ? SERVER_SCHEMA
      : (snapshot.serializedSchema as unknown as Record<string, unknown>)
  const session = {
    schema,
    presenceId: snapshot.presenceId,
    presenceRecord: snapshot.presenceRecord as Record<string, unknown> | null,
    requiresLegacyRejection: snapshot.requiresLegacyRejection,
    supportsStringAppend: snapshot.supportsStringAppend,
  }
  const whole: SocketState = { ...base, session }
  if (JSON.stringify(whole).length <= budget) return whole
  const slim: SocketState = { ...base, session: { ...session, presenceRecord: null } }
  return JSON.stringify(slim).length <= budget ? slim : base
}

/** The state a socket carries, when it is one the server wrote (else null: not resumable). */
export function readSocketState(state: unknown): SocketState | null {
  const parsed = socketStateSchema.safeParse(state)
  return parsed.success ? parsed.data : null
}

/**
 * tldraw's session snapshot for `handleSocketResume`, its access from the role the server
 * granted (never from what was kept), or null when the socket's session was not kept.
 */
export function resumeSnapshot(
  state: SocketState,
  canEdit: boolean,
  serverSchema: SerializedSchema,
): SessionStateSnapshot | null {
  const { session } = state
  if (!session) return null
  return {
    serializedSchema:
      session.schema === SERVER_SCHEMA
        ? serverSchema
        : (session.schema as unknown as SerializedSchema),
    isReadonly: !canEdit,
    // No record type goes through tldraw's object lane here; a viewer writes nothing anyway.
    objectAccess: canEdit ? 'write' : 'read',
    presenceId: session.presenceId,
    presenceRecord: session.presenceRecord as PresenceRecord,
    requiresLegacyRejection: session.requiresLegacyRejection,
    supportsStringAppend: session.supportsStringAppend,
  }
}
