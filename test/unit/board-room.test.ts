import * as syncCore from '@tldraw/sync-core'
import { createTLSchema } from '@tldraw/tlschema'
import { describe, expect, it, vi } from 'vitest'
import {
  CLOSE_REASONS,
  SYNC_FATAL_CLOSE_CODE,
  boardPath,
  createBoardResponseSchema,
  socketTicketResponseSchema,
  ticketsPath,
  type RoleMessage,
} from '../../src/protocol'
import { BoardRoom, type RoomConnection } from '../../src/server/board-room'
import { handleBoardRequest } from '../../src/server/board-routes'
import { initialBoard } from '../../src/server/initial-board'
import { mintBoardAuth } from '../../src/server/roles'
import { checkBoardFile } from '../../src/server/snapshot-http'
import { pushNewShape } from '../support/raw-socket'
import { MemoryStorage } from './memory-storage'
import { boardFile, origin, roomId } from './snapshot-fixtures'

// Exported at run time but marked internal in tldraw's published types.
const { getTlsyncProtocolVersion } = syncCore as unknown as { getTlsyncProtocolVersion(): number }

const connectFrame = JSON.stringify({
  type: 'connect',
  connectRequestId: 'unit',
  lastServerClock: 0,
  protocolVersion: getTlsyncProtocolVersion(),
  schema: createTLSchema().serialize(),
})
const pushFrame = (id: string, clientClock = 1) => JSON.stringify(pushNewShape(id, clientClock))

type Message = { type: string; [key: string]: unknown }

/** A socket as the room sees it, keeping what it was sent (batches unpacked) and how it closed. */
class FakeConnection implements RoomConnection {
  readonly received: Message[] = []
  closed: { code?: number; reason?: string } | null = null
  readyState = 1

  constructor(readonly id: string) {}

  send(data: string) {
    const message = JSON.parse(data) as Message
    this.received.push(...(message.type === 'data' ? (message.data as Message[]) : [message]))
  }

  /** Like a WebSocket's: closing a closed socket does nothing. */
  close(code?: number, reason?: string) {
    if (this.closed) return
    this.closed = { code, reason }
    this.readyState = 3
  }

  of(type: string): Message[] {
    return this.received.filter((m) => m.type === type)
  }
}

/** The in-memory storage, whose writes can be held back, or made to fail once. */
class TestStorage extends MemoryStorage {
  failNextPut = false
  private held: Promise<void> | null = null
  private releaseHeld = () => {}

  hold() {
    this.held = new Promise((resolve) => (this.releaseHeld = resolve))
  }

  release() {
    this.held = null
    this.releaseHeld()
  }

  override async put<T>(entries: Record<string, T>) {
    if (this.failNextPut) {
      this.failNextPut = false
      throw new Error('disk full (simulated)')
    }
    await this.held
    return super.put(entries)
  }
}

async function until(condition: () => unknown, what: string, ms = 5_000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** A created board, its room started from storage as after a restart, and a way to connect. */
async function board(title = 'Workshop') {
  const storage = new TestStorage()
  const connections: FakeConnection[] = []
  const env = {
    roomId,
    storage,
    connections: () => connections.filter((c) => c.readyState === 1),
    exclusive: <T>(task: () => Promise<T>) => task(),
  }
  const { auth, facilitatorSecret, participantKey } = await mintBoardAuth()
  await new BoardRoom(env).create(initialBoard(title, undefined, 'inst0001'), auth)
  const room = new BoardRoom(env)
  await room.start()

  let count = 0
  /** A socket ticket for the secret, through the board's HTTP route, as the app gets one. */
  const ticket = async (secret: string) => {
    const answer = await handleBoardRequest(
      new Request(`${origin}${ticketsPath(roomId)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}` },
      }),
      room,
    )
    return socketTicketResponseSchema.parse(await answer.json()).ticket
  }
  /** Opens a socket with this query; `await`ing `admitted` waits for the role. */
  const open = (query: Record<string, string>) => {
    const conn = new FakeConnection(`conn-${++count}`)
    connections.push(conn)
    const url = new URL(`${origin}${boardPath(roomId)}`)
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value)
    return { conn, admitted: room.connect(conn, url) }
  }
  /** A socket past tldraw's handshake: a participant, or who `secret` says (null: viewer). */
  const join = async (secret: string | null = participantKey) => {
    const { conn, admitted } = open(secret ? { t: await ticket(secret) } : {})
    await admitted
    room.message(connectFrame, conn)
    await until(() => conn.of('connect').length > 0, 'the connect answer')
    return conn
  }
  return { storage, room, env, open, join, ticket, facilitatorSecret, participantKey }
}

describe('BoardRoom', () => {
  it('acknowledges a push only once its write is on storage', async () => {
    const b = await board()
    const conn = await b.join()

    b.storage.hold()
    b.room.message(pushFrame('shape:one'), conn)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(conn.of('push_result')).toEqual([])
    expect(b.storage.data.has('rec:shape:one')).toBe(false)

    b.storage.release()
    await b.room.settled()
    await until(() => conn.of('push_result').length > 0, 'the push result')
    expect(conn.of('push_result')[0]).toMatchObject({ clientClock: 1, action: 'commit' })
    expect(b.storage.data.has('rec:shape:one')).toBe(true)
  })

  it('handles, in order, the frames a socket sends before its role is known', async () => {
    const b = await board()
    const { conn, admitted } = b.open({ t: await b.ticket(b.participantKey) })
    b.room.message(connectFrame, conn)
    b.room.message(pushFrame('shape:first', 1), conn)
    b.room.message(pushFrame('shape:second', 2), conn)
    expect(conn.received).toEqual([])

    await admitted
    await b.room.settled()
    await until(() => conn.of('push_result').length === 2, 'both push results')
    // (Past the handshake the server also says who is who: custom messages, not counted here.)
    expect(conn.received.map((m) => m.type).filter((t) => t !== 'custom')).toEqual([
      'connect',
      'push_result',
      'push_result',
    ])
    expect(conn.of('push_result').map((m) => [m.clientClock, m.action])).toEqual([
      [1, 'commit'],
      [2, 'commit'],
    ])
    expect(b.storage.data.has('rec:shape:first')).toBe(true)
    expect(b.storage.data.has('rec:shape:second')).toBe(true)
  })

  it('refuses a viewer’s push: nothing reaches the board or its storage', async () => {
    const b = await board()
    const viewer = await b.join(null)
    b.room.message(pushFrame('shape:viewer'), viewer)
    await b.room.settled()
    await until(() => viewer.of('push_result').length > 0, 'the push result')
    expect(viewer.of('push_result')[0].action).not.toBe('commit')
    expect(viewer.closed).toBeNull()
    expect(b.storage.data.has('rec:shape:viewer')).toBe(false)
    expect(b.room.backup()?.store).not.toHaveProperty('shape:viewer')
  })

  it('turns away sockets with a wrong key, on a board never created, or bad frames', async () => {
    const b = await board()
    const used = await b.ticket(b.participantKey)
    await b.open({ t: used }).admitted
    const refused: Record<string, string>[] = [
      // A ticket nobody issued, one already used, and one that is not a ticket at all.
      { t: 'A'.repeat(43) },
      { t: used },
      { t: 'hello' },
      // The right secret, but in the URL (where logs keep it): refused, not read.
      { k: b.participantKey },
      { f: b.facilitatorSecret },
      { t: await b.ticket(b.participantKey), k: b.participantKey },
    ]
    for (const query of refused) {
      const { conn: stranger, admitted } = b.open(query)
      await admitted
      expect(stranger.closed, JSON.stringify(query)).toEqual({
        code: SYNC_FATAL_CLOSE_CODE,
        reason: CLOSE_REASONS.forbidden,
      })
    }
    const wrongSecret = await handleBoardRequest(
      new Request(`${origin}${ticketsPath(roomId)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${'A'.repeat(43)}` },
      }),
      b.room,
    )
    expect(wrongSecret.status).toBe(403)

    const empty = new BoardRoom({ ...b.env, storage: new MemoryStorage() })
    await empty.start()
    const lost = new FakeConnection('lost')
    await empty.connect(lost, new URL(`${origin}${boardPath(roomId)}`))
    expect(lost.closed).toEqual({ code: SYNC_FATAL_CLOSE_CODE, reason: CLOSE_REASONS.notFound })

    const rude = await b.join()
    b.room.message('{"type":"push"}', rude)
    expect(rude.closed?.code).toBe(1008)
  })

  it('tells everyone each session’s role, as the server decided it, by presence id', async () => {
    const b = await board()
    const roles = (conn: FakeConnection) => conn.of('custom').map((m) => m.data as RoleMessage)
    const facilitator = await b.join(b.facilitatorSecret)
    const viewer = await b.join(null)
    const [mine] = roles(facilitator)
    expect(mine).toMatchObject({ type: 'roles', you: 'facilitator' })
    const [joined] = roles(facilitator).slice(1)
    expect(joined).toMatchObject({ type: 'role-joined', role: 'viewer' })
    const [seen] = roles(viewer)
    if (seen.type !== 'roles' || joined.type !== 'role-joined') throw new Error('wrong order')
    expect(seen.you).toBe('viewer')
    expect(Object.values(seen.roles).sort()).toEqual(['facilitator', 'viewer'])
    expect(seen.roles[joined.presenceId]).toBe('viewer')

    // tldraw removes a closed session (and its presence) after 5 s; its badge goes with it.
    b.room.disconnect(viewer)
    await until(() => roles(facilitator).length === 3, 'the viewer leaving', 8_000)
    expect(roles(facilitator)[2]).toEqual({ type: 'role-left', presenceId: joined.presenceId })
  }, 15_000)

  it('restores a board file: into storage first, then the diff to everyone', async () => {
    const b = await board('Blank')
    const conn = await b.join()
    const file = checkBoardFile(JSON.stringify(boardFile('Retro')))
    if ('error' in file) throw new Error('the fixture is not a board file')
    const shapes = Object.keys(boardFile().store).filter((id) => id.startsWith('shape:'))
    expect(shapes.length).toBeGreaterThan(0)

    b.storage.hold()
    let outcome: string | null = null
    const restoring = b.room.restore(file.json).then((result) => (outcome = result))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(outcome).toBeNull()
    expect(conn.of('patch')).toEqual([])

    b.storage.release()
    await restoring
    expect(outcome).toBe('restored')
    for (const id of shapes) expect(b.storage.data.has(`rec:${id}`), id).toBe(true)
    await until(() => conn.of('patch').length > 0, 'the diff')
    const puts = Object.keys((conn.of('patch')[0].diff ?? {}) as object)
    expect(puts).toEqual(expect.arrayContaining(shapes))
    expect(b.room.backup()?.store).toHaveProperty(['document:document', 'name'], 'Retro')
  })

  it('after a failed write, drops every socket and reloads the board from storage', async () => {
    const b = await board()
    const [writer, watcher] = [await b.join(), await b.join()]
    b.room.message(pushFrame('shape:kept', 1), writer)
    await b.room.settled()
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})

    b.storage.failNextPut = true
    b.room.message(pushFrame('shape:lost', 2), writer)
    await b.room.settled()
    for (const conn of [writer, watcher]) {
      expect(conn.closed).toEqual({ code: 1011, reason: 'storage write failed' })
    }
    expect(writer.of('push_result').map((m) => m.clientClock)).toEqual([1])
    expect(errors).toHaveBeenCalled()
    errors.mockRestore()

    await until(() => b.room.backup(), 'the board to reload')
    expect(b.room.backup()?.store).toHaveProperty('shape:kept')
    expect(b.room.backup()?.store).not.toHaveProperty('shape:lost')
    const again = await b.join()
    expect(again.closed).toBeNull()
  })
})

describe('BoardRoom over HTTP', () => {
  it('creates a board once, then answers its backup', async () => {
    const storage = new MemoryStorage()
    const env = {
      roomId,
      storage,
      connections: () => [],
      exclusive: <T>(task: () => Promise<T>) => task(),
    }
    const room = new BoardRoom(env)
    await room.start()
    const url = `${origin}${boardPath(roomId)}`
    expect((await handleBoardRequest(new Request(url), room)).status).toBe(404)

    const post = () =>
      handleBoardRequest(
        new Request(url, {
          method: 'POST',
          body: '{"templateId":"retro"}',
          headers: { 'Content-Type': 'application/json' },
        }),
        room,
      )
    const created = await post()
    expect(created.status).toBe(201)
    expect(createBoardResponseSchema.parse(await created.json())).toMatchObject({
      roomId,
      title: 'Retrospective',
    })
    expect((await post()).status).toBe(409)
    expect(storage.data.has('auth')).toBe(true)

    const backup = await handleBoardRequest(new Request(url), room)
    const store = ((await backup.json()) as { store: Record<string, { typeName: string }> }).store
    expect(Object.values(store).some((r) => r.typeName === 'shape')).toBe(true)

    // Started again from storage, the board is the one created.
    const restarted = new BoardRoom(env)
    await restarted.start()
    expect(Object.keys(restarted.backup()?.store ?? {}).sort()).toEqual(Object.keys(store).sort())
  })
})
