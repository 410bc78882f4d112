import { describe, expect, it, vi } from 'vitest'
import { InstancePresenceRecordType, type TLPageId, type TLUserId } from '@tldraw/tlschema'
import {
  CLOSE_REASONS,
  ROOM_LIMITS,
  SYNC_FATAL_CLOSE_CODE,
  TOO_FAST_CLOSE_CODE,
  boardPath,
  createBoardResponseSchema,
  ticketsPath,
  type RoleMessage,
} from '../../src/protocol'
import { BoardRoom, LOAD_ATTEMPTS, type RoomEnvironment } from '../../src/server/room/board-room'
import { handleBoardRequest, type RestoreOutcome } from '../../src/server/room/board-routes'
import { initialBoard } from '../../src/server/room/initial-board'
import { mintBoardAuth } from '../../src/server/rules/roles'
import { checkBoardFile } from '../../src/server/snapshots/snapshot-http'
import { SnapshotStore } from '../../src/server/snapshots/snapshot-store'
import { note, page } from '../support/raw-records'
import { pushNewShape } from '../support/raw-socket'
import { MemoryStorage } from './memory-storage'
import { FakeConnection, connectFrame, presenceSeen, roomTicket } from './room-fixtures'
import { boardFile, origin, roomId } from './snapshot-fixtures'

const pushFrame = (id: string, clientClock = 1) => JSON.stringify(pushNewShape(id, clientClock))

/** The in-memory storage, whose writes can be held back, or made to fail; it logs its writes. */
class TestStorage extends MemoryStorage {
  failNextPut = false
  /** Fails puts whose keys start with this, while set. */
  failPutsOf: string | null = null
  /** Lists (as a load does) that fail before one succeeds. */
  failingLists = 0
  readonly log: string[] = []
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
    const keys = Object.keys(entries)
    if (this.failNextPut || keys.some((k) => this.failPutsOf && k.startsWith(this.failPutsOf))) {
      this.failNextPut = false
      throw new Error('disk full (simulated)')
    }
    await this.held
    this.log.push(...keys.map((k) => `put ${k}`))
    return super.put(entries)
  }

  override async delete(keys: string[]) {
    this.log.push(...keys.map((k) => `delete ${k}`))
    return super.delete(keys)
  }

  override async list<T>(options: { prefix: string }) {
    if (this.failingLists > 0) {
      this.failingLists--
      throw new Error('storage unavailable (simulated)')
    }
    return super.list<T>(options)
  }
}

/** The board file a snapshot would hold: the retro template, checked as an upload is. */
function retroFile(): string {
  const file = checkBoardFile(JSON.stringify(boardFile('Retro')))
  if ('error' in file) throw new Error('the fixture is not a board file')
  return file.json
}

const shapeIdsOf = (store: object | undefined) =>
  Object.keys(store ?? {})
    .filter((id) => id.startsWith('shape:'))
    .sort()

async function until(condition: () => unknown, what: string, ms = 5_000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** A created board, its room started from storage as after a restart, and a way to connect. */
async function board(title = 'Workshop', limits: Partial<RoomEnvironment> = {}) {
  const storage = new TestStorage()
  const connections: FakeConnection[] = []
  const env = {
    roomId,
    storage,
    connections: () => connections.filter((c) => c.readyState === 1),
    exclusive: <T>(task: () => Promise<T>) => task(),
    ...limits,
  }
  const { auth, facilitatorSecret, participantKey } = await mintBoardAuth()
  await new BoardRoom(env).create(initialBoard(title, undefined, 'inst0001'), auth)
  const room = new BoardRoom(env)
  await room.start()

  let count = 0
  const ticket = (secret: string) => roomTicket(room, secret)
  /** Opens a socket with this query (and client address); `await`ing `admitted` waits for the role. */
  const open = (query: Record<string, string> = {}, address: string | null = null) => {
    const conn = new FakeConnection(`conn-${++count}`)
    connections.push(conn)
    const url = new URL(`${origin}${boardPath(roomId)}`)
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value)
    return { conn, admitted: room.connect(conn, url, address) }
  }
  /**
   * A socket past tldraw's handshake: a participant, or who `who` says: a secret, the secret in
   * `{ f }` or `{ k }`, or none (null or `{}`: a viewer).
   */
  const join = async (
    who: string | null | { f?: string; k?: string } = participantKey,
    address: string | null = null,
  ) => {
    const secret = who === null || typeof who === 'string' ? who : (who.f ?? who.k ?? null)
    const { conn, admitted } = open(secret ? { t: await ticket(secret) } : {}, address)
    await admitted
    // Turned away (the tests of limits look at why).
    if (conn.closed) return conn
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

  it('a socket whose send throws is closed alone; the writer of the push that reached it goes on', async () => {
    const b = await board()
    const writer = await b.join()
    const broken = await b.join()
    // As workerd under load: "another message send is already in progress".
    broken.send = () => {
      throw new Error('expected !currentlySending')
    }
    b.room.message(pushFrame('shape:one'), writer)
    await b.room.settled()
    await until(() => writer.of('push_result').length > 0, 'the push result')
    expect(writer.of('push_result')[0]).toMatchObject({ action: 'commit' })
    await until(() => broken.closed !== null, 'the broken socket closed')
    expect(broken.closed?.code).toBe(1011)
    expect(writer.closed).toBeNull()
    b.room.message(pushFrame('shape:two', 2), writer)
    await b.room.settled()
    await until(() => writer.of('push_result').length > 1, 'the next push result')
    expect(writer.of('push_result')[1]).toMatchObject({ action: 'commit' })
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
    // Past the handshake the server says who is who and sends the workshop's welcome and
    // state: custom messages, after the room's answer to connect, not counted here.
    expect(conn.received.map((m) => m.type).filter((t) => t !== 'custom')).toEqual([
      'connect',
      'push_result',
      'push_result',
    ])
    expect(conn.received[0].type).toBe('connect')
    expect(
      conn
        .of('custom')
        .map((m) => (m.data as { type: string }).type)
        .filter((t) => t === 'welcome' || t === 'state'),
    ).toEqual(['welcome', 'state'])
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
    const roles = (conn: FakeConnection) =>
      conn
        .of('custom')
        .map((m) => m.data as RoleMessage)
        .filter((m) => ['roles', 'role-joined', 'role-left'].includes(m.type))
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

  it('restores a board file: the safety copy, then the board, on storage, then the diff', async () => {
    const b = await board('Blank')
    const conn = await b.join()
    b.room.message(pushFrame('shape:mine'), conn)
    await b.room.settled()
    const shapes = Object.keys(boardFile().store).filter((id) => id.startsWith('shape:'))
    expect(shapes.length).toBeGreaterThan(0)

    b.storage.hold()
    let outcome: RestoreOutcome | null = null
    const restoring = b.room
      .restore(retroFile(), 'Before restoring “Retro”')
      .then((result) => (outcome = result))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(outcome).toBeNull()
    expect(conn.of('patch')).toEqual([])

    b.storage.log.length = 0
    b.storage.release()
    await restoring
    if (outcome!.kind !== 'restored') throw new Error(`restore: ${outcome!.kind}`)
    const before = (outcome as unknown as RestoreOutcome & { kind: 'restored' }).before
    expect(before).toMatchObject({ title: 'Before restoring “Retro”', width: null, height: null })
    for (const id of shapes) expect(b.storage.data.has(`rec:${id}`), id).toBe(true)
    // The copy is listed before the restored board is written: no crash can lose both.
    const copyListed = b.storage.log.indexOf(`put snap:${before!.id}`)
    const boardWritten = b.storage.log.indexOf(`put rec:${shapes[0]}`)
    expect(copyListed).toBeGreaterThanOrEqual(0)
    expect(copyListed).toBeLessThan(boardWritten)
    const copy = JSON.parse((await b.room.snapshots.readBoard(before!.id))!)
    expect(shapeIdsOf(copy.store)).toEqual(['shape:mine'])

    await until(() => conn.of('patch').length > 0, 'the diff')
    const puts = Object.keys((conn.of('patch')[0].diff ?? {}) as object)
    expect(puts).toEqual(expect.arrayContaining(shapes))
    expect(b.room.backup()?.store).toHaveProperty(['document:document', 'name'], 'Retro')

    // The copy undoes the restore, and that restore keeps the Retro board in turn.
    const undo = await b.room.restore(
      (await b.room.snapshots.readBoard(before!.id))!,
      'Before restoring “Before restoring “Retro””',
    )
    expect(undo).toMatchObject({ kind: 'restored', before: { width: null } })
    expect(shapeIdsOf(b.room.backup()?.store)).toEqual(['shape:mine'])
    expect(b.room.backup()?.store).toHaveProperty(['document:document', 'name'], 'Blank')
  })

  it('an edit acknowledged around a restore is on the restored board or in the safety copy', async () => {
    const b = await board()
    const [writer, watcher] = [await b.join(), await b.join()]
    b.room.message(pushFrame('shape:before', 1), writer)
    await b.room.settled()
    await until(() => writer.of('push_result').length === 1, 'the first answer')

    // The next push is committed but its write is held: not acknowledged yet when the restore
    // begins. Then the restore, and a push that arrives once the restore has replaced the board.
    b.storage.hold()
    b.room.message(pushFrame('shape:racing', 2), writer)
    const restoring = b.room.restore(retroFile(), 'Before restoring “Retro”')
    // Committed after the restore was asked for, before its step (it first reserves a place).
    b.room.message(pushFrame('shape:during', 3), writer)
    await until(() => !shapeIdsOf(b.room.backup()?.store).includes('shape:racing'), 'the step')
    b.room.message(pushFrame('shape:after', 4), writer)
    expect(writer.of('push_result')).toHaveLength(1)
    b.storage.release()

    const outcome = await restoring
    if (outcome.kind !== 'restored' || !outcome.before) throw new Error('no safety copy')
    await b.room.settled()
    await until(() => writer.of('push_result').length === 4, 'every answer')
    expect(writer.of('push_result').map((m) => [m.clientClock, m.action])).toEqual([
      [1, 'commit'],
      [2, 'commit'],
      [3, 'commit'],
      [4, 'commit'],
    ])
    const copy = JSON.parse((await b.room.snapshots.readBoard(outcome.before.id))!).store
    const onBoard = b.room.backup()?.store
    expect(shapeIdsOf(copy)).toEqual(['shape:before', 'shape:during', 'shape:racing'])
    expect(shapeIdsOf(onBoard)).toContain('shape:after')
    expect(shapeIdsOf(onBoard)).not.toContain('shape:racing')
    // Every acknowledged edit is in one or the other, on storage too (a restarted board).
    const restarted = new BoardRoom(b.env)
    await restarted.start()
    for (const id of ['shape:before', 'shape:racing', 'shape:during', 'shape:after']) {
      expect(id in copy || id in (restarted.backup()?.store ?? {}), id).toBe(true)
    }
    // The watcher saw the racing sticky come, then go with the restore, then the late one.
    await until(() => watcher.of('patch').length >= 3, 'the watcher’s patches')
  })

  it('keeps no copy of a board without shapes, and refuses a restore when the list is full', async () => {
    const b = await board('Blank')
    const empty = await b.room.restore(retroFile(), 'Before restoring “Retro”')
    expect(empty).toEqual({ kind: 'restored', before: null })
    expect(await b.room.snapshots.list()).toEqual([])

    const full = new BoardRoom(b.env)
    Object.defineProperty(full, 'snapshots', {
      value: new SnapshotStore(b.storage, 1),
    })
    await full.start()
    await full.snapshots.add({ board: retroFile(), image: null })
    const refused = await full.restore(retroFile(), 'Before restoring “Retro”')
    expect(refused).toEqual({ kind: 'full', limit: 1 })
  })

  it('a safety copy that cannot be written fails the restore; the board is as it was', async () => {
    const b = await board()
    const conn = await b.join()
    b.room.message(pushFrame('shape:kept'), conn)
    await b.room.settled()
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    b.storage.failPutsOf = 'snap-piece:'
    const outcome = await b.room.restore(retroFile(), 'Before restoring “Retro”')
    b.storage.failPutsOf = null
    expect(outcome).toEqual({ kind: 'failed' })
    expect(errors.mock.calls.map((c) => String(c[0])).sort()).toEqual([
      'board storage write failed; reloading the board',
      'restoring a snapshot failed',
    ])
    errors.mockRestore()
    // Answered once the board is back as it was, reloaded from storage.
    expect(shapeIdsOf(b.room.backup()?.store)).toEqual(['shape:kept'])
    expect(await b.room.snapshots.list()).toEqual([])
    const restarted = new BoardRoom(b.env)
    await restarted.start()
    expect(shapeIdsOf(restarted.backup()?.store)).toEqual(['shape:kept'])
  })

  it('a load that fails is tried again; one that keeps failing leaves the board openable', async () => {
    const b = await board()
    b.storage.failingLists = 2
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const retried = new BoardRoom(b.env)
    await retried.start()
    expect(retried.backup()).not.toBeNull()
    expect(errors).not.toHaveBeenCalled()

    b.storage.failingLists = Infinity
    const failing = new BoardRoom(b.env)
    await failing.start()
    expect(failing.backup()).toBeNull()
    expect(errors).toHaveBeenCalledOnce()
    expect(String(errors.mock.calls[0][0])).toMatch(
      new RegExp(`could not be loaded \\(${LOAD_ATTEMPTS} tries\\)`),
    )
    errors.mockRestore()
    const early = new FakeConnection('early')
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
    await failing.connect(early, new URL(`${origin}${boardPath(roomId)}`))
    expect(early.closed).toEqual({ code: 1013, reason: 'The board is reloading; try again.' })
    quiet.mockRestore()

    // Storage is back: the next connection opens the board rather than finding it shut.
    b.storage.failingLists = 0
    const later = new FakeConnection('later')
    await failing.connect(later, new URL(`${origin}${boardPath(roomId)}`))
    expect(later.closed).toBeNull()
    expect(failing.backup()).not.toBeNull()
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

  it('after a failed write whose reload fails too, a socket waits for the retry and gets in', async () => {
    const b = await board()
    const writer = await b.join()
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    b.storage.failNextPut = true
    b.storage.failingLists = 1
    b.room.message(pushFrame('shape:lost'), writer)
    await b.room.settled()
    expect(writer.closed?.code).toBe(1011)
    // The reload is failing and waiting to retry: this socket waits for it, not a 1013.
    const again = await b.join()
    expect(again.closed).toBeNull()
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([
      'board storage write failed; reloading the board',
    ])
    errors.mockRestore()
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

/** A presence push as tldraw's client sends it: the whole record first, patches after. */
function presencePush(clientClock: number, x: number, name = 'Ada') {
  const record = InstancePresenceRecordType.create({
    id: InstancePresenceRecordType.createId('raw'),
    userId: 'user:ada' as TLUserId,
    userName: name,
    currentPageId: 'page:page' as TLPageId,
    cursor: { x, y: 0, type: 'default', rotation: 0 },
  })
  return JSON.stringify({ type: 'push', clientClock, presence: ['put', record] })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('BoardRoom limits', () => {
  it('takes so many sockets, keeps the last places for viewers, and frees a place on leaving', async () => {
    const b = await board('Full', {
      connectionLimits: { maxEditors: 2, maxViewers: 2, maxConnectionsPerAddress: 0 },
    })
    const editors = [await b.join(), await b.join()]
    const late = await b.join()
    expect(late.closed).toEqual({
      code: SYNC_FATAL_CLOSE_CODE,
      reason: CLOSE_REASONS.boardFullForEditors,
    })
    const viewers = [await b.join({}), await b.join({})]
    for (const conn of [...editors, ...viewers]) expect(conn.closed).toBeNull()
    const extra = await b.join({})
    expect(extra.closed).toEqual({ code: SYNC_FATAL_CLOSE_CODE, reason: CLOSE_REASONS.boardFull })
    expect(b.room.connectionCount).toBe(4)

    viewers[0].close()
    b.room.disconnect(viewers[0])
    expect((await b.join({})).closed).toBeNull()
    editors[0].close()
    b.room.disconnect(editors[0])
    expect((await b.join()).closed).toBeNull()
  })

  it('takes so many sockets from one client address', async () => {
    const b = await board('Office', {
      connectionLimits: { maxEditors: 80, maxViewers: 20, maxConnectionsPerAddress: 2 },
    })
    const a = [await b.join({}, '10.0.0.1'), await b.join(undefined, '10.0.0.1')]
    const third = await b.join({}, '10.0.0.1')
    expect(third.closed).toEqual({
      code: SYNC_FATAL_CLOSE_CODE,
      reason: CLOSE_REASONS.tooManyFromAddress,
    })
    expect((await b.join({}, '10.0.0.2')).closed).toBeNull()
    expect((await b.join({})).closed).toBeNull()
    a[0].close()
    b.room.disconnect(a[0])
    expect((await b.join({}, '10.0.0.1')).closed).toBeNull()
  })

  it('slows a flooding socket, then closes it alone; edits carry on', async () => {
    const b = await board()
    const [writer, flooder] = [await b.join(), await b.join({})]
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    for (let i = 0; i < 300; i++) b.room.message('{"type":"ping"}', flooder)
    expect(flooder.closed?.code).toBe(TOO_FAST_CLOSE_CODE)
    expect(warn).toHaveBeenCalledTimes(1)
    warn.mockRestore()
    b.room.message(pushFrame('shape:still'), writer)
    await b.room.settled()
    await until(() => writer.of('push_result').length > 0, 'the push result')
    expect(writer.of('push_result')[0].action).toBe('commit')
    expect(writer.closed).toBeNull()
    expect(b.room.connectionCount).toBe(1)
  })

  it('forwards presence at most presencePerSecond, the latest always arriving', async () => {
    const b = await board()
    const [mover, watcher] = [await b.join(), await b.join()]
    // Names change (slow presence); cursors go by the lane, never through the room.
    for (let i = 1; i <= 50; i++) b.room.message(presencePush(i, i, `Ada ${i}`), mover)
    await sleep(1000 / ROOM_LIMITS.presencePerSecond + 50)
    await b.room.settled()
    await until(() => mover.of('push_result').length === 50, 'an answer to every push')
    const seen = presenceSeen(watcher)
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.length).toBeLessThanOrEqual(2)
    expect(seen.at(-1)).toMatchObject({ userName: 'Ada 50', cursor: null })
  })

  it('shows a viewer in the people list, without their cursor', async () => {
    const b = await board()
    const [viewer, watcher] = [await b.join({}), await b.join()]
    b.room.message(presencePush(1, 123, 'Watcher'), viewer)
    await sleep(20)
    for (let i = 2; i < 20; i++) b.room.message(presencePush(i, 123 + i, 'Watcher'), viewer)
    await sleep(1100)
    await b.room.settled()
    const seen = presenceSeen(watcher)
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ userName: 'Watcher', cursor: null, selectedShapeIds: [] })
    expect(viewer.of('push_result')).toHaveLength(19)
  })

  it('caps unfinished chunked messages for a viewer, and for the whole room', async () => {
    const b = await board()
    const viewer = await b.join({})
    const piece = 'x'.repeat(200 * 1024)
    b.room.message(`3_${piece}`, viewer)
    b.room.message(`2_${piece}`, viewer)
    expect(viewer.closed?.code).toBe(1009)

    const mib = 'y'.repeat(1024 * 1024 - 8)
    const hoard = async () => {
      const conn = await b.join()
      for (let i = 0; i < 15 && !conn.closed; i++) b.room.message(`${15 - i}_${mib}`, conn)
      await sleep(0)
      return conn
    }
    const [first, second, third] = [await hoard(), await hoard(), await hoard()]
    expect(first.closed).toBeNull()
    expect(second.closed).toBeNull()
    expect(third.closed?.code).toBe(1009)
    // Given back when they close: a newcomer may hold as much again.
    for (const conn of [first, second]) {
      conn.close()
      b.room.disconnect(conn)
    }
    const [fourth, fifth] = [await hoard(), await hoard()]
    expect(fourth.closed).toBeNull()
    expect(fifth.closed).toBeNull()
  })

  it('caps what a socket sends before its role is known by bytes', async () => {
    const b = await board()
    const { conn } = b.open()
    b.room.message('x'.repeat(ROOM_LIMITS.maxEarlyBytes + 1), conn)
    expect(conn.closed?.code).toBe(1008)
    // Nothing is set up for it once its role is known.
    await sleep(20)
    expect(b.room.connectionCount).toBe(0)
  })

  it('refuses an edit that would take the board past its size, telling the writer', async () => {
    const b = await board('Small', { sizeLimits: { maxRecords: 1000, maxBoardBytes: 2 ** 30 } })
    const [writer, watcher] = [await b.join(), await b.join()]
    const records = Object.keys(b.room.backup()?.store ?? {}).length
    const many = JSON.parse(pushFrame('shape:x0')) as { diff: Record<string, unknown[]> }
    const template = many.diff['shape:x0']
    for (let i = 1; i <= 1000 - records; i++) {
      const id = `shape:x${i}`
      many.diff[id] = ['put', { ...(template[1] as object), id }]
    }
    b.room.message(JSON.stringify(many), writer)
    await b.room.settled()
    await until(() => writer.of('push_result').length === 1, 'the refusal')
    expect(writer.of('push_result')[0].action).toBe('discard')
    const notices = writer.of('custom').filter((m) => (m.data as { kind?: string }).kind)
    expect(notices[0]).toMatchObject({
      data: { kind: 'board-limit', message: expect.stringContaining('1,000') },
    })
    expect(b.storage.data.has('rec:shape:x1')).toBe(false)
    expect(watcher.of('patch').some((p) => 'shape:x1' in (p.diff as object))).toBe(false)

    // One record fewer fits, and deleting is always allowed.
    delete many.diff['shape:x0']
    b.room.message(JSON.stringify({ ...many, clientClock: 2 }), writer)
    await b.room.settled()
    await until(() => writer.of('push_result').length === 2, 'the commit')
    expect(writer.of('push_result')[1].action).toBe('commit')
    b.room.message(pushFrame('shape:one-more', 3), writer)
    b.room.message(
      JSON.stringify({ type: 'push', clientClock: 4, diff: { 'shape:x1': ['remove'] } }),
      writer,
    )
    await b.room.settled()
    await until(() => writer.of('push_result').length === 4, 'both answers')
    expect(
      writer
        .of('push_result')
        .map((r) => r.action)
        .slice(2),
    ).toEqual(['discard', 'commit'])
  })

  it('logs one line for a refused push and one for a record the schema rejects, no stack', async () => {
    const b = await board()
    const writer = await b.join()
    // Whatever the room logs, through either channel, in the order it logged it.
    const logged: string[] = []
    const record = (...args: unknown[]) => void logged.push(args.map(String).join(' '))
    const warn = vi.spyOn(console, 'warn').mockImplementation(record)
    const error = vi.spyOn(console, 'error').mockImplementation(record)
    const lines = () => logged
    try {
      // A page is the facilitator's: the participant's rename is discarded, the socket stays.
      const rename = { 'page:page': ['put', page('page:page', 'Mine now')] }
      b.room.message(JSON.stringify({ type: 'push', clientClock: 1, diff: rename }), writer)
      await b.room.settled()
      await until(() => writer.of('push_result').length === 1, 'the refusal')
      expect(writer.of('push_result')[0].action).toBe('discard')
      expect(writer.closed).toBeNull()
      expect(lines()).toHaveLength(1)
      expect(lines()[0]).toMatch(/^\[board \S+\] refused: .*page:page/)

      // A colour tldraw's schema does not know: the socket is closed, and one line says why.
      const bad = { ...note('shape:bad'), props: { ...note('shape:bad').props, color: 'plaid' } }
      const push = { type: 'push', clientClock: 2, diff: { 'shape:bad': ['put', bad] } }
      b.room.message(JSON.stringify(push), writer)
      await b.room.settled()
      await until(() => writer.closed !== null, 'the socket closed')
      b.room.disconnect(writer)
      await sleep(20)
      expect(lines()).toHaveLength(2)
      expect(lines()[1]).toMatch(
        /^\[board \S+\] refused: closed conn-\d+: a record tldraw's schema rejects$/,
      )
      for (const line of lines()) expect(line).not.toMatch(/\n|\bat \S+ \(/)
      expect(b.storage.data.has('rec:shape:bad')).toBe(false)
    } finally {
      warn.mockRestore()
      error.mockRestore()
    }
  })

  it('keeps nothing of sockets that left', async () => {
    const b = await board()
    const conns = await Promise.all(Array.from({ length: 20 }, () => b.join({})))
    for (const conn of conns) b.room.message(presencePush(1, 1), conn)
    expect(b.room.connectionCount).toBe(20)
    for (const conn of conns) {
      conn.close()
      b.room.disconnect(conn)
    }
    expect(b.room.connectionCount).toBe(0)
    expect(b.room.heldSockets()).toEqual({
      sessions: 0,
      early: 0,
      unfinishedBytes: 0,
      cursorEntries: 0,
    })
  })
})
