/**
 * The cursor lane and crowd mode, driven through a `BoardRoom` with fake sockets: the latest
 * position kept, nothing sent while idle or alone, one entry per socket, a full snapshot for
 * newcomers, `gone` on leaving, an old client's presence feeding the lane (and the room's
 * presence never holding a cursor), and whose cursors each mode lets through.
 */
import { describe, expect, it } from 'vitest'
import { InstancePresenceRecordType, type TLPageId, type TLUserId } from '@tldraw/tlschema'
import {
  BAD_FRAME_CLOSE_CODE,
  CURSOR_TICK_MS,
  CURSOR_TYPES,
  boardPath,
  type CursorsTick,
} from '../../src/protocol'
import { TL_CURSOR_TYPES } from '@tldraw/tlschema'
import { BoardRoom, type RoomEnvironment } from '../../src/server/room/board-room'
import { initialBoard } from '../../src/server/room/initial-board'
import { mintBoardAuth } from '../../src/server/rules/roles'
import { MemoryStorage } from './memory-storage'
import { FakeConnection, connectFrame, presenceSeen, roomTicket } from './room-fixtures'
import { origin, roomId } from './snapshot-fixtures'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(condition: () => unknown, what: string, ms = 5_000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}

async function board(env: Partial<RoomEnvironment> = {}) {
  const connections: FakeConnection[] = []
  const full: RoomEnvironment = {
    roomId,
    storage: new MemoryStorage(),
    connections: () => connections.filter((c) => c.readyState === 1),
    exclusive: (task) => task(),
    ...env,
  }
  const { auth, facilitatorSecret, participantKey } = await mintBoardAuth()
  await new BoardRoom(full).create(initialBoard('Lane', undefined, 'inst0001'), auth)
  const room = new BoardRoom(full)
  await room.start()
  let count = 0
  /** A socket past tldraw's handshake (the participant's by default). */
  const join = async (secret: string | null = participantKey) => {
    const conn = new FakeConnection(`conn-${++count}`)
    connections.push(conn)
    const url = new URL(`${origin}${boardPath(roomId)}`)
    if (secret) url.searchParams.set('t', await roomTicket(room, secret))
    await room.connect(conn, url)
    room.message(connectFrame, conn)
    await until(() => conn.of('connect').length > 0, 'the connect answer')
    return conn
  }
  const leave = (conn: FakeConnection) => {
    conn.close()
    room.disconnect(conn)
  }
  return { room, env: full, join, leave, facilitatorSecret, participantKey }
}

/** The lane's ticks a socket got. */
function ticks(conn: FakeConnection): CursorsTick[] {
  return conn
    .of('custom')
    .map((m) => m.data as { type: string })
    .filter((d): d is CursorsTick => d.type === 'cursors')
}

/** The presence ids of sessions that joined after `conn` (the role roster tells them). */
function laterIds(conn: FakeConnection): string[] {
  return conn
    .of('custom')
    .map((m) => m.data as { type: string; presenceId?: string })
    .filter((d) => d.type === 'role-joined')
    .map((d) => d.presenceId!)
}

/** What `conn` holds of each entry after applying its ticks, as a client does. */
function entries(conn: FakeConnection) {
  const held = new Map<string, CursorsTick['moved'][number]>()
  for (const tick of ticks(conn)) {
    if (tick.full) held.clear()
    for (const entry of tick.moved) held.set(entry[0], entry)
    for (const id of tick.gone) held.delete(id)
  }
  return held
}

const cursorFrame = (x: number, y = 0, camera = { x: 0, y: 0, z: 1 }) =>
  JSON.stringify({
    type: 'cursor',
    cursor: { x, y, type: 'default', rotation: 0 },
    camera,
    screenBounds: { x: 0, y: 0, w: 1280, h: 720 },
  })

/** A presence push as vanilla tldraw's client sends it, cursor and all. */
function presencePush(clientClock: number, x: number, name = 'Ada') {
  const record = InstancePresenceRecordType.create({
    id: InstancePresenceRecordType.createId('raw'),
    userId: 'user:ada' as TLUserId,
    userName: name,
    currentPageId: 'page:page' as TLPageId,
    cursor: { x, y: 5, type: 'pointer', rotation: 0 },
    camera: { x: 1, y: 2, z: 1 },
    screenBounds: { x: 0, y: 0, w: 800, h: 600 },
    lastActivityTimestamp: 1000 + x,
  })
  return JSON.stringify({ type: 'push', clientClock, presence: ['put', record] })
}

const HIGH_RATE_NULLS = {
  cursor: null,
  camera: null,
  screenBounds: null,
  lastActivityTimestamp: null,
}

/** The session's workshop token (from its welcome), to act with. */
function tokenOf(conn: FakeConnection): string {
  const welcome = conn
    .of('custom')
    .map((m) => m.data as { type: string; token?: string })
    .find((d) => d.type === 'welcome')
  return welcome!.token!
}

/** Waits until the lane has nothing left to send. */
async function drained(room: BoardRoom) {
  await until(() => !room.cursorTickPending, 'the lane to drain')
}

describe('the cursor lane', () => {
  it('knows tldraw’s cursor types', () => {
    expect([...CURSOR_TYPES].sort()).toEqual([...TL_CURSOR_TYPES].sort())
  })

  it('delivers the latest position, coalesced into a few ticks', async () => {
    const b = await board()
    const watcher = await b.join()
    const mover = await b.join()
    const [moverId] = laterIds(watcher)
    for (let i = 1; i <= 40; i++) b.room.message(cursorFrame(i, i * 2), mover)
    await drained(b.room)
    await until(() => entries(watcher).get(moverId)?.[1]?.[0] === 40, 'the last position')
    expect(entries(watcher).get(moverId)).toEqual([
      moverId,
      [40, 80, 'default', 0],
      [0, 0, 1, 0, 0, 1280, 720],
    ])
    // 40 moves in one go are one or two ticks, not 40 messages.
    expect(ticks(watcher).length).toBeLessThanOrEqual(3)
    // Lane frames never reach the room: the mover's pushes got no answers, it is still open.
    expect(mover.of('push_result')).toHaveLength(0)
    expect(mover.closed).toBeNull()
  })

  it('costs nothing while idle, and sends a person alone nothing', async () => {
    const b = await board()
    const alone = await b.join()
    for (let i = 1; i <= 10; i++) b.room.message(cursorFrame(i), alone)
    await drained(b.room)
    await sleep(CURSOR_TICK_MS * 3)
    expect(ticks(alone)).toHaveLength(0)
    const watcher = await b.join()
    b.room.message(cursorFrame(11), alone)
    await until(() => ticks(watcher).length > 0, 'a tick')
    await drained(b.room)
    const [sentAlone, sentWatcher] = [ticks(alone).length, ticks(watcher).length]
    // The same position again is no change; then nothing moves and no timer runs.
    b.room.message(cursorFrame(11), alone)
    expect(b.room.cursorTickPending).toBe(false)
    await sleep(CURSOR_TICK_MS * 4)
    expect(b.room.cursorTickPending).toBe(false)
    expect([ticks(alone).length, ticks(watcher).length]).toEqual([sentAlone, sentWatcher])
  })

  it('keeps one entry per socket, whatever it sends', async () => {
    const b = await board()
    const watcher = await b.join()
    const movers = [await b.join(), await b.join(), await b.join()]
    for (let round = 0; round < 5; round++) {
      for (const [i, mover] of movers.entries()) {
        b.room.message(cursorFrame(round * 10 + i), mover)
        b.room.message(presencePush(round + 1, round * 100 + i), mover)
      }
    }
    await drained(b.room)
    await until(() => entries(watcher).size === 3, 'three entries')
    for (const tick of ticks(watcher)) {
      const ids = tick.moved.map((e) => e[0])
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids.length).toBeLessThanOrEqual(3)
    }
    expect(b.room.heldSockets().cursorEntries).toBe(4)
    // A frame with more than one cursor in it is no cursor frame: that socket goes.
    const greedy = movers[0]
    b.room.message(
      JSON.stringify({
        type: 'cursor',
        cursor: { x: 1, y: 1, type: 'default', rotation: 0 },
        camera: null,
        screenBounds: null,
        more: Array.from({ length: 100 }, () => ({ x: 1, y: 1 })),
      }),
      greedy,
    )
    expect(greedy.closed?.code).toBe(BAD_FRAME_CLOSE_CODE)
    for (const bad of [
      {
        type: 'cursor',
        cursor: { x: 1e12, y: 0, type: 'default', rotation: 0 },
        camera: null,
        screenBounds: null,
      },
      { type: 'cursor', cursor: null, camera: { x: 0, y: 0, z: 0 }, screenBounds: null },
      {
        type: 'cursor',
        cursor: { x: 0, y: 0, type: 'laser', rotation: 0 },
        camera: null,
        screenBounds: null,
      },
      { type: 'cursor-view', show: 'yes' },
    ]) {
      const conn = await b.join()
      b.room.message(JSON.stringify(bad), conn)
      expect(conn.closed?.code).toBe(BAD_FRAME_CLOSE_CODE)
    }
  })

  it('sends a newcomer every cursor at once, and says who left', async () => {
    const b = await board()
    const [first, second] = [await b.join(), await b.join()]
    b.room.message(cursorFrame(100), first)
    b.room.message(cursorFrame(200), second)
    await drained(b.room)
    const newcomer = await b.join()
    await until(() => ticks(newcomer).length > 0, 'the newcomer’s first tick')
    const [snapshot] = ticks(newcomer)
    expect(snapshot.full).toBe(true)
    expect(snapshot.moved.map((e) => e[1]?.[0]).sort()).toEqual([100, 200])

    const secondId = laterIds(first)[0]
    await drained(b.room)
    b.leave(second)
    await until(() => ticks(first).some((t) => t.gone.includes(secondId)), 'the leaver gone')
    expect(entries(newcomer).has(secondId)).toBe(false)
    expect(b.room.heldSockets().cursorEntries).toBe(2)
  })

  it('takes an old client’s cursor out of its presence: the lane has it, the room never', async () => {
    const b = await board()
    const watcher = await b.join()
    const old = await b.join()
    const [oldId] = laterIds(watcher)
    for (let i = 1; i <= 30; i++) b.room.message(presencePush(i, i), old)
    await until(() => old.of('push_result').length === 30, 'an answer to every push')
    await drained(b.room)
    await until(() => entries(watcher).get(oldId)?.[1]?.[0] === 30, 'the last position')
    expect(entries(watcher).get(oldId)).toEqual([
      oldId,
      [30, 5, 'pointer', 0],
      [1, 2, 1, 0, 0, 800, 600],
    ])
    const seen = presenceSeen(watcher)
    // The room was given the presence once (the name); its cursor moves never reached it.
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({
      userName: 'Ada',
      cursor: null,
      camera: null,
      screenBounds: null,
      lastActivityTimestamp: null,
    })
    // A slow change still goes through the room.
    await sleep(120)
    b.room.message(presencePush(31, 31, 'Ada Lovelace'), old)
    await until(() => presenceSeen(watcher).length === 2, 'the new name')
    expect(presenceSeen(watcher)[1]).toMatchObject({ userName: 'Ada Lovelace', cursor: null })
  })

  it('keeps a lane client’s cursor when its tldraw presence (without one) changes', async () => {
    const b = await board()
    const watcher = await b.join()
    const client = await b.join()
    const [clientId] = laterIds(watcher)
    b.room.message(cursorFrame(33), client)
    await until(() => entries(watcher).get(clientId)?.[1]?.[0] === 33, 'the cursor')
    // Its presence for tldraw carries the lane's fields as null; a new name goes to the room.
    const slow = JSON.parse(presencePush(1, 0, 'Lane client')) as {
      presence: [string, Record<string, unknown>]
    }
    Object.assign(slow.presence[1], HIGH_RATE_NULLS)
    b.room.message(JSON.stringify(slow), client)
    await until(() => presenceSeen(watcher).length === 1, 'the name')
    await drained(b.room)
    expect(entries(watcher).get(clientId)?.[1]?.[0]).toBe(33)
    expect(
      ticks(watcher)
        .flatMap((t) => t.moved)
        .every((e) => e[1] !== null),
    ).toBe(true)
  })

  it('ignores a viewer’s cursor, and lets anyone hide others’ cursors', async () => {
    const b = await board()
    const [hider, watcher] = [await b.join(), await b.join()]
    const viewer = await b.join(null)
    const mover = await b.join()
    b.room.message(cursorFrame(5), viewer)
    b.room.message(cursorFrame(7), mover)
    await drained(b.room)
    await until(() => entries(watcher).size === 1, 'the mover')
    expect([...entries(watcher).values()][0][1]?.[0]).toBe(7)
    expect(entries(viewer).size).toBe(1)
    b.room.message(JSON.stringify({ type: 'cursor-view', show: false }), hider)
    await drained(b.room)
    await until(() => ticks(hider).at(-1)?.mode === 'none', 'the hider’s snapshot')
    expect(ticks(hider).at(-1)).toMatchObject({ full: true, moved: [] })
    b.room.message(cursorFrame(8), mover)
    await drained(b.room)
    await until(
      () => entries(watcher).size === 1 && [...entries(watcher).values()][0][1]?.[0] === 8,
      'the move',
    )
    expect(entries(hider).size).toBe(0)
    expect(ticks(hider).at(-1)?.mode).toBe('none')
  })
})

describe('crowd mode', () => {
  it('sends only the facilitators’ cursors above the threshold, by itself', async () => {
    const b = await board({ crowdCursorThreshold: 2 })
    const watcher = await b.join()
    const facilitator = await b.join(b.facilitatorSecret)
    const mover = await b.join()
    const [facilitatorId, moverId] = laterIds(watcher)
    b.room.message(cursorFrame(1), facilitator)
    b.room.message(cursorFrame(2), mover)
    await drained(b.room)
    // Three editors, over a threshold of two: facilitators only.
    await until(() => entries(watcher).has(facilitatorId), 'the facilitator’s cursor')
    expect(ticks(watcher).every((t) => t.mode === 'facilitators')).toBe(true)
    b.room.message(cursorFrame(3), mover)
    b.room.message(cursorFrame(4), facilitator)
    await drained(b.room)
    await until(() => entries(watcher).get(facilitatorId)?.[1]?.[0] === 4, 'the marker')
    const everything = JSON.stringify(ticks(watcher))
    expect(everything).not.toContain(moverId)
    // One leaves: two editors, everyone's again, and a full snapshot says so.
    b.leave(mover)
    await until(() => ticks(watcher).at(-1)?.mode === 'everyone', 'the switch back')
    expect(ticks(watcher).at(-1)?.full).toBe(true)
    const view = watcher
      .of('custom')
      .map((m) => m.data as { type: string; view?: { cursors?: unknown } })
      .findLast((d) => d.type === 'state')
    await until(
      () =>
        JSON.stringify(
          watcher
            .of('custom')
            .map((m) => m.data as { type: string; view?: { cursors?: unknown } })
            .findLast((d) => d.type === 'state')?.view?.cursors,
        ) === JSON.stringify({ chosen: 'auto', effective: 'everyone', editors: 2 }),
      'the view’s count',
    )
    expect(view).toBeDefined()
  })

  it('is the facilitator’s to set, kept with the workshop, and "none" keeps their view', async () => {
    const b = await board()
    const watcher = await b.join()
    const facilitator = await b.join(b.facilitatorSecret)
    const mover = await b.join()
    const [facilitatorId, moverId] = laterIds(watcher)
    const refused = await b.room.facilitate(tokenOf(mover), {
      type: 'set-cursor-mode',
      mode: 'none',
    })
    expect(refused).toMatchObject({ ok: false, status: 403 })
    expect(
      await b.room.facilitate(tokenOf(facilitator), { type: 'set-cursor-mode', mode: 'none' }),
    ).toEqual({ ok: true })
    b.room.message(cursorFrame(2), mover)
    b.room.message(cursorFrame(1, 0, { x: 9, y: 9, z: 2 }), facilitator)
    await drained(b.room)
    await until(() => entries(watcher).has(facilitatorId), 'the facilitator’s view')
    expect(entries(watcher).get(facilitatorId)).toEqual([
      facilitatorId,
      null,
      [9, 9, 2, 0, 0, 1280, 720],
    ])
    expect(JSON.stringify(ticks(watcher))).not.toContain(moverId)
    // "facilitators": their cursor too, still nobody else's.
    await b.room.facilitate(tokenOf(facilitator), { type: 'set-cursor-mode', mode: 'facilitators' })
    await until(() => entries(watcher).get(facilitatorId)?.[1] !== null, 'the facilitator’s cursor')
    expect(JSON.stringify(ticks(watcher))).not.toContain(moverId)
    // Kept with the workshop state: a board restarted after a crash (its sockets gone) has it.
    const again = new BoardRoom({ ...b.env, connections: () => [] })
    await again.start()
    const fresh = new FakeConnection('fresh')
    const url = new URL(`${origin}${boardPath(roomId)}`)
    url.searchParams.set('t', await roomTicket(again, b.participantKey))
    await again.connect(fresh, url)
    again.message(connectFrame, fresh)
    await until(
      () => fresh.of('custom').some((m) => (m.data as { type: string }).type === 'state'),
      'a state',
    )
    const state = fresh.of('custom').find((m) => (m.data as { type: string }).type === 'state')
    expect((state?.data as { view: { cursors: unknown } }).view.cursors).toEqual({
      chosen: 'facilitators',
      effective: 'facilitators',
      editors: 1,
    })
  })
})

describe('the laser on the lane', () => {
  const laserFrame = (x: number, laser: boolean) =>
    JSON.stringify({ ...JSON.parse(cursorFrame(x)), laser })

  it('sends a facilitator’s laser in every mode, to a socket that hid cursors too', async () => {
    const b = await board()
    const watcher = await b.join()
    const hider = await b.join()
    const facilitator = await b.join(b.facilitatorSecret)
    const mover = await b.join()
    const [, facilitatorId, moverId] = laterIds(watcher)
    await b.room.facilitate(tokenOf(facilitator), { type: 'set-cursor-mode', mode: 'none' })
    b.room.message(JSON.stringify({ type: 'cursor-view', show: false }), hider)
    b.room.message(laserFrame(3, true), mover)
    b.room.message(laserFrame(4, true), facilitator)
    await drained(b.room)
    for (const receiver of [watcher, hider]) {
      await until(
        () => entries(receiver).get(facilitatorId)?.[1]?.[4] === 1,
        'the facilitator’s laser',
      )
      expect(entries(receiver).get(facilitatorId)?.[1]).toEqual([4, 0, 'default', 0, 1])
      // A participant's laser is a cursor like any other: not in this mode.
      expect(JSON.stringify(ticks(receiver))).not.toContain(moverId)
    }
    // The laser off: the pointer is hidden again in "none" (the trail fades on the client).
    b.room.message(laserFrame(5, false), facilitator)
    await drained(b.room)
    await until(() => entries(watcher).get(facilitatorId)?.[1] === null, 'the laser off')
    // A facilitator's pointer without a laser sends nothing in "none": the view did not move.
    const before = ticks(hider).length
    b.room.message(laserFrame(6, false), facilitator)
    await drained(b.room)
    await sleep(CURSOR_TICK_MS * 2)
    expect(ticks(hider).length).toBe(before)
  })
})
