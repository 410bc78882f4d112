/**
 * Frozen frames: what a frozen frame holds (src/board/frozen.ts), the server's rules on it
 * (src/server/rules/roles.ts) and the room storage's index of frozen shapes (room-storage.ts).
 */
import { describe, expect, it } from 'vitest'
import type { TLRecordAuthorizer } from '@tldraw/sync-core'
import type { TLBinding, TLPage, TLRecord, TLShape } from '@tldraw/tlschema'
import type { Role } from '../../src/protocol'
import { frozenFrameHolding, frozenFrameIds } from '../../src/board/frozen'
import { penStroke, rectangle, text } from '../support/raw-records'
import { recordRules, type SessionMeta } from '../../src/server/rules/roles'
import { RoomStorage } from '../../src/server/core/room-storage'

const page = { id: 'page:page', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} } as TLPage
const page2 = { ...page, id: 'page:two' } as TLPage

const shape = (id: string, overrides: object = {}) =>
  ({
    id,
    typeName: 'shape',
    type: 'note',
    x: 0,
    y: 0,
    rotation: 0,
    index: 'a1',
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { scale: 1 },
    ...overrides,
  }) as TLShape

/** A frame 1000 × 600 at (0, 0): a template's (locked background) unless told otherwise. */
const frame = (id: string, frozen: boolean, overrides: object = {}) =>
  shape(id, {
    type: 'frame',
    isLocked: true,
    meta: { switchback: { background: true, ...(frozen ? { frozen: true } : {}) } },
    props: { w: 1000, h: 600, name: 'Frame', color: 'black' },
    ...overrides,
  })

const note = (id: string, x: number, y: number, parentId = 'page:page') =>
  shape(id, { x, y, parentId })

function boardWith(...records: TLRecord[]) {
  const byId = new Map(records.map((r) => [r.id as string, r]))
  const frozenShapeIds = () => frozenFrameIds([...byId.values()].filter(isShape))
  const lookup = { get: (id: string) => byId.get(id), frozenShapeIds }
  return { records: byId, lookup, rules: recordRules(lookup) }
}
const isShape = (r: TLRecord): r is TLShape => r.typeName === 'shape'

const session = (role: Role) => ({ isReadonly: role === 'viewer', meta: { role }, sessionId: 's' })
const may = <R extends TLRecord>(rule: TLRecordAuthorizer<R, SessionMeta>, role: Role) => ({
  create: (next: R) => rule({ session: session(role), type: 'create', prev: null, next }) !== null,
  update: (prev: R, next: R) =>
    rule({ session: session(role), type: 'update', prev, next }) !== null,
  remove: (prev: R) => rule({ session: session(role), type: 'delete', prev, next: null }) !== null,
})

describe('what a frozen frame holds', () => {
  it('holds its descendants, the shapes over it, and the shapes that hold it', () => {
    const jobs = frame('shape:jobs', true)
    const open = frame('shape:open', false, { x: 2000 })
    const inside = note('shape:in', 100, 100)
    // A sticky over the edge is in it, one touching the edge from outside is not.
    const edge = note('shape:edge', 950, 100)
    const outside = note('shape:out', 1000, 100)
    const child = note('shape:child', 5000, 5000, 'shape:jobs')
    const group = shape('shape:group', { type: 'group', x: -500, y: -500, props: {} })
    const inGroup = frame('shape:ingroup', true, { parentId: 'shape:group', x: 3000 })
    const elsewhere = note('shape:page2', 100, 100, 'page:two')
    const { lookup } = boardWith(page, page2, jobs, open, inside, edge, outside, child)
    const ids = lookup.frozenShapeIds()
    const holding = (s: TLShape) => frozenFrameHolding(lookup, s, ids)
    expect(holding(inside)).toBe('shape:jobs')
    expect(holding(edge)).toBe('shape:jobs')
    expect(holding(outside)).toBeNull()
    expect(holding(child)).toBe('shape:jobs')
    expect(holding(elsewhere)).toBeNull()
    expect(holding(jobs)).toBeNull()
    // Over the unfrozen frame: not held.
    expect(holding(note('shape:o', 2100, 100))).toBeNull()

    const nested = boardWith(page, group, inGroup)
    expect(frozenFrameHolding(nested.lookup, group, nested.lookup.frozenShapeIds())).toBe(
      'shape:ingroup',
    )
  })

  it('follows parents’ positions and rotations to the page', () => {
    const jobs = frame('shape:jobs', true, { x: 1000, y: 1000, rotation: Math.PI / 2 })
    // Rotated a quarter turn about (1000, 1000), the frame covers x 400..1000, y 1000..2000.
    const below = note('shape:below', 600, 1400)
    const right = note('shape:right', 1100, 1400)
    const holder = shape('shape:holder', { type: 'group', x: 500, y: 1300, props: {} })
    const inHolder = note('shape:inholder', 100, 100, 'shape:holder')
    const { lookup } = boardWith(page, jobs, below, right, holder, inHolder)
    const ids = lookup.frozenShapeIds()
    expect(frozenFrameHolding(lookup, below, ids)).toBe('shape:jobs')
    expect(frozenFrameHolding(lookup, right, ids)).toBeNull()
    expect(frozenFrameHolding(lookup, inHolder, ids)).toBe('shape:jobs')
  })
})

describe('what lies over a frozen frame', () => {
  it('is decided by the box a shape is drawn in, not its anchor', () => {
    const jobs = frame('shape:jobs', true)
    const { lookup } = boardWith(page, jobs)
    const holding = (s: unknown) => frozenFrameHolding(lookup, s as TLShape, ['shape:jobs'])
    // Each starts left of the frame (x -300) and reaches 100 into it, or stops at its edge.
    expect(holding(rectangle('shape:r', -300, 100, 400, 200))).toBe('shape:jobs')
    expect(holding(rectangle('shape:r', -300, 100, 300, 200))).toBeNull()
    expect(holding(text('shape:t', -300, 100, 400, 'Over it'))).toBe('shape:jobs')
    expect(holding(text('shape:t', -300, 100, 300, 'Beside it'))).toBeNull()
    const stroke = [
      { x: 0, y: 0 },
      { x: 400, y: 20 },
    ]
    expect(holding(penStroke('shape:p', -300, 100, stroke))).toBe('shape:jobs')
    expect(holding(penStroke('shape:p', -300, -200, stroke))).toBeNull()
    // A rectangle around the whole frame covers it.
    expect(holding(rectangle('shape:r', -100, -100, 1200, 800))).toBe('shape:jobs')
    // Turned a quarter about its origin left of the frame, the rectangle points away from it.
    expect(holding({ ...rectangle('shape:r', -100, 300, 400, 50), rotation: Math.PI })).toBeNull()
  })
})

describe('the frozen-frame rule', () => {
  const jobs = frame('shape:jobs', true)
  const open = frame('shape:open', false, { x: 2000, isLocked: false, meta: {} })
  const inside = note('shape:in', 100, 100)
  const outside = note('shape:out', 1200, 100)
  const child = note('shape:child', 100, 100, 'shape:jobs')
  const board = () => boardWith(page, jobs, open, inside, outside, child)

  it('refuses a participant’s edit, move out, delete, or new shape in a frozen frame', () => {
    const participant = may(board().rules.shape, 'participant')
    expect(participant.update(inside, { ...inside, x: 120 })).toBe(false)
    expect(participant.update(inside, { ...inside, x: 1200 })).toBe(false)
    expect(participant.update(inside, { ...inside, meta: { mine: true } })).toBe(false)
    expect(participant.remove(inside)).toBe(false)
    expect(participant.update(child, { ...child, parentId: page.id, x: 1200 })).toBe(false)
    expect(participant.remove(child)).toBe(false)
    // Into it: dropped on it, moved onto it, or parented to it.
    expect(participant.create(note('shape:new', 300, 300))).toBe(false)
    expect(participant.create(note('shape:new', 3000, 3000, 'shape:jobs'))).toBe(false)
    expect(participant.update(outside, { ...outside, x: 400 })).toBe(false)
    expect(participant.update(outside, { ...outside, parentId: jobs.id })).toBe(false)
  })

  it('lets a participant work outside it, and the facilitator anywhere', () => {
    const { rules } = board()
    const participant = may(rules.shape, 'participant')
    expect(participant.update(outside, { ...outside, x: 1300 })).toBe(true)
    expect(participant.create(note('shape:new', 2100, 100, 'shape:open'))).toBe(true)
    expect(participant.remove(outside)).toBe(true)
    const facilitator = may(rules.shape, 'facilitator')
    expect(facilitator.update(inside, { ...inside, x: 1200 })).toBe(true)
    expect(facilitator.create(note('shape:new', 300, 300))).toBe(true)
    expect(facilitator.remove(child)).toBe(true)
  })

  it('leaves freezing and unfreezing to the facilitator', () => {
    const { rules } = board()
    const thawed = { ...jobs, meta: { switchback: { background: true } } }
    const freezing = { ...open, meta: { switchback: { frozen: true } } }
    expect(may(rules.shape, 'participant').update(jobs, thawed)).toBe(false)
    expect(may(rules.shape, 'participant').update(open, freezing)).toBe(false)
    expect(may(rules.shape, 'facilitator').update(jobs, thawed)).toBe(true)
    expect(may(rules.shape, 'facilitator').update(open, freezing)).toBe(true)
  })

  it('refuses a participant’s arrow bound to a shape in a frozen frame', () => {
    const arrow = shape('shape:arrow', { type: 'arrow', x: 1200, y: 500, props: {} })
    const { rules } = boardWith(page, jobs, inside, outside, arrow)
    const bind = (toId: string) =>
      ({
        id: 'binding:b',
        typeName: 'binding',
        type: 'arrow',
        fromId: arrow.id,
        toId,
        meta: {},
      }) as TLBinding
    expect(may(rules.binding, 'participant').create(bind(outside.id))).toBe(true)
    expect(may(rules.binding, 'participant').create(bind(inside.id))).toBe(false)
    expect(may(rules.binding, 'facilitator').create(bind(inside.id))).toBe(true)
  })

  it('tells the room whose write a frozen frame refused', () => {
    const { lookup } = board()
    const told: string[] = []
    const rules = recordRules(lookup, { frozenRefused: (id) => told.push(id) })
    expect(may(rules.shape, 'participant').remove(inside)).toBe(false)
    expect(may(rules.shape, 'participant').remove(outside)).toBe(true)
    expect(told).toEqual(['s'])
  })
})

describe('the room storage’s index of frozen shapes', () => {
  const snapshot = (...records: TLRecord[]) => ({
    clock: 0,
    documentClock: 0,
    documents: records.map((state) => ({ state, lastChangedClock: 0 })),
    schema: undefined as never,
  })

  it('starts from the stored board and follows every write', () => {
    const storage = new RoomStorage(snapshot(page, frame('shape:a', true), frame('shape:b', false)))
    expect([...storage.frozenShapeIds()]).toEqual(['shape:a'])
    storage.transaction((txn) => {
      txn.set('shape:b', frame('shape:b', true))
      txn.set('shape:a', frame('shape:a', false))
    })
    expect([...storage.frozenShapeIds()]).toEqual(['shape:b'])
    storage.transaction((txn) => txn.delete('shape:b'))
    expect([...storage.frozenShapeIds()]).toEqual([])
  })

  it('forgets the writes of a transaction that failed', () => {
    const storage = new RoomStorage(snapshot(page, frame('shape:a', false)))
    expect(() =>
      storage.transaction((txn) => {
        txn.set('shape:a', frame('shape:a', true))
        throw new Error('refused')
      }),
    ).toThrow('refused')
    expect([...storage.frozenShapeIds()]).toEqual([])
  })
})
