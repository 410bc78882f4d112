/**
 * Fuzz: 10,000 generated frames thrown at a board's room (in-memory storage, no PartyKit) from
 * a participant's and a viewer's socket, while an honest participant keeps editing. Frames are
 * valid sync envelopes carrying wrong records, wrong types, huge strings, deep nesting, and
 * plain garbage. Whatever comes, the room stays up, the honest socket's edits are all
 * acknowledged, and nothing stored breaks tldraw's schema or a record rule.
 */
import { createTLSchema, type TLRecord } from '@tldraw/tlschema'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { boardPath } from '../../src/protocol'
import { isProtectedShape } from '../../src/board/shape-meta'
import { BoardRoom } from '../../src/server/room/board-room'
import { BoardStorage } from '../../src/server/room/board-storage'
import { initialBoard } from '../../src/server/room/initial-board'
import { mintBoardAuth } from '../../src/server/rules/roles'
import { builtInTemplate } from '../../src/templates/catalog'
import { arrow, arrowBinding, imageAsset, note, page, user, TINY_PNG } from '../support/raw-records'
import { pushNewShape } from '../support/raw-socket'
import { MemoryStorage } from './memory-storage'
import { FakeConnection, connectFrame, roomTicket } from './room-fixtures'
import { origin, roomId } from './snapshot-fixtures'

const schema = createTLSchema()

/** Frames per attacking socket: 2 × 5,000 = 10,000. */
const FRAMES_PER_ATTACKER = 5_000
/** The honest socket pushes one edit every this many frames. */
const HONEST_EVERY = 50

// ---------------------------------------------------------------------------------------------
// What the attackers send
// ---------------------------------------------------------------------------------------------

const templateIds = ['page:page', 'document:document', 'shape:mine', 'shape:nowhere']
const typeNames = ['shape', 'page', 'document', 'binding', 'asset', 'user', 'camera', 'instance']
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)
const deepObject = (n: number): unknown => (n === 0 ? {} : { a: deepObject(n - 1) })

/** A valid record of each kind, to be bent. */
const validRecords = fc.constantFrom<Record<string, unknown>>(
  note('shape:fz'),
  arrow('shape:fza'),
  arrowBinding('binding:fz', 'shape:fza', 'shape:mine'),
  page('page:fz', 'Fuzz'),
  user('user:fz'),
  imageAsset('asset:fz', TINY_PNG),
  imageAsset('asset:ext', 'https://tracker.example/p.png'),
)

/** A valid record with one field replaced by anything (a wrong type, a huge string, nesting). */
const bentRecord = fc
  .tuple(
    validRecords,
    fc.constantFrom('id', 'typeName', 'parentId', 'props', 'meta', 'x', 'fromId', 'isLocked'),
    fc.oneof(
      fc.anything(),
      fc.constantFrom(...typeNames, ...templateIds),
      fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
      fc.integer({ min: 1, max: 2_000 }).map(deepObject),
      fc.constant({ switchback: { zone: { capacity: 1 }, background: true } }),
    ),
  )
  .map(([record, field, value]) => ({ ...record, [field]: value }))

const op = fc.oneof(
  bentRecord.map((r) => ['put', r]),
  validRecords.map((r) => ['put', r]),
  fc.constant(['remove']),
  fc
    .dictionary(fc.string(), fc.tuple(fc.constantFrom('put', 'patch', 'append'), fc.anything()))
    .map((patch) => ['patch', patch]),
  fc.anything(),
)

const push = fc.record({
  type: fc.constant('push'),
  clientClock: fc.oneof(fc.nat(), fc.anything()),
  diff: fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom(...templateIds), fc.string()), op, { maxKeys: 4 }),
    fc.anything(),
  ),
  presence: fc.option(fc.tuple(fc.constantFrom('put', 'patch'), fc.anything()), { nil: undefined }),
})

/** A push tldraw would send, of valid and bent records under their own ids, and removes. */
const wellFormedPush = fc
  .array(
    fc.oneof(
      fc.oneof(validRecords, bentRecord).map((r) => [String(r.id), ['put', r]] as const),
      fc.constantFrom(...templateIds).map((id) => [id, ['remove']] as const),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((ops) => ({ type: 'push', clientClock: 1, diff: Object.fromEntries(ops) }))

const frame: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: wellFormedPush.map((p) => JSON.stringify(p)) },
  { weight: 3, arbitrary: push.map((p) => JSON.stringify(p)) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 50_000 }).map(deep) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(5), fc.string()).map(([n, s]) => `${n}_${s}`) },
  {
    weight: 1,
    arbitrary: fc
      .record({ type: fc.constantFrom('connect', 'ping', 'push', 'nope'), x: fc.anything() })
      .map((m) => JSON.stringify(m)),
  },
)

// ---------------------------------------------------------------------------------------------
// The board, and what may be stored
// ---------------------------------------------------------------------------------------------

async function fuzzedBoard() {
  const storage = new MemoryStorage()
  const connections: FakeConnection[] = []
  const env = {
    roomId,
    storage,
    connections: () => connections.filter((c) => c.readyState === 1),
    exclusive: <T>(task: () => Promise<T>) => task(),
  }
  const { auth, participantKey } = await mintBoardAuth()
  const room = new BoardRoom(env)
  await room.create(initialBoard('Fuzz', builtInTemplate('retro'), 'inst0001'), auth)
  let count = 0
  const ticket = (secret: string) => roomTicket(room, secret)
  const join = async (credentials: Record<string, string>) => {
    const conn = new FakeConnection(`conn-${++count}`)
    connections.push(conn)
    const url = new URL(`${origin}${boardPath(roomId)}`)
    // A key is traded for a socket ticket, as the app does; none makes a viewer.
    const secret = credentials.k ?? credentials.f
    if (secret) url.searchParams.set('t', await ticket(secret))
    await room.connect(conn, url)
    room.message(connectFrame, conn)
    await room.settled()
    return conn
  }
  return { storage, room, join, participantKey }
}

/** Every stored record is one tldraw's schema accepts and a participant may have written. */
function expectSound(stored: TLRecord[], initial: Map<string, TLRecord>) {
  const byId = new Map(stored.map((r) => [r.id as string, r]))
  for (const record of stored) {
    const type = (schema.types as Record<string, { validate(r: unknown): unknown }>)[
      record.typeName
    ]
    expect(type, record.typeName).toBeDefined()
    expect(() => type.validate(record), record.id).not.toThrow()
    expect(['user', 'camera', 'instance', 'pointer']).not.toContain(record.typeName)
    if (record.typeName === 'page' || record.typeName === 'document') {
      expect(record).toEqual(initial.get(record.id))
    }
    if (record.typeName === 'shape') {
      expect(byId.has(record.parentId), `${record.id}'s parent`).toBe(true)
      const before = initial.get(record.id)
      if (before?.typeName === 'shape' && isProtectedShape(before)) expect(record).toEqual(before)
      else expect(isProtectedShape(record)).toBe(false)
    }
    if (record.typeName === 'binding') {
      for (const end of [record.fromId, record.toId]) {
        const shape = byId.get(end)
        expect(shape?.typeName).toBe('shape')
        expect(isProtectedShape(shape as never)).toBe(false)
      }
    }
    if (record.typeName === 'asset' && 'src' in record.props && record.props.src) {
      expect(record.props.src).toMatch(/^(data:image\/|\/[^/])/)
    }
  }
  // Nothing protected or structural was deleted.
  for (const [id, record] of initial) {
    if (record.typeName !== 'shape' || isProtectedShape(record)) expect(byId.has(id), id).toBe(true)
  }
}

describe('fuzz: the room under 10,000 generated frames', () => {
  it('stays up, acknowledges the honest socket, and stores nothing invalid', async () => {
    const quiet = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const quietErrors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const b = await fuzzedBoard()
    const initial = new Map(
      Object.values(b.room.backup()!.store).map((r) => [r.id as string, r as TLRecord]),
    )
    const honest = await b.join({ k: b.participantKey })
    const attackers = {
      participant: await b.join({ k: b.participantKey }),
      viewer: await b.join({}),
    }
    // A sticky of the participant's own, for attacks that build on it.
    b.room.message(
      JSON.stringify({
        type: 'push',
        clientClock: 1,
        diff: { 'shape:mine': ['put', note('shape:mine')] },
      }),
      attackers.participant,
    )
    await b.room.settled()

    let frames = 0
    let honestClock = 0
    const started = Date.now()
    for (const role of ['participant', 'viewer'] as const) {
      const credentials: Record<string, string> =
        role === 'participant' ? { k: b.participantKey } : {}
      await fc.assert(
        fc.asyncProperty(frame, async (data) => {
          let attacker = attackers[role]
          // A socket the room closed (a bad frame, a rejected session) comes back, as a
          // persistent attacker's would.
          if (attacker.closed) {
            b.room.disconnect(attacker)
            attacker = attackers[role] = await b.join(credentials)
          }
          b.room.message(data, attacker)
          frames++
          if (frames % HONEST_EVERY === 0) {
            const clock = ++honestClock
            b.room.message(JSON.stringify(pushNewShape(`shape:honest-${clock}`, clock)), honest)
          }
          await b.room.settled()
        }),
        { numRuns: FRAMES_PER_ATTACKER, seed: 10 },
      )
    }
    await b.room.settled()
    await new Promise((resolve) => setTimeout(resolve, 20))
    const seconds = (Date.now() - started) / 1000
    quiet.mockRestore()
    quietErrors.mockRestore()
    console.info(`fuzz: ${frames} frames in ${seconds.toFixed(1)} s`)

    expect(frames).toBe(2 * FRAMES_PER_ATTACKER)
    expect(b.room.backup()).not.toBeNull()
    expect(honest.closed).toBeNull()
    const answers = honest.received.filter((m) => m.type === 'push_result')
    expect(answers.map((m) => m.action)).toEqual(Array(honestClock).fill('commit'))

    // What the room holds, and what storage holds (as after a restart), are both sound.
    const inRoom = Object.values(b.room.backup()!.store) as TLRecord[]
    expectSound(inRoom, initial)
    const reloaded = await new BoardStorage(b.storage).load()
    const onDisk = reloaded!.documents.map((d) => d.state as TLRecord)
    expectSound(onDisk, initial)
    expect(onDisk.map((r) => r.id).sort()).toEqual(inRoom.map((r) => r.id).sort())
    for (let i = 1; i <= honestClock; i++)
      expect(onDisk.some((r) => r.id === `shape:honest-${i}`)).toBe(true)
  }, 120_000)
})
