/**
 * A bare sync-protocol client over `ws`, for what a browser would not send: a modified
 * client writing where it may not, garbage frames, oversized frames.
 */
import * as syncCore from '@tldraw/sync-core'
import {
  PERSON_KEY_HEADER,
  boardPath,
  socketTicketResponseSchema,
  ticketsPath,
} from '../../src/protocol'
import { createTLSchema } from '@tldraw/tlschema'
import WebSocket from 'ws'

// Exported at run time but marked internal in tldraw's published types.
const { getTlsyncProtocolVersion } = syncCore as unknown as { getTlsyncProtocolVersion(): number }

/** tldraw's connect handshake, as a client sends it first on every socket. */
export function connectMessage(requestId = 'raw') {
  return {
    type: 'connect',
    connectRequestId: requestId,
    lastServerClock: 0,
    protocolVersion: getTlsyncProtocolVersion(),
    schema: createTLSchema().serialize(),
  }
}

export interface RawSocket {
  messages: { type: string; [key: string]: unknown }[]
  /** Every frame received, as the bytes arrived (privacy tests search these). */
  raw: string[]
  closed: Promise<{ code: number; reason: string }>
  send(data: string | object): void
  /** Sends tldraw's connect handshake and waits for the server's answer. */
  handshake(): Promise<{ type: string; [key: string]: unknown }>
  next(type: string): Promise<{ type: string; [key: string]: unknown }>
  close(): void
}

/**
 * A one-time socket ticket for a facilitator secret or participant key, as the app gets one;
 * with a person key (`X-Switchback-Person`), the socket is that person's (their hidden stickies).
 */
export async function socketTicket(
  serverUrl: string,
  roomId: string,
  secret: string,
  personKey?: string,
) {
  const headers: Record<string, string> = { Authorization: `Bearer ${secret}` }
  if (personKey) headers[PERSON_KEY_HEADER] = personKey
  const answer = await fetch(new URL(ticketsPath(roomId), serverUrl), { method: 'POST', headers })
  if (!answer.ok) throw new Error(`no ticket: ${answer.status} ${await answer.text()}`)
  return socketTicketResponseSchema.parse(await answer.json()).ticket
}

/**
 * The path a board's socket opens: with a ticket for `secret` (none: a viewer), and any other
 * query (`u=<person id>`); `personKey` asks the ticket for that person.
 */
export async function boardSocketPath(
  serverUrl: string,
  roomId: string,
  secret?: string,
  query: Record<string, string> = {},
  personKey?: string,
): Promise<string> {
  const params = new URLSearchParams(query)
  if (secret) params.set('t', await socketTicket(serverUrl, roomId, secret, personKey))
  return params.size > 0 ? `${boardPath(roomId)}?${params}` : boardPath(roomId)
}

export async function openRawSocket(
  serverUrl: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawSocket> {
  const url = new URL(path, serverUrl)
  url.protocol = 'ws:'
  const ws = new WebSocket(url, { headers })
  const messages: RawSocket['messages'] = []
  const raw: string[] = []
  const waiters: (() => void)[] = []
  ws.on('message', (data) => {
    raw.push(String(data))
    const parsed = JSON.parse(String(data))
    // The server batches events into { type: 'data', data: [...] }.
    for (const message of parsed.type === 'data' ? parsed.data : [parsed]) messages.push(message)
    waiters.splice(0).forEach((wake) => wake())
  })
  const closed = new Promise<{ code: number; reason: string }>((done) =>
    ws.on('close', (code, reason) => done({ code, reason: String(reason) })),
  )
  await new Promise<void>((done, fail) => {
    ws.once('open', () => done())
    ws.once('error', fail)
  })

  const next = async (type: string) => {
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline) {
      const index = messages.findIndex((m) => m.type === type)
      if (index >= 0) return messages.splice(index, 1)[0]
      await Promise.race([
        new Promise<void>((wake) => waiters.push(wake)),
        new Promise((r) => setTimeout(r, 200)),
      ])
    }
    throw new Error(`no "${type}" message; got ${JSON.stringify(messages.map((m) => m.type))}`)
  }

  const send = (data: string | object) =>
    ws.send(typeof data === 'string' ? data : JSON.stringify(data))
  return {
    messages,
    raw,
    closed,
    send,
    next,
    async handshake() {
      send(connectMessage())
      return Promise.race([next('connect'), closed.then((c) => ({ type: 'closed', ...c }))])
    },
    close: () => ws.close(),
  }
}

/** A push that creates one rectangle. */
export function pushNewShape(id: string, clientClock = 1) {
  return {
    type: 'push',
    clientClock,
    diff: {
      [id]: [
        'put',
        {
          id,
          typeName: 'shape',
          type: 'geo',
          x: 100,
          y: 100,
          rotation: 0,
          index: 'a5',
          parentId: 'page:page',
          isLocked: false,
          opacity: 1,
          meta: {},
          props: {
            geo: 'rectangle',
            w: 100,
            h: 100,
            color: 'black',
            labelColor: 'black',
            fill: 'none',
            dash: 'draw',
            size: 'm',
            font: 'draw',
            align: 'middle',
            verticalAlign: 'middle',
            growY: 0,
            url: '',
            scale: 1,
            flipX: false,
            flipY: false,
            richText: { type: 'doc', content: [] },
          },
        },
      ],
    },
  }
}

/** A raw socket past the handshake (it must be allowed to edit), and a push that resolves to the server's answer. */
export async function rawWriter(serverUrl: string, path: string) {
  const socket = await openRawSocket(serverUrl, path)
  const connected = await socket.handshake()
  if (connected.type !== 'connect' || connected.isReadonly !== false) {
    throw new Error(`not connected as an editor: ${JSON.stringify(connected)}`)
  }
  let clock = 0
  const push = async (diff: Record<string, unknown[]>) => {
    socket.send({ type: 'push', clientClock: ++clock, diff })
    const answer = await socket.next('push_result')
    if (answer.clientClock !== clock) {
      throw new Error(`answer for push ${String(answer.clientClock)}, expected ${clock}`)
    }
    return answer.action
  }
  return { socket, push }
}

/** The whole stored board, by record id, through the backup endpoint. */
export async function storedBoard<R = { id: string; typeName: string }>(
  serverUrl: string,
  roomId: string,
): Promise<Record<string, R>> {
  const response = await fetch(new URL(boardPath(roomId), serverUrl))
  return ((await response.json()) as { store: Record<string, R> }).store
}

/**
 * A blank board with `records` the facilitator put there over a raw socket (none: empty),
 * and its secrets; throws if the board is not made or the push not committed.
 */
export async function boardWithRecords(
  serverUrl: string,
  roomId: string,
  records: { id: string }[] = [],
): Promise<{ roomId: string; facilitatorSecret: string; participantKey: string }> {
  const created = await fetch(`${serverUrl}/parties/board/${roomId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  })
  if (created.status !== 201) throw new Error(`board not created: ${created.status}`)
  const secrets = (await created.json()) as { facilitatorSecret: string; participantKey: string }
  if (records.length > 0) {
    const writer = await rawWriter(
      serverUrl,
      await boardSocketPath(serverUrl, roomId, secrets.facilitatorSecret),
    )
    const pushed = await writer.push(Object.fromEntries(records.map((r) => [r.id, ['put', r]])))
    writer.socket.close()
    if (pushed !== 'commit') throw new Error(`records not committed: ${JSON.stringify(pushed)}`)
  }
  return { roomId, ...secrets }
}
