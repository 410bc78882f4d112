/**
 * The baseline for the sync benchmark: tldraw's `TLSocketRoom` behind a plain `ws` server, with
 * no persistence, no roles and no frame checks. One room per URL path, created on first connect.
 * Run as its own process (like Switchback's server) so it does not share the clients' event loop;
 * it prints `{"port": <n>}` once it listens.
 */
import { TLSocketRoom, type WebSocketMinimal } from '@tldraw/sync-core'
import { createTLSchema, type TLRecord } from '@tldraw/tlschema'
import { WebSocketServer } from 'ws'

const schema = createTLSchema()
const rooms = new Map<string, TLSocketRoom<TLRecord>>()

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })

wss.on('connection', (socket, req) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const sessionId = url.searchParams.get('sessionId')
  if (!sessionId) return socket.close(1008, 'sessionId missing')
  let room = rooms.get(url.pathname)
  if (!room) {
    room = new TLSocketRoom<TLRecord>({ schema })
    rooms.set(url.pathname, room)
  }
  // TLSocketRoom subscribes to the socket's message/close/error events itself.
  room.handleSocketConnect({ sessionId, socket: socket as WebSocketMinimal })
})

wss.on('listening', () => {
  const address = wss.address()
  if (!address || typeof address === 'string') throw new Error(`unexpected address ${address}`)
  console.log(JSON.stringify({ port: address.port }))
})
