/**
 * A hibernating board's wake, without PartyKit: the Durable Object is evicted while its sockets
 * stay open, and a new `BoardRoom` over the same storage is handed those sockets with the state
 * the old one kept with them (`FakeConnection.state`, cloned like Cloudflare's attachment).
 */
import { describe, expect, it } from 'vitest'
import {
  CLOSE_REASONS,
  ROOM_LIMITS,
  SYNC_FATAL_CLOSE_CODE,
  boardPath,
  type RoleMessage,
} from '../../src/protocol'
import { BoardRoom, type RoomEnvironment } from '../../src/server/room/board-room'
import { initialBoard } from '../../src/server/room/initial-board'
import { readSocketState, socketState } from '../../src/server/room/socket-state'
import { mintBoardAuth } from '../../src/server/rules/roles'
import { tldrawSchema } from '../../src/server/core/tldraw-internals'
import { pushNewShape } from '../support/raw-socket'
import { MemoryStorage } from './memory-storage'
import { FakeConnection, connectFrame, roomTicket, type Message } from './room-fixtures'
import { origin, roomId } from './snapshot-fixtures'

const pushFrame = (id: string, clientClock: number) => JSON.stringify(pushNewShape(id, clientClock))

async function until(condition: () => unknown, what: string, ms = 5_000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const customOf = (conn: FakeConnection, type: string) =>
  conn
    .of('custom')
    .map((m) => m.data as { type: string; [key: string]: unknown })
    .filter((m) => m.type === type)

const shapeIn = (messages: Message[], id: string) => JSON.stringify(messages).includes(id)

/** A board, a room over its storage, sockets to join it, and a wake: a new room, same sockets. */
async function board(limits: Partial<RoomEnvironment> = {}) {
  const storage = new MemoryStorage()
  const connections: FakeConnection[] = []
  const env = {
    roomId,
    storage,
    connections: () => connections.filter((c) => c.readyState === 1),
    exclusive: <T>(task: () => Promise<T>) => task(),
    ...limits,
  }
  const { auth, facilitatorSecret, participantKey } = await mintBoardAuth()
  await new BoardRoom(env).create(initialBoard('Wake', undefined, 'inst0001'), auth)
  let room = new BoardRoom(env)
  await room.start()
  let count = 0
  const join = async (secret: string | null, address: string | null = null) => {
    const conn = new FakeConnection(`conn-${++count}`)
    connections.push(conn)
    const url = new URL(`${origin}${boardPath(roomId)}`)
    if (secret) url.searchParams.set('t', await roomTicket(room, secret))
    await room.connect(conn, url, address)
    if (conn.closed) return conn
    room.message(connectFrame, conn)
    await until(() => conn.of('connect').length > 0, 'the connect answer')
    return conn
  }
  /** The Durable Object evicted and woken: a new room; the sockets as they are. */
  const wake = async (listed: (c: FakeConnection) => boolean = () => true) => {
    await room.settled()
    for (const conn of connections) conn.received.length = 0
    room = new BoardRoom({
      ...env,
      connections: () => connections.filter((c) => c.readyState === 1 && listed(c)),
    })
    await room.start()
    return room
  }
  return {
    storage,
    get room() {
      return room
    },
    join,
    wake,
    facilitatorSecret,
    participantKey,
  }
}

describe('BoardRoom after a wake from hibernation', () => {
  it('resumes every session with its role; edits flow on; nothing acknowledged is lost', async () => {
    const b = await board()
    const facilitator = await b.join(b.facilitatorSecret)
    const participant = await b.join(b.participantKey)
    const viewer = await b.join(null)
    b.room.message(pushFrame('shape:before', 1), participant)
    await until(() => participant.of('push_result').length === 1, 'the first push result')
    expect(participant.of('push_result')[0]).toMatchObject({ action: 'commit' })
    const presenceIds = [facilitator, participant, viewer].map(
      (c) => readSocketState(c.state)?.session?.presenceId,
    )
    expect(presenceIds.every(Boolean)).toBe(true)

    const room = await b.wake()
    expect(room.heldSockets().sessions).toBe(3)
    expect(room.connectionCount).toBe(3)
    for (const conn of [facilitator, participant, viewer]) expect(conn.closed).toBeNull()
    // Each is told its role again (the server's, by the same presence id) and a new token.
    const you = (c: FakeConnection) => customOf(c, 'roles')[0] as RoleMessage | undefined
    expect(
      [facilitator, participant, viewer].map((c) => you(c)?.type === 'roles' && you(c)),
    ).toEqual([
      expect.objectContaining({ you: 'facilitator' }),
      expect.objectContaining({ you: 'participant' }),
      expect.objectContaining({ you: 'viewer' }),
    ])
    for (const conn of [facilitator, participant, viewer]) {
      expect(customOf(conn, 'welcome')).toHaveLength(1)
    }
    expect(room.backup()?.store).toHaveProperty('shape:before')

    // The participant's client never knew: its next push, on its own clock, is committed and
    // reaches the others; the viewer still writes nothing.
    room.message(pushFrame('shape:after', 2), participant)
    await until(() => participant.of('push_result').length === 1, 'the push result after')
    expect(participant.of('push_result')[0]).toMatchObject({ clientClock: 2, action: 'commit' })
    await until(() => shapeIn(viewer.of('patch'), 'shape:after'), 'the patch to the viewer')
    await until(
      () => shapeIn(facilitator.of('patch'), 'shape:after'),
      'the patch to the facilitator',
    )
    room.message(pushFrame('shape:viewer', 1), viewer)
    await until(() => viewer.of('push_result').length === 1, 'the viewer’s push result')
    expect(viewer.of('push_result')[0].action).not.toBe('commit')
    await room.settled()
    expect(b.storage.data.has('rec:shape:before')).toBe(true)
    expect(b.storage.data.has('rec:shape:after')).toBe(true)
    expect(b.storage.data.has('rec:shape:viewer')).toBe(false)

    // The per-socket limits are made anew: a flood still closes its socket alone.
    for (let i = 0; i < 300; i++) room.message('{"type":"ping"}', viewer)
    await until(() => viewer.closed !== null, 'the flooder closed')
    expect(participant.closed).toBeNull()
    // ... and what a closed socket kept goes, so no later wake brings it back.
    expect(viewer.state).toBeNull()
  })

  it('a frame from a socket the wake did not list resumes it first, and is handled', async () => {
    const b = await board()
    const participant = await b.join(b.participantKey)
    const room = await b.wake(() => false)
    expect(room.heldSockets().sessions).toBe(0)
    room.message(pushFrame('shape:late', 1), participant)
    await until(() => participant.of('push_result').length === 1, 'the push result')
    expect(participant.of('push_result')[0]).toMatchObject({ action: 'commit' })
    expect(room.connectionCount).toBe(1)
  })

  it('a participant cannot gain a role: only the server writes the state, and a bad one is not resumed', async () => {
    const b = await board()
    const viewer = await b.join(null)
    const writes: unknown[] = []
    const setState = viewer.setState.bind(viewer)
    viewer.setState = (state: unknown) => {
      writes.push(structuredClone(state))
      return setState(state)
    }
    // What a client can send: frames shaped like a state, a push of one, presence naming one.
    const forged = { v: 1, role: 'facilitator', personId: null, author: null, address: null }
    b.room.message(JSON.stringify(forged), viewer)
    const viewer2 = await b.join(null)
    b.room.message(JSON.stringify({ ...pushNewShape('shape:x', 1), state: forged }), viewer2)
    await until(() => viewer2.of('push_result').length === 1, 'the push result')
    // The first frame is no sync message: that socket is closed, and keeps nothing.
    expect(viewer.closed).not.toBeNull()
    expect(writes).toEqual([null])
    expect(readSocketState(viewer2.state)).toMatchObject({ role: 'viewer' })

    // A state the server did not write (another shape, an unknown role, a snapshot saying it may
    // edit) is not resumed: the socket is closed, not fatally, and connects afresh as itself.
    const kept = readSocketState(viewer2.state)!
    const tampered = [
      { ...kept, role: 'admin' },
      { ...kept, session: { ...kept.session, isReadonly: false } },
      { ...kept, v: 2 },
      'facilitator',
    ]
    for (const state of tampered) {
      const conn = await b.join(null)
      conn.state = state
      const room = await b.wake((c) => c === conn)
      expect(conn.closed).toEqual({ code: 1012, reason: 'The board restarted; reconnecting.' })
      expect(room.connectionCount).toBe(0)
    }
  })

  it('a viewer’s kept tldraw session cannot make it an editor: the role decides', async () => {
    const b = await board()
    const viewer = await b.join(null)
    // Even were a snapshot to say otherwise, isReadonly is not kept: it comes from the role.
    expect(JSON.stringify(viewer.state)).not.toContain('isReadonly')
    const room = await b.wake()
    room.message(pushFrame('shape:viewer', 1), viewer)
    await until(() => viewer.of('push_result').length === 1, 'the push result')
    expect(viewer.of('push_result')[0].action).not.toBe('commit')
    expect(room.backup()?.store).not.toHaveProperty('shape:viewer')
  })

  it('a socket whose session was not kept is closed, not fatally, and its client reconnects', async () => {
    const b = await board()
    const participant = await b.join(b.participantKey)
    participant.state = { ...readSocketState(participant.state)!, session: null }
    await b.wake()
    expect(participant.closed).toEqual({ code: 1012, reason: 'The board restarted; reconnecting.' })
  })

  it('resumed sockets keep their places: the caps count them', async () => {
    const b = await board({
      connectionLimits: { maxEditors: 2, maxViewers: 1, maxConnectionsPerAddress: 2 },
    })
    await b.join(b.participantKey, '10.0.0.1')
    await b.join(b.participantKey, '10.0.0.1')
    await b.join(null)
    const room = await b.wake()
    expect(room.connectionCount).toBe(3)
    expect((await b.join(b.participantKey)).closed).toEqual({
      code: SYNC_FATAL_CLOSE_CODE,
      reason: CLOSE_REASONS.boardFull,
    })
    expect((await b.join(null, '10.0.0.1')).closed).toEqual({
      code: SYNC_FATAL_CLOSE_CODE,
      reason: CLOSE_REASONS.tooManyFromAddress,
    })
  })
})

describe('socketState', () => {
  const who = {
    role: 'participant' as const,
    personId: null,
    author: 'a'.repeat(43),
    address: null,
  }
  const snapshot = {
    serializedSchema: tldrawSchema.serialize(),
    isReadonly: false,
    objectAccess: 'write' as const,
    presenceId: 'instance_presence:abc',
    presenceRecord: { id: 'instance_presence:abc', typeName: 'instance_presence', userName: 'A' },
    requiresLegacyRejection: false,
    supportsStringAppend: true,
  }
  const serverSchema = JSON.stringify(tldrawSchema.serialize())

  it('keeps the server’s own schema as a word, and stays within its budget', () => {
    const state = socketState(who, snapshot as never, serverSchema)
    expect(state.session).toMatchObject({ schema: 'server', presenceId: 'instance_presence:abc' })
    expect(JSON.stringify(state).length).toBeLessThanOrEqual(ROOM_LIMITS.maxSocketStateBytes)
    expect(readSocketState(structuredClone(state))).toEqual(state)
  })

  it('over budget, leaves out the presence record, then the session', () => {
    const big = { ...snapshot.presenceRecord, userName: 'x'.repeat(2000) }
    const slim = socketState(who, { ...snapshot, presenceRecord: big } as never, serverSchema)
    expect(slim.session).toMatchObject({
      presenceRecord: null,
      presenceId: 'instance_presence:abc',
    })
    const otherSchema = { schemaVersion: 2, sequences: { big: 'y'.repeat(2000) } }
    const bare = socketState(
      who,
      { ...snapshot, serializedSchema: otherSchema } as never,
      serverSchema,
    )
    expect(bare.session).toBeNull()
    expect(bare.role).toBe('participant')
  })
})
