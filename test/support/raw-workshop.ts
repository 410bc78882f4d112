/**
 * A raw socket in the workshop, as a modified client would join it: a ticket for a secret
 * (none: a viewer) and a person key, the handshake, the welcome's token, and facilitation
 * actions posted with that token. For raw-protocol tests of voting and the private
 * brainstorm, and for running a vote without the UI (raw-vote.ts).
 */
import { facilitationPath } from '../../src/protocol'
import {
  facilitationMessageSchema,
  type FacilitationAction,
  type FacilitationMessage,
  type FacilitationView,
  type VoteResult,
} from '../../src/protocol/facilitation'
import { boardSocketPath, openRawSocket, type RawSocket } from './raw-socket'

export interface WorkshopMember {
  socket: RawSocket
  /** Posts an action with this socket's token: the server's status and refusal, if any. */
  post(action: FacilitationAction | object): Promise<{ status: number; error?: string }>
  /** Posts an action; throws with the server's answer if refused. */
  act(action: FacilitationAction): Promise<void>
  /** Every custom message the socket was sent (workshop messages and notices), in order. */
  customs(): ({ type?: string; kind?: string } & Record<string, unknown>)[]
  /** The latest workshop view this socket was sent. */
  view(): FacilitationView | null
  /** The latest vote results this socket was sent. */
  results(): VoteResult[] | null
  /** How many workshop states this socket was sent so far. */
  states(): number
  /** The person id the workshop's welcome gave this socket (null: none). */
  welcomePersonId(): string | null | undefined
}

/** A workshop member as a person with a public id (`?u=`) and a key; see `workshopMember`. */
export function personInWorkshop(
  serverUrl: string,
  roomId: string,
  secret: string | undefined,
  key: string | undefined,
  personId: string,
): Promise<WorkshopMember> {
  return workshopMember(serverUrl, roomId, secret, key, { u: personId })
}

/**
 * Opens a board socket for `secret` as the person with `key` (with `query`, e.g. `u`), past
 * the handshake, and waits for the workshop's welcome and its token.
 */
export async function workshopMember(
  serverUrl: string,
  roomId: string,
  secret: string | undefined,
  key: string | undefined,
  query: Record<string, string> = {},
): Promise<WorkshopMember> {
  const socket = await openRawSocket(
    serverUrl,
    await boardSocketPath(serverUrl, roomId, secret, query, key),
  )
  const connected = await socket.handshake()
  if (connected.type !== 'connect') throw new Error(`not connected: ${JSON.stringify(connected)}`)
  const customs = () =>
    socket.messages.flatMap((m) =>
      m.type === 'custom'
        ? [m.data as { type?: string; kind?: string } & Record<string, unknown>]
        : [],
    )
  const deadline = Date.now() + 10_000
  let token: string | null = null
  while (!token) {
    const welcome = customs()
      .map((d) => facilitationMessageSchema.safeParse(d).data)
      .find((m): m is Extract<FacilitationMessage, { type: 'welcome' }> => m?.type === 'welcome')
    token = welcome?.token ?? null
    if (token) break
    if (Date.now() > deadline) throw new Error('no welcome from the workshop')
    await new Promise((wake) => setTimeout(wake, 50))
  }
  const post = async (action: FacilitationAction | object) => {
    const answer = await fetch(new URL(facilitationPath(roomId), serverUrl), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify(action),
    })
    const body = (await answer.json().catch(() => ({}))) as { error?: string }
    return body.error === undefined
      ? { status: answer.status }
      : { status: answer.status, error: body.error }
  }
  const act = async (action: FacilitationAction) => {
    const { status, error } = await post(action)
    if (status !== 200) throw new Error(`${action.type}: ${status} ${error ?? ''}`)
  }
  const latest = (type: string) => customs().findLast((d) => d.type === type)
  return {
    socket,
    post,
    act,
    customs,
    view: () => (latest('state')?.view as FacilitationView) ?? null,
    results: () => (latest('vote-results')?.results as VoteResult[]) ?? null,
    states: () => customs().filter((d) => d.type === 'state').length,
    welcomePersonId: () => latest('welcome')?.personId as string | null | undefined,
  }
}
