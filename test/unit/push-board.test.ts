/**
 * A push judged as a whole (src/server/room/push-board.ts): how a push diff is read into the board
 * before it and the board as it would leave it, and the record rules (roles.ts) run on those
 * two boards: a parent or binding end made in the same push counts, in any order; loops, depth
 * and orphans are still refused; frozen frames judge every shape a write carries. Also the room
 * storage's index of who points at whom (room-storage.ts), which the boards are read from.
 */
import { describe, expect, it } from 'vitest'
import type { TLPage, TLRecord, TLShape } from '@tldraw/tlschema'
import { RECORD_RULES, type Role } from '../../src/protocol'
import { PushJudge, readPush } from '../../src/server/room/push-board'
import { recordRules } from '../../src/server/rules/roles'
import { RoomStorage } from '../../src/server/core/room-storage'
import { arrow, arrowBinding, group, note } from '../support/raw-records'

const page = { id: 'page:page', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} } as TLPage

/** A frozen template frame 1000 × 600 at (0, 0). */
const frozenFrame = {
  ...group('shape:frozen'),
  type: 'frame',
  isLocked: true,
  meta: { switchback: { background: true, frozen: true } },
  props: { w: 1000, h: 600, name: 'Jobs', color: 'black' },
} as unknown as TLRecord

const snapshot = (records: unknown[]) => ({
  clock: 0,
  documentClock: 0,
  documents: (records as TLRecord[]).map((state) => ({ state, lastChangedClock: 0 })),
  schema: undefined as never,
})

const put = (record: { id: string }) => ({ [record.id]: ['put', record] })

/** A room storage holding `records`, and a judge of pushes on it as the board room runs one. */
function boardOf(...records: unknown[]) {
  const storage = new RoomStorage(snapshot([page, ...records]))
  const pushes = new PushJudge()
  const rules = recordRules(storage, { views: pushes.views })
  const judge = (diff: Record<string, unknown>, role: Role = 'participant') =>
    pushes.judge(rules, storage, diff, { sessionId: 's', isReadonly: false, meta: { role } }).kind
  return { storage, rules, judge }
}

describe('reading a push', () => {
  it('reads puts, patches and removes into the board before and the board after', () => {
    const { storage } = boardOf(note('shape:a', 0, 0), note('shape:gone', 0, 0))
    const reading = readPush(storage, {
      ...put(note('shape:b', 5, 5)),
      'shape:a': ['patch', { x: ['put', 40] }],
      'shape:gone': ['remove'],
      // Skipped, as the room skips them: the board has no such record.
      'shape:never': ['patch', { x: ['put', 1] }],
      'shape:nothing': ['remove'],
    })
    if (reading.kind !== 'read') throw new Error(reading.reason)
    const { writes, before, after } = reading.push
    expect(writes.map((w) => [w.id, w.type])).toEqual([
      ['shape:b', 'create'],
      ['shape:a', 'update'],
      ['shape:gone', 'delete'],
    ])
    expect(before.get('shape:b')).toBeUndefined()
    expect(after.get('shape:b')).toMatchObject({ x: 5 })
    expect(before.get('shape:a')).toMatchObject({ x: 0 })
    expect(after.get('shape:a')).toMatchObject({ x: 40 })
    expect(after.get('shape:gone')).toBeUndefined()
    expect([...after.referrerIds!('page:page')].sort()).toEqual(['shape:a', 'shape:b'])
    expect([...before.referrerIds!('page:page')].sort()).toEqual(['shape:a', 'shape:gone'])
  })

  it('keeps both boards as they were while the room commits the push', () => {
    const { storage } = boardOf(note('shape:a', 0, 0), group('shape:g'))
    const reading = readPush(storage, {
      'shape:a': ['patch', { parentId: ['put', 'shape:g'] }],
      'shape:g': ['patch', { x: ['put', 300] }],
    })
    if (reading.kind !== 'read') throw new Error(reading.reason)
    const { before, after } = reading.push
    // The room writes the push into the storage (half of it, then all of it).
    storage.transaction((txn) =>
      txn.set('shape:a', { ...note('shape:a', 0, 0), parentId: 'shape:g' } as unknown as TLShape),
    )
    storage.transaction((txn) =>
      txn.set('shape:g', { ...group('shape:g'), x: 300 } as unknown as TLShape),
    )
    expect(before.get('shape:g')).toMatchObject({ x: 0 })
    expect([...before.referrerIds!('shape:g')]).toEqual([])
    expect([...before.referrerIds!('page:page')].sort()).toEqual(['shape:a', 'shape:g'])
    expect([...after.referrerIds!('shape:g')]).toEqual(['shape:a'])
    expect([...after.referrerIds!('page:page')]).toEqual(['shape:g'])
  })

  it('leaves to the room what it cannot read', () => {
    const { storage } = boardOf(note('shape:a'))
    expect(readPush(storage, { 'shape:x': ['put', note('shape:y')] }).kind).toBe('unread')
    expect(readPush(storage, { 'shape:a': ['put', { ...page, id: 'shape:a' }] }).kind).toBe(
      'unread',
    )
    expect(readPush(storage, { 'shape:a': ['append', 1] }).kind).toBe('unread')
    expect(readPush(storage, { 'shape:a': 'remove' }).kind).toBe('unread')
    expect(readPush(storage, { 'shape:a': ['patch', { id: ['put', 'shape:b'] }] }).kind).toBe(
      'unread',
    )
  })
})

describe('judging a push as a whole', () => {
  it('takes children listed before their new parent, as tldraw sends a duplicate', () => {
    const { judge, rules } = boardOf()
    const duplicate = {
      ...put(note('shape:c1', 10, 10, 'shape:g')),
      ...put(note('shape:c2', 220, 10, 'shape:g')),
      ...put(group('shape:g', 500, 500)),
    }
    expect(judge(duplicate)).toBe('allowed')
    expect(judge(duplicate, 'facilitator')).toBe('allowed')
    // One record at a time, against the board as it stands, the first child has no parent.
    const session = { sessionId: 's', isReadonly: false, meta: { role: 'participant' as const } }
    const child = note('shape:c1', 10, 10, 'shape:g') as unknown as TLShape
    expect(rules.shape({ session, type: 'create', prev: null, next: child })).toBeNull()
  })

  it('still refuses a missing or deleted parent, a loop, and a chain past the depth cap', () => {
    const { judge } = boardOf(group('shape:old'))
    expect(judge(put(note('shape:c', 0, 0, 'shape:nowhere')))).toBe('refused')
    expect(judge({ ...put(note('shape:c', 0, 0, 'shape:old')), 'shape:old': ['remove'] })).toBe(
      'refused',
    )
    expect(
      judge({
        ...put(group('shape:x', 0, 0, 'shape:y')),
        ...put(group('shape:y', 0, 0, 'shape:x')),
      }),
    ).toBe('refused')
    const chain = (n: number) =>
      Object.assign(
        {},
        ...Array.from({ length: n }, (_, i) =>
          put(group(`shape:d${i}`, 0, 0, i === 0 ? 'page:page' : `shape:d${i - 1}`)),
        ),
      ) as Record<string, unknown>
    expect(judge(chain(RECORD_RULES.maxShapeDepth - 1))).toBe('allowed')
    expect(judge(chain(RECORD_RULES.maxShapeDepth + 1))).toBe('refused')
  })

  it('refuses a delete that leaves a child or a binding behind, and takes the whole', () => {
    const { judge } = boardOf(
      group('shape:g'),
      note('shape:c', 0, 0, 'shape:g'),
      arrow('shape:arrow'),
      arrowBinding('binding:b', 'shape:arrow', 'shape:c'),
    )
    expect(judge({ 'shape:g': ['remove'] })).toBe('refused')
    expect(judge({ 'shape:g': ['remove'], 'shape:c': ['remove'] })).toBe('refused')
    expect(judge({ 'shape:g': ['remove'], 'shape:c': ['remove'], 'binding:b': ['remove'] })).toBe(
      'allowed',
    )
    // Ungroup: the child goes to the page, the group goes.
    expect(
      judge({ 'shape:c': ['patch', { parentId: ['put', 'page:page'] }], 'shape:g': ['remove'] }),
    ).toBe('allowed')
  })

  it('takes a binding listed before the arrow and the sticky it joins', () => {
    const { judge } = boardOf()
    const paste = {
      ...put(arrowBinding('binding:new', 'shape:a2', 'shape:n2')),
      ...put(arrow('shape:a2')),
      ...put(note('shape:n2', 400, 400)),
    }
    expect(judge(paste)).toBe('allowed')
    expect(judge(put(arrowBinding('binding:new', 'shape:a2', 'shape:n2')))).toBe('refused')
  })

  it('judges a frozen frame by every shape a write carries, where the push leaves it', () => {
    const { judge } = boardOf(
      frozenFrame,
      group('shape:holding', -500, 300),
      note('shape:held', 600, 0, 'shape:holding'),
      group('shape:beside', -500, 900),
      note('shape:free', 600, 0, 'shape:beside'),
    )
    const move = (id: string, fields: Record<string, unknown>) => ({
      [id]: ['patch', Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, ['put', v]]))],
    })
    expect(judge(move('shape:holding', { x: 3000 }))).toBe('refused')
    expect(judge(move('shape:holding', { rotation: Math.PI }))).toBe('refused')
    expect(judge(move('shape:beside', { y: 300 }))).toBe('refused')
    expect(judge(move('shape:beside', { y: 1300 }))).toBe('allowed')
    expect(judge({ 'shape:holding': ['remove'], 'shape:held': ['remove'] })).toBe('refused')
    expect(
      judge({
        ...put(note('shape:new', 600, 0, 'shape:new-group')),
        ...put(group('shape:new-group', -500, 300)),
      }),
    ).toBe('refused')
    // The facilitator may.
    expect(judge(move('shape:holding', { x: 3000 }), 'facilitator')).toBe('allowed')
  })
})

describe('the push the rules read', () => {
  it('is the judged session’s, only while it is judged or committed', () => {
    const storage = new RoomStorage(snapshot([page]))
    const pushes = new PushJudge()
    const reading = readPush(storage, put(note('shape:n')))
    if (reading.kind !== 'read') throw new Error(reading.reason)
    const seen = pushes.during('s', reading.push, () => [pushes.views('s'), pushes.views('t')])
    expect(seen).toEqual([reading.push, null])
    expect(pushes.views('s')).toBeNull()
    expect(() =>
      pushes.during('s', reading.push, () => {
        throw new Error('the room threw')
      }),
    ).toThrow('the room threw')
    expect(pushes.views('s')).toBeNull()
  })
})

describe('the room storage’s index of who points at whom', () => {
  it('follows every write, and forgets those of a transaction that failed', () => {
    const storage = new RoomStorage(
      snapshot([page, group('shape:g'), note('shape:c', 0, 0, 'shape:g'), arrow('shape:a')]),
    )
    expect([...storage.referrerIds('shape:g')]).toEqual(['shape:c'])
    storage.transaction((txn) => {
      txn.set('shape:c', note('shape:c', 0, 0) as unknown as TLShape)
      txn.set('binding:b', arrowBinding('binding:b', 'shape:a', 'shape:c') as unknown as TLRecord)
    })
    expect([...storage.referrerIds('shape:g')]).toEqual([])
    expect([...storage.referrerIds('shape:c')]).toEqual(['binding:b'])
    expect([...storage.referrerIds('shape:a')]).toEqual(['binding:b'])
    expect(() =>
      storage.transaction((txn) => {
        txn.delete('binding:b')
        throw new Error('refused')
      }),
    ).toThrow('refused')
    expect([...storage.referrerIds('shape:c')]).toEqual(['binding:b'])
  })
})
