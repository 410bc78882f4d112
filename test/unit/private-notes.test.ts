/**
 * The private brainstorm on the server: a participant's new stickies are taken out of their
 * pushes before tldraw's room sees them, kept for their author alone (other sockets receive
 * none of their bytes), refused to anyone else, durable before acknowledged, and put on the
 * board for everyone by the facilitator's reveal.
 */
import { describe, expect, it } from 'vitest'
import { boardPath } from '../../src/protocol'
import { FACILITATION_LIMITS } from '../../src/protocol/facilitation'
import { BoardRoom } from '../../src/server/room/board-room'
import type { SizeLimits } from '../../src/server/limits/board-size'
import { initialBoard } from '../../src/server/room/initial-board'
import { PrivateNotes } from '../../src/server/private-brainstorm/private-notes'
import { mintBoardAuth, mintSecret } from '../../src/server/rules/roles'
import { note } from '../support/raw-records'
import { pushNewShape } from '../support/raw-socket'
import { MemoryStorage } from './memory-storage'
import { FakeConnection, connectFrame, roomTicket, type Message } from './room-fixtures'
import { origin, roomId } from './snapshot-fixtures'

/** Memory storage whose writes can be held back, as a slow disk would. */
class SlowStorage extends MemoryStorage {
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

const text = (words: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text: words }] }],
})
const sticky = (id: string, words: string, parentId = 'page:page') => ({
  ...note(id, 100, 100, parentId),
  props: { ...note(id).props, richText: text(words), textLastEditedBy: 'user:ana-device' },
})
const push = (clientClock: number, diff: Record<string, unknown[]>) =>
  JSON.stringify({ type: 'push', clientClock, diff })
const customOf = (conn: FakeConnection, type: string) =>
  conn
    .of('custom')
    .map((m) => m.data as Message)
    .filter((d) => d.type === type || d.kind === type)

async function board(storage = new SlowStorage(), sizeLimits?: SizeLimits) {
  const connections: FakeConnection[] = []
  const env = {
    roomId,
    storage,
    sizeLimits,
    connections: () => connections.filter((c) => c.readyState === 1),
    exclusive: <T>(task: () => Promise<T>) => task(),
  }
  const { auth, facilitatorSecret, participantKey } = await mintBoardAuth()
  await new BoardRoom(env).create(initialBoard('Brainstorm', undefined, 'inst0001'), auth)
  let room = new BoardRoom(env)
  await room.start()
  let count = 0
  const join = async (secret: string, personKey: string | undefined) => {
    const conn = new FakeConnection(`conn-${++count}`)
    connections.push(conn)
    const url = new URL(`${origin}${boardPath(roomId)}`)
    url.searchParams.set('t', await roomTicket(room, secret, personKey))
    await room.connect(conn, url)
    room.message(connectFrame, conn)
    await until(() => customOf(conn, 'welcome').length > 0, 'the welcome')
    const token = customOf(conn, 'welcome')[0].token as string
    const act = (action: object) => room.facilitate(token, action)
    const send = async (frame: string) => {
      room.message(frame, conn)
      await room.settled()
    }
    const lastView = () => customOf(conn, 'state').at(-1)?.view as Record<string, unknown>
    return { conn, act, send, lastView }
  }
  const restart = async () => {
    for (const c of connections) room.disconnect(c)
    connections.length = 0
    room = new BoardRoom(env)
    await room.start()
    return room
  }
  return {
    storage,
    room: () => room,
    join,
    restart,
    facilitatorSecret,
    participantKey,
    ana: mintSecret(),
    ben: mintSecret(),
    fran: mintSecret(),
  }
}

/** Everything a socket received, as the bytes it would have read. */
const bytesOf = (conn: FakeConnection) => JSON.stringify(conn.received)

describe('private brainstorm: the server', () => {
  it('keeps a participant’s new sticky out of the room: only its author’s sockets get it', async () => {
    const b = await board()
    const fran = await b.join(b.facilitatorSecret, b.fran)
    const ana = await b.join(b.participantKey, b.ana)
    const ana2 = await b.join(b.participantKey, b.ana)
    const ben = await b.join(b.participantKey, b.ben)
    expect(
      await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null }),
    ).toEqual({ ok: true })

    await ana.send(push(1, { 'shape:ana1': ['put', sticky('shape:ana1', 'secret idea')] }))
    await until(() => ana.conn.of('push_result').length > 0, 'the push result')
    // The room was given the push without a diff, so it answers commit: the client keeps it.
    expect(ana.conn.of('push_result')[0]).toMatchObject({ clientClock: 1, action: 'commit' })
    expect(b.room().backup()?.store).not.toHaveProperty('shape:ana1')
    await until(() => customOf(ana2.conn, 'private-notes').length > 0, 'the second socket')
    expect(customOf(ana2.conn, 'private-notes').at(-1)).toMatchObject({
      reset: false,
      puts: [{ id: 'shape:ana1' }],
    })
    for (const other of [ben, fran]) {
      expect(bytesOf(other.conn)).not.toContain('shape:ana1')
      expect(bytesOf(other.conn)).not.toContain('secret idea')
    }
    // Counts: the facilitator sees Ana's (once she has a name), Ana her own, Ben none.
    await ana.act({ type: 'name', name: 'Ana' })
    await ana.send(push(2, { 'shape:ana2': ['put', sticky('shape:ana2', 'another')] }))
    expect(fran.lastView().private).toMatchObject({ mine: 0, counts: [{ name: 'Ana', count: 2 }] })
    expect(ana.lastView().private).toMatchObject({ mine: 2, counts: null })
    expect(ben.lastView().private).toMatchObject({ mine: 0, counts: null })
  })

  it('lets the author edit, move and delete a hidden sticky; the room never sees it', async () => {
    const b = await board()
    const fran = await b.join(b.facilitatorSecret, b.fran)
    const ana = await b.join(b.participantKey, b.ana)
    const ben = await b.join(b.participantKey, b.ben)
    await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
    await ana.send(push(1, { 'shape:a': ['put', sticky('shape:a', 'first')] }))
    // One push: a move of the hidden sticky and a new rectangle, which the room commits.
    await ana.send(
      push(2, {
        'shape:a': ['patch', { x: ['put', 640] }],
        'shape:pub': ['put', (pushNewShape('shape:pub').diff['shape:pub'] as unknown[])[1]],
      }),
    )
    await until(() => ana.conn.of('push_result').length === 2, 'both results')
    expect(ana.conn.of('push_result').map((m) => m.action)).toEqual(['commit', 'commit'])
    expect(b.room().brainstorm.notes.notesOf(await hashOf(b.ana))[0]).toMatchObject({ x: 640 })
    // Ben sees the public note, not the hidden one.
    await until(() => bytesOf(ben.conn).includes('shape:pub'), 'the public note')
    expect(bytesOf(ben.conn)).not.toContain('shape:a"')
    await ana.send(push(3, { 'shape:a': ['remove'] }))
    expect(b.room().brainstorm.notes.isHidden('shape:a')).toBe(false)
    expect([...b.storage.data.keys()].filter((k) => k.startsWith('hidden:'))).toEqual([])
  })

  it('refuses an edit or delete of someone else’s hidden sticky, and changes nothing', async () => {
    const b = await board()
    const fran = await b.join(b.facilitatorSecret, b.fran)
    const ana = await b.join(b.participantKey, b.ana)
    const ben = await b.join(b.participantKey, b.ben)
    await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
    await ana.send(push(1, { 'shape:a': ['put', sticky('shape:a', 'ana-only-words')] }))
    const stored = JSON.stringify([...b.storage.data])

    await ben.send(push(1, { 'shape:a': ['patch', { x: ['put', 9] }] }))
    await ben.send(push(2, { 'shape:a': ['remove'] }))
    await ben.send(push(3, { 'shape:a': ['put', sticky('shape:a', 'overwritten')] }))
    await fran.send(push(1, { 'shape:a': ['remove'] }))
    await until(() => ben.conn.of('push_result').length === 3, 'Ben’s results')
    // Not committed: Ben's client rolls each back; he is told why.
    expect(ben.conn.of('push_result').map((m) => m.action)).not.toContain('commit')
    expect(fran.conn.of('push_result')[0].action).not.toBe('commit')
    expect(customOf(ben.conn, 'private-brainstorm')[0].message).toMatch(/only its author/)
    expect(JSON.stringify([...b.storage.data])).toBe(stored)
    expect(b.room().backup()?.store).not.toHaveProperty('shape:a')
    expect(bytesOf(ben.conn)).not.toContain('ana-only-words')
  })

  it('acknowledges a hidden sticky only once it is on storage, and keeps it across a restart', async () => {
    const b = await board()
    const fran = await b.join(b.facilitatorSecret, b.fran)
    await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
    const ana = await b.join(b.participantKey, b.ana)
    b.storage.hold()
    b.room().message(push(1, { 'shape:a': ['put', sticky('shape:a', 'kept')] }), ana.conn)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(ana.conn.of('push_result')).toEqual([])
    b.storage.release()
    await b.room().settled()
    await until(() => ana.conn.of('push_result').length > 0, 'the result')

    await b.restart()
    const back = await b.join(b.participantKey, b.ana)
    const ben = await b.join(b.participantKey, b.ben)
    // The author's socket gets all its hidden stickies on connecting; nobody else does.
    expect(customOf(back.conn, 'private-notes')[0]).toMatchObject({
      reset: true,
      puts: [{ id: 'shape:a' }],
    })
    expect(back.lastView().private).toMatchObject({ mine: 1, scope: { kind: 'board' } })
    expect(bytesOf(ben.conn)).not.toContain('shape:a')
  })

  it('hides only in the frame’s scope, and caps each person', async () => {
    const b = await board()
    const fran = await b.join(b.facilitatorSecret, b.fran)
    const frame = {
      ...note('shape:frame'),
      type: 'frame',
      props: { w: 800, h: 600, name: 'Ideas', color: 'black' },
    }
    await fran.send(push(1, { 'shape:frame': ['put', frame] }))
    expect(
      await fran.act({
        type: 'private-start',
        scope: { kind: 'frame', frameId: 'shape:nope', label: 'Nope' },
        timerMs: null,
      }),
    ).toMatchObject({ ok: false, status: 409 })
    const start = {
      type: 'private-start',
      scope: { kind: 'frame', frameId: 'shape:frame', label: 'Ideas' },
      timerMs: 300_000,
    }
    expect(await fran.act(start)).toEqual({ ok: true })
    expect(await fran.act(start)).toMatchObject({ ok: false, status: 409 })
    expect(fran.lastView().timer).toMatchObject({ status: 'running', durationMs: 300_000 })
    const ana = await b.join(b.participantKey, b.ana)
    await ana.send(push(1, { 'shape:in': ['put', sticky('shape:in', 'in', 'shape:frame')] }))
    await ana.send(push(2, { 'shape:out': ['put', sticky('shape:out', 'out')] }))
    expect(b.room().brainstorm.notes.isHidden('shape:in')).toBe(true)
    expect(b.room().backup()?.store).toHaveProperty('shape:out')
  })

  it('lets only the facilitator start or reveal', async () => {
    const b = await board()
    const ana = await b.join(b.participantKey, b.ana)
    expect(
      await ana.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null }),
    ).toMatchObject({ ok: false, status: 403 })
    expect(await ana.act({ type: 'private-reveal', anonymous: false })).toMatchObject({
      ok: false,
      status: 403,
    })
    expect(b.room().brainstorm.notes.active).toBeNull()
  })

  it('reveals every hidden sticky at once, with its author’s name or anonymously', async () => {
    for (const anonymous of [false, true]) {
      const b = await board()
      const fran = await b.join(b.facilitatorSecret, b.fran)
      const ana = await b.join(b.participantKey, b.ana)
      const ben = await b.join(b.participantKey, b.ben)
      await ana.act({ type: 'name', name: 'Ana' })
      await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
      await ana.send(push(1, { 'shape:a': ['put', sticky('shape:a', 'from Ana')] }))
      // Its frame will be gone by the reveal: it goes to the page.
      const frame = {
        ...note('shape:f'),
        type: 'frame',
        props: { w: 500, h: 500, name: 'F', color: 'black' },
      }
      await fran.send(push(1, { 'shape:f': ['put', frame] }))
      await ana.send(push(2, { 'shape:b': ['put', sticky('shape:b', 'in a frame', 'shape:f')] }))
      await fran.send(push(2, { 'shape:f': ['remove'] }))

      expect(await fran.act({ type: 'private-reveal', anonymous })).toEqual({ ok: true })
      const store = b.room().backup()?.store as Record<
        string,
        { meta: object; parentId: string; props: { textLastEditedBy: unknown } }
      >
      expect(store['shape:a']).toBeDefined()
      expect(store['shape:b'].parentId).toBe('page:page')
      if (anonymous) {
        expect(JSON.stringify(store['shape:a'].meta)).not.toContain('Ana')
        expect(store['shape:a'].props.textLastEditedBy).toBeNull()
      } else {
        expect(store['shape:a'].meta).toMatchObject({ switchback: { author: 'Ana' } })
      }
      expect(
        [...b.storage.data.keys()].filter((k) => k.startsWith('hidden:') || k === 'private-mode'),
      ).toEqual([])
      await until(() => bytesOf(ben.conn).includes('from Ana'), 'the reveal on Ben’s socket')
      expect(fran.lastView().private).toBeNull()
      // Over: a new sticky is public again.
      await ana.send(push(3, { 'shape:c': ['put', sticky('shape:c', 'after')] }))
      expect(b.room().backup()?.store).toHaveProperty('shape:c')
    }
  })
})

describe('private brainstorm: the reveal and the board’s limits', () => {
  it('refuses a reveal that would take the board past its limits, and keeps them hidden', async () => {
    // The blank board's document and page, and room for one more record.
    const b = await board(undefined, { maxRecords: 3, maxBoardBytes: 2 ** 30 })
    const fran = await b.join(b.facilitatorSecret, b.fran)
    const ana = await b.join(b.participantKey, b.ana)
    const ben = await b.join(b.participantKey, b.ben)
    await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
    await ana.send(push(1, { 'shape:a': ['put', sticky('shape:a', 'first idea')] }))
    await ana.send(push(2, { 'shape:b': ['put', sticky('shape:b', 'second idea')] }))

    const reveal = await fran.act({ type: 'private-reveal', anonymous: false })
    expect(reveal).toMatchObject({ ok: false, status: 409 })
    expect(reveal.ok || reveal.error).toMatch(/do not fit on the board/)
    expect(b.room().backup()?.store).not.toHaveProperty('shape:a')
    expect(bytesOf(ben.conn)).not.toContain('first idea')
    expect([...b.storage.data.keys()].filter((k) => k.startsWith('hidden:'))).toHaveLength(2)
    expect(fran.lastView().private).not.toBeNull()
  })
})

describe('private brainstorm: splitting a push', () => {
  const page = { id: 'page:page', typeName: 'page' }
  const board = {
    get: (id: string) => (id === 'page:page' ? (page as never) : undefined),
    frozenShapeIds: () => [],
  }
  const ana = { role: 'participant' as const, author: 'a'.repeat(64), name: 'Ana' }
  const ben = { role: 'participant' as const, author: 'b'.repeat(64), name: 'Ben' }
  const message = (diff: object) => ({ type: 'push', clientClock: 1, diff })

  it('gives the room no diff when nothing is left, so that it answers commit', async () => {
    const notes = new PrivateNotes(new MemoryStorage())
    expect(
      notes.split(message({ 'shape:a': ['put', sticky('shape:a', 'x')] }), ana, board),
    ).toBeNull()
    await notes.start({ kind: 'board' }, 1)
    const split = notes.split(message({ 'shape:a': ['put', sticky('shape:a', 'x')] }), ana, board)
    expect(split?.message).toEqual({ type: 'push', clientClock: 1 })
    expect(split?.message).not.toHaveProperty('diff')
    expect(split?.countsChanged).toBe(true)
  })

  it('leaves the facilitator’s, a keyless session’s and other records’ ops to the room', async () => {
    const notes = new PrivateNotes(new MemoryStorage())
    await notes.start({ kind: 'board' }, 1)
    const put = message({ 'shape:a': ['put', sticky('shape:a', 'x')] })
    expect(notes.split(put, { ...ana, role: 'facilitator' }, board)).toBeNull()
    expect(notes.split(put, { ...ana, author: null }, board)).toBeNull()
    const rect = { ...note('shape:r'), type: 'geo' }
    expect(notes.split(message({ 'shape:r': ['put', rect] }), ana, board)).toBeNull()
  })

  it('turns a refused op into a no-op remove for the room, and caps each person', async () => {
    const notes = new PrivateNotes(new MemoryStorage())
    await notes.start({ kind: 'board' }, 1)
    notes.split(message({ 'shape:a': ['put', sticky('shape:a', 'x')] }), ana, board)
    const split = notes.split(message({ 'shape:a': ['patch', { x: ['put', 5] }] }), ben, board)
    expect(split?.message).toEqual(message({ 'shape:a': ['remove'] }))
    expect(split?.refusals[0]).toMatch(/only its author/)
    expect(notes.notesOf(ana.author)[0].x).toBe(100)
    // A sticky that is not a valid note record is refused, not stored.
    const bad = notes.split(message({ 'shape:a': ['patch', { type: ['put', 'geo'] }] }), ana, board)
    expect(bad?.refusals).toHaveLength(1)
    const diff: Record<string, unknown[]> = {}
    for (let i = 0; i < 205; i++) diff[`shape:n${i}`] = ['put', sticky(`shape:n${i}`, 'x')]
    const many = notes.split(message(diff), ana, board)
    expect(notes.notesOf(ana.author)).toHaveLength(200)
    expect(many?.refusals[0]).toMatch(/200 hidden stickies/)
  })
})

describe('private brainstorm: the board’s cap', () => {
  const page = { id: 'page:page', typeName: 'page' }
  const board = {
    get: (id: string) => (id === 'page:page' ? (page as never) : undefined),
    frozenShapeIds: () => [],
  }
  const message = (diff: object) => ({ type: 'push', clientClock: 1, diff })
  const person = (i: number) => ({
    role: 'participant' as const,
    author: i.toString(16).padStart(64, '0'),
    name: `P${i}`,
  })
  const full = (i: number, words: (n: number) => string, count: number) => {
    const diff: Record<string, unknown[]> = {}
    for (let n = 0; n < count; n++) {
      const id = `shape:p${i}-${n}`
      diff[id] = ['put', sticky(id, words(n))]
    }
    return message(diff)
  }
  const hiddenCount = (notes: PrivateNotes, people: number) =>
    Array.from({ length: people }, (_, i) => notes.notesOf(person(i).author).length).reduce(
      (a, b) => a + b,
      0,
    )

  it('holds at most maxHiddenPerBoard stickies, whatever person keys a client makes up', async () => {
    const { maxHiddenPerBoard, maxHiddenPerPerson } = FACILITATION_LIMITS
    const notes = new PrivateNotes(new MemoryStorage())
    await notes.start({ kind: 'board' }, 1)
    const people = Math.ceil(maxHiddenPerBoard / maxHiddenPerPerson) + 3
    let refusals: string[] = []
    for (let i = 0; i < people; i++) {
      refusals = notes.split(
        full(i, (n) => `idea ${n}`, maxHiddenPerPerson),
        person(i),
        board,
      )!.refusals
    }
    expect(hiddenCount(notes, people)).toBe(maxHiddenPerBoard)
    expect(refusals[0]).toMatch(/as many hidden stickies as a private brainstorm may/)
    // Deleting one frees a place.
    const first = person(0)
    notes.split(message({ 'shape:p0-0': ['remove'] }), first, board)
    const again = notes.split(
      full(people, () => 'late', 1),
      person(people),
      board,
    )
    expect(again?.refusals).toEqual([])
  })

  it('holds at most maxHiddenBoardChars of records, created or grown', async () => {
    const { maxHiddenBoardChars, maxHiddenPerPerson } = FACILITATION_LIMITS
    const notes = new PrivateNotes(new MemoryStorage())
    await notes.start({ kind: 'board' }, 1)
    const long = (n: number) => `${n} ${'x'.repeat(30_000)}`
    for (let i = 0; i < 20; i++) notes.split(full(i, long, maxHiddenPerPerson), person(i), board)
    const kept = hiddenCount(notes, 20)
    expect(kept).toBeGreaterThan(0)
    expect(kept * 30_000).toBeLessThanOrEqual(maxHiddenBoardChars)
    expect(kept).toBeLessThan(20 * maxHiddenPerPerson)
    // A short one that fits is kept; then growing it past the cap is refused.
    notes.split(
      full(99, () => 'short', 1),
      person(99),
      board,
    )
    expect(notes.notesOf(person(99).author)).toHaveLength(1)
    const grow = notes.split(
      message({ 'shape:p99-0': ['put', sticky('shape:p99-0', long(0))] }),
      person(99),
      board,
    )
    expect(grow?.refusals[0]).toMatch(/as many hidden stickies/)
  })
})

async function hashOf(key: string) {
  const { hashSecret } = await import('../../src/server/rules/roles')
  return hashSecret(key)
}

/** A frame record (valid for tldraw's schema), inside `parentId`. */
const frameRecord = (id: string, parentId = 'page:page', x = 0) => ({
  ...note(id, x, 0, parentId),
  type: 'frame',
  props: { w: 800, h: 600, name: 'Ideas', color: 'black' },
})
const groupRecord = (id: string, parentId = 'page:page') => ({
  ...note(id, 0, 0, parentId),
  type: 'group',
  props: {},
})

describe('private brainstorm: scope as the push leaves the board (issue 16, item 2)', () => {
  it('hides a sticky in a new frame inside the scope frame, children sent first', async () => {
    const b = await board()
    const fran = await b.join(b.facilitatorSecret, b.fran)
    await fran.send(push(1, { 'shape:scope': ['put', frameRecord('shape:scope')] }))
    await fran.act({
      type: 'private-start',
      scope: { kind: 'frame', frameId: 'shape:scope', label: 'Ideas' },
      timerMs: null,
    })
    const ana = await b.join(b.participantKey, b.ana)
    const ben = await b.join(b.participantKey, b.ben)
    // As tldraw's paste sends it: the stickies before their new parents (a frame, a group in it).
    await ana.send(
      push(1, {
        'shape:s1': ['put', sticky('shape:s1', 'pasted-secret-one', 'shape:inner')],
        'shape:s2': ['put', sticky('shape:s2', 'pasted-secret-two', 'shape:g')],
        'shape:inner': ['put', frameRecord('shape:inner', 'shape:scope')],
        'shape:g': ['put', groupRecord('shape:g', 'shape:inner')],
      }),
    )
    await until(() => ana.conn.of('push_result').length > 0, 'the push result')
    expect(ana.conn.of('push_result')[0].action).toBe('commit')
    const store = b.room().backup()?.store ?? {}
    expect(store).toHaveProperty('shape:inner')
    expect(JSON.stringify(store)).not.toContain('pasted-secret')
    expect(b.room().brainstorm.notes.isHidden('shape:s1')).toBe(true)
    expect(b.room().brainstorm.notes.isHidden('shape:s2')).toBe(true)
    await until(() => bytesOf(ben.conn).includes('shape:inner'), 'the frame on Ben’s socket')
    for (const other of [ben, fran]) expect(bytesOf(other.conn)).not.toContain('pasted-secret')
  })

  it('keeps a pasted frame’s stickies on a whole-board brainstorm, in their frame at the reveal', async () => {
    const b = await board()
    const fran = await b.join(b.facilitatorSecret, b.fran)
    await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
    const ana = await b.join(b.participantKey, b.ana)
    const ben = await b.join(b.participantKey, b.ben)
    await ana.send(
      push(1, {
        'shape:k1': ['put', sticky('shape:k1', 'kept-in-frame', 'shape:box')],
        'shape:box': ['put', frameRecord('shape:box')],
      }),
    )
    await until(() => ana.conn.of('push_result').length > 0, 'the push result')
    expect(ana.conn.of('push_result')[0].action).toBe('commit')
    expect(customOf(ana.conn, 'private-brainstorm')).toEqual([])
    expect(b.room().backup()?.store).toHaveProperty('shape:box')
    expect(b.room().brainstorm.notes.isHidden('shape:k1')).toBe(true)
    expect(bytesOf(ben.conn)).not.toContain('kept-in-frame')
    expect(await fran.act({ type: 'private-reveal', anonymous: true })).toEqual({ ok: true })
    const store = b.room().backup()?.store as Record<string, { parentId: string }>
    expect(store['shape:k1'].parentId).toBe('shape:box')
  })

  it('does not hide a sticky whose new parent the room refuses', async () => {
    const b = await board()
    const fran = await b.join(b.facilitatorSecret, b.fran)
    await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
    const ana = await b.join(b.participantKey, b.ana)
    // A frame whose own parent is not on the board: the room refuses it, so the sticky has none.
    await ana.send(
      push(1, {
        'shape:n1': ['put', sticky('shape:n1', 'orphan', 'shape:nowhere')],
        'shape:nowhere': ['put', frameRecord('shape:nowhere', 'shape:missing')],
      }),
    )
    expect(b.room().brainstorm.notes.isHidden('shape:n1')).toBe(false)
    expect(b.room().backup()?.store).not.toHaveProperty('shape:nowhere')
    // Two new frames inside each other: no parent chain, and no endless lookup.
    await ana.send(
      push(2, {
        'shape:n2': ['put', sticky('shape:n2', 'looped', 'shape:loopA')],
        'shape:loopA': ['put', frameRecord('shape:loopA', 'shape:loopB')],
        'shape:loopB': ['put', frameRecord('shape:loopB', 'shape:loopA')],
      }),
    )
    expect(b.room().brainstorm.notes.isHidden('shape:n2')).toBe(false)
    expect(b.room().backup()?.store).not.toHaveProperty('shape:loopA')
  })

  it('never hides an id the board has had: an undo of a deleted public sticky stays public', async () => {
    const b = await board()
    const fran = await b.join(b.facilitatorSecret, b.fran)
    const ana = await b.join(b.participantKey, b.ana)
    await ana.send(push(1, { 'shape:pub': ['put', sticky('shape:pub', 'public words')] }))
    await ana.send(push(2, { 'shape:pub': ['remove'] }))
    expect(b.room().backup()?.store).not.toHaveProperty('shape:pub')
    // Remembered durably: a restart in between changes nothing.
    await b.restart()
    const fran2 = await b.join(b.facilitatorSecret, b.fran)
    void fran
    await fran2.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
    const ana2 = await b.join(b.participantKey, b.ana)
    const ben = await b.join(b.participantKey, b.ben)
    await ana2.send(push(1, { 'shape:pub': ['put', sticky('shape:pub', 'public words')] }))
    expect(b.room().brainstorm.notes.isHidden('shape:pub')).toBe(false)
    expect(b.room().backup()?.store).toHaveProperty('shape:pub')
    await until(() => bytesOf(ben.conn).includes('public words'), 'the sticky on Ben’s socket')
    // A new id is still hidden.
    await ana2.send(push(2, { 'shape:new': ['put', sticky('shape:new', 'private words')] }))
    expect(b.room().brainstorm.notes.isHidden('shape:new')).toBe(true)
  })

  it('re-indexes an anonymous reveal: the stacking order tells nothing of who wrote which', async () => {
    const b = await board()
    const fran = await b.join(b.facilitatorSecret, b.fran)
    await fran.send(push(1, { 'shape:top': ['put', { ...note('shape:top'), index: 'a9' }] }))
    await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
    const own = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']
    for (const [name, key] of [
      ['ana', b.ana],
      ['ben', b.ben],
    ] as const) {
      const who = await b.join(b.participantKey, key)
      const diff: Record<string, unknown[]> = {}
      own.forEach((index, i) => {
        const id = `shape:${name}${i}`
        diff[id] = ['put', { ...sticky(id, `${name} ${i}`), index }]
      })
      await who.send(push(1, diff))
    }
    expect(await fran.act({ type: 'private-reveal', anonymous: true })).toEqual({ ok: true })
    const store = b.room().backup()?.store as Record<string, { index: string }>
    const indices = Object.keys(store)
      .filter((id) => /^shape:(ana|ben)\d$/.test(id))
      .map((id) => store[id].index)
    expect(indices).toHaveLength(12)
    expect(new Set(indices).size).toBe(12)
    // Fresh, above what the page held, none an author's own.
    for (const index of indices) {
      expect(own).not.toContain(index)
      expect(index > 'a9').toBe(true)
    }
  })
})

describe('private brainstorm: authorship is the server’s (issue 16, item 2)', () => {
  const authored = (id: string, author: unknown) => ({
    ...sticky(id, 'words'),
    meta: { switchback: { author } },
  })

  it('drops an author a client sets on a new sticky, and refuses changing one', async () => {
    const b = await board()
    const fran = await b.join(b.facilitatorSecret, b.fran)
    const ana = await b.join(b.participantKey, b.ana)
    const ben = await b.join(b.participantKey, b.ben)
    await ana.act({ type: 'name', name: 'Ana' })
    await ben.send(push(1, { 'shape:claim': ['put', authored('shape:claim', 'Ana')] }))
    type Stored = Record<string, { meta: { switchback?: { author?: string } } }>
    expect((b.room().backup()?.store as Stored)['shape:claim'].meta.switchback?.author).toBe(
      undefined,
    )
    // A named reveal writes the author; nobody may change it afterwards (the facilitator neither).
    await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
    await ana.send(push(1, { 'shape:real': ['put', sticky('shape:real', 'by Ana')] }))
    await fran.act({ type: 'private-reveal', anonymous: false })
    expect((b.room().backup()?.store as Stored)['shape:real'].meta.switchback?.author).toBe('Ana')
    await ben.send(push(2, { 'shape:real': ['put', authored('shape:real', 'Ben')] }))
    await ben.send(push(3, { 'shape:real': ['patch', { meta: ['put', { switchback: {} }] }] }))
    await fran.send(push(1, { 'shape:real': ['put', authored('shape:real', 'Fran')] }))
    expect((b.room().backup()?.store as Stored)['shape:real'].meta.switchback?.author).toBe('Ana')
    await until(() => ben.conn.of('push_result').length === 3, 'Ben’s results')
    expect(
      ben.conn
        .of('push_result')
        .slice(1)
        .map((m) => m.action),
    ).not.toContain('commit')
    // An ordinary edit of a named sticky (its author kept) goes through.
    await ben.send(push(4, { 'shape:real': ['patch', { x: ['put', 321] }] }))
    expect((b.room().backup()?.store as Record<string, { x: number }>)['shape:real'].x).toBe(321)
  })
})

describe('private brainstorm: discard and end without reveal (issue 16, item 5)', () => {
  async function running(sizeLimits?: SizeLimits) {
    const b = await board(undefined, sizeLimits)
    const fran = await b.join(b.facilitatorSecret, b.fran)
    const ana = await b.join(b.participantKey, b.ana)
    const ben = await b.join(b.participantKey, b.ben)
    await ana.act({ type: 'name', name: 'Ana' })
    await ben.act({ type: 'name', name: 'Ben' })
    await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
    await ana.send(push(1, { 'shape:a1': ['put', sticky('shape:a1', 'ana-words-1')] }))
    await ana.send(push(2, { 'shape:a2': ['put', sticky('shape:a2', 'ana-words-2')] }))
    await ben.send(push(1, { 'shape:b1': ['put', sticky('shape:b1', 'ben-words-1')] }))
    return { b, fran, ana, ben }
  }
  const hiddenKeys = (b: { storage: MemoryStorage }) =>
    [...b.storage.data.keys()].filter((k) => k.startsWith('hidden:'))

  it('discards one person’s stickies by their count, unseen; only the facilitator may', async () => {
    const { b, fran, ana, ben } = await running()
    const counts = (fran.lastView().private as { counts: { person: string; name: string }[] })
      .counts
    expect(counts.map((c) => c.name)).toEqual(['Ana', 'Ben'])
    const anaHandle = counts[0].person
    expect(anaHandle).toMatch(/^[0-9a-f]{18}$/)
    expect(bytesOf(fran.conn)).not.toContain(await hashOf(b.ana))
    expect(await ben.act({ type: 'private-discard', person: anaHandle })).toMatchObject({
      status: 403,
    })
    expect(await fran.act({ type: 'private-discard', person: 'nobody' })).toMatchObject({
      status: 409,
    })
    expect(await fran.act({ type: 'private-discard', person: anaHandle })).toEqual({ ok: true })
    expect(b.room().brainstorm.notes.isHidden('shape:a1')).toBe(false)
    expect(b.room().brainstorm.notes.isHidden('shape:b1')).toBe(true)
    expect(hiddenKeys(b)).toHaveLength(1)
    expect(customOf(ana.conn, 'private-notes').at(-1)).toMatchObject({
      reset: true,
      puts: [],
      deletes: ['shape:a1', 'shape:a2'],
    })
    expect(fran.lastView().private).toMatchObject({ counts: [{ name: 'Ben', count: 1 }] })
    expect(ana.lastView().private).toMatchObject({ mine: 0 })
    expect(bytesOf(fran.conn)).not.toContain('ana-words')
    // What is left reveals as before; the discarded ones never appear.
    expect(await fran.act({ type: 'private-reveal', anonymous: false })).toEqual({ ok: true })
    const store = JSON.stringify(b.room().backup()?.store)
    expect(store).toContain('ben-words-1')
    expect(store).not.toContain('ana-words')
  })

  it('ends without revealing, even when the reveal does not fit the board', async () => {
    // The blank board's document and page, and room for one more record: the reveal is 409.
    const { b, fran, ana, ben } = await running({ maxRecords: 3, maxBoardBytes: 2 ** 30 })
    expect(await fran.act({ type: 'private-reveal', anonymous: false })).toMatchObject({
      status: 409,
    })
    expect(await ana.act({ type: 'private-end' })).toMatchObject({ status: 403 })
    expect(await fran.act({ type: 'private-end' })).toEqual({ ok: true })
    expect(hiddenKeys(b)).toEqual([])
    expect(b.storage.data.has('private-mode')).toBe(false)
    expect(JSON.stringify(b.room().backup()?.store)).not.toContain('words')
    for (const who of [ana, ben]) {
      expect(customOf(who.conn, 'private-notes').at(-1)).toMatchObject({ reset: true, puts: [] })
    }
    expect(customOf(ana.conn, 'private-notes').at(-1)?.deletes).toEqual(['shape:a1', 'shape:a2'])
    expect(fran.lastView().private).toBeNull()
    // Not stuck: a new brainstorm starts.
    expect(
      await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null }),
    ).toEqual({ ok: true })
    expect(await fran.act({ type: 'private-end' })).toEqual({ ok: true })
    expect(await fran.act({ type: 'private-end' })).toMatchObject({ status: 409 })
  })
})

describe('private brainstorm: caps one key or socket cannot exhaust (issue 16, item 5)', () => {
  const page = { id: 'page:page', typeName: 'page' }
  const boardRecords = {
    get: (id: string) => (id === 'page:page' ? (page as never) : undefined),
    frozenShapeIds: () => [],
  }
  const message = (diff: object) => ({ type: 'push', clientClock: 1, diff })
  const person = (i: number) => ({
    role: 'participant' as const,
    author: i.toString(16).padStart(64, '0'),
    name: `P${i}`,
  })
  const many = (i: number, count: number, words = (n: number) => `idea ${n}`) => {
    const diff: Record<string, unknown[]> = {}
    for (let n = 0; n < count; n++)
      diff[`shape:p${i}-${n}`] = ['put', sticky(`shape:p${i}-${n}`, words(n))]
    return message(diff)
  }

  it('keeps a reserve for people present once made-up keys have filled the board', async () => {
    const { maxHiddenPerBoard, maxHiddenPerPerson, reservedHiddenPerPerson } = FACILITATION_LIMITS
    const notes = new PrivateNotes(new MemoryStorage())
    await notes.start({ kind: 'board' }, 1)
    const present = { had: () => false, presentAuthors: 30 }
    const flood = maxHiddenPerBoard / maxHiddenPerPerson
    for (let i = 0; i < flood; i++)
      notes.split(many(i, maxHiddenPerPerson), person(i), boardRecords, present)
    // The flood's keys are full; a person in the room still gets their reserve, not more.
    const more = message({ 'shape:p0-more': ['put', sticky('shape:p0-more', 'more')] })
    expect(notes.split(more, person(0), boardRecords, present)?.refusals).toHaveLength(1)
    const late = notes.split(
      many(500, reservedHiddenPerPerson + 5),
      person(500),
      boardRecords,
      present,
    )
    expect(notes.notesOf(person(500).author)).toHaveLength(reservedHiddenPerPerson)
    expect(late?.refusals[0]).toMatch(/as many hidden stickies/)
    // The reserves add up to at most one per person present.
    for (let i = 501; i < 560; i++)
      notes.split(many(i, reservedHiddenPerPerson), person(i), boardRecords, present)
    let total = 0
    for (let i = 0; i < 560; i++) total += notes.notesOf(person(i).author).length
    expect(total).toBe(maxHiddenPerBoard + reservedHiddenPerPerson * present.presentAuthors)
  })

  it('caps one person’s text, so one key cannot fill the board’s', async () => {
    const { maxHiddenCharsPerPerson, maxHiddenBoardChars } = FACILITATION_LIMITS
    const notes = new PrivateNotes(new MemoryStorage())
    await notes.start({ kind: 'board' }, 1)
    const big = (n: number) => `${n} ${'x'.repeat(30_000)}`
    const split = notes.split(many(7, 140, big), person(7), boardRecords)
    const kept = notes.notesOf(person(7).author)
    const chars = kept.reduce((sum, r) => sum + JSON.stringify(r).length, 0)
    expect(chars).toBeLessThanOrEqual(maxHiddenCharsPerPerson)
    expect(chars).toBeLessThan(maxHiddenBoardChars / 4)
    expect(split?.refusals[0]).toMatch(/as much text as one person may/)
  })
})

describe('private brainstorm: the reserve on a real board room (issue 16, item 5)', () => {
  it('still keeps a present person’s sticky once a flood has filled the board', async () => {
    const limits = FACILITATION_LIMITS as { maxHiddenPerBoard: number }
    const saved = limits.maxHiddenPerBoard
    limits.maxHiddenPerBoard = 4
    try {
      const b = await board()
      const fran = await b.join(b.facilitatorSecret, b.fran)
      await fran.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
      for (const key of [mintSecret(), mintSecret()]) {
        const fake = await b.join(b.participantKey, key)
        await fake.send(
          push(1, {
            [`shape:${key.slice(0, 6)}a`]: ['put', sticky(`shape:${key.slice(0, 6)}a`, 'flood')],
            [`shape:${key.slice(0, 6)}b`]: ['put', sticky(`shape:${key.slice(0, 6)}b`, 'flood')],
          }),
        )
        b.room().disconnect(fake.conn)
      }
      const ana = await b.join(b.participantKey, b.ana)
      await ana.send(push(1, { 'shape:anaIdea': ['put', sticky('shape:anaIdea', 'real idea')] }))
      expect(b.room().brainstorm.notes.isHidden('shape:anaIdea')).toBe(true)
      expect(customOf(ana.conn, 'private-brainstorm')).toEqual([])
    } finally {
      limits.maxHiddenPerBoard = saved
    }
  })
})
