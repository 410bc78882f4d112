import { describe, expect, it } from 'vitest'
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import type { Role } from '../../src/protocol'
import { isFrozen } from '../../src/board/shape-meta'
import { recordRules } from '../../src/server/rules/roles'
import { OUTCOME_REFUSALS, outcomeProblem } from '../../src/server/rules/outcome-rules'

const page = { id: 'page:page', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} }
const sticky = (id: string, outcome?: unknown, overrides: object = {}) =>
  ({
    id,
    typeName: 'shape',
    type: 'note',
    x: 0,
    y: 0,
    rotation: 0,
    parentId: 'page:page',
    isLocked: false,
    meta: outcome === undefined ? {} : { switchback: { outcome } },
    props: {},
    ...overrides,
  }) as unknown as TLShape
const moved = (shape: TLShape) => ({ ...shape, x: shape.x + 50 }) as TLShape

const action = { kind: 'action', owner: 'Ana', due: '2026-12-24' }
const decision = { kind: 'decision' }

/** The shape rule of roles.ts on a board of `records`, with the reasons it gave. */
function shapeRule(...records: TLRecord[]) {
  const byId = new Map<string, TLRecord>([[page.id, page as TLRecord]])
  for (const r of records) byId.set(r.id, r)
  const reasons: string[] = []
  const rules = recordRules(
    {
      get: (id) => byId.get(id),
      frozenShapeIds: () =>
        [...byId.values()].filter((r) => r.typeName === 'shape' && isFrozen(r)).map((r) => r.id),
    },
    { contentRefused: (_, reason) => reasons.push(reason) },
  )
  const session = (role: Role) => ({
    isReadonly: role === 'viewer',
    meta: { role },
    sessionId: 's',
  })
  const ok = (verdict: unknown) => verdict !== null
  const as = (role: Role) => ({
    create: (next: TLShape) =>
      ok(rules.shape({ session: session(role), type: 'create', prev: null, next })),
    update: (prev: TLShape, next: TLShape) =>
      ok(rules.shape({ session: session(role), type: 'update', prev, next })),
    remove: (prev: TLShape) =>
      ok(rules.shape({ session: session(role), type: 'delete', prev, next: null })),
  })
  return { as, reasons }
}

describe('outcome marks', () => {
  it('lets a participant add, change and remove an action mark on their sticky', () => {
    const plain = sticky('shape:a')
    const { as, reasons } = shapeRule(plain)
    const p = as('participant')
    expect(p.update(plain, sticky('shape:a', action))).toBe(true)
    expect(p.update(sticky('shape:a', action), sticky('shape:a', { kind: 'action' }))).toBe(true)
    expect(p.update(sticky('shape:a', action), plain)).toBe(true)
    expect(p.create(sticky('shape:b', { kind: 'action', owner: 'Bo' }))).toBe(true)
    expect(p.remove(sticky('shape:a', action))).toBe(true)
    expect(reasons).toEqual([])
  })

  it('leaves decisions to the facilitator, and a decided sticky read-only for participants', () => {
    const plain = sticky('shape:a')
    const decided = sticky('shape:a', decision)
    const { as, reasons } = shapeRule(decided)
    const p = as('participant')
    expect(p.update(plain, decided), 'mark a decision').toBe(false)
    expect(p.create(sticky('shape:b', decision)), 'paste a decided sticky').toBe(false)
    expect(p.update(decided, plain), 'unmark a decision').toBe(false)
    expect(p.update(decided, sticky('shape:a', action)), 'turn it into an action').toBe(false)
    expect(p.update(decided, moved(decided)), 'move it').toBe(false)
    expect(p.remove(decided), 'delete it').toBe(false)
    expect(p.update(sticky('shape:a', action), decided), 'action to decision').toBe(false)
    expect(reasons).toContain(OUTCOME_REFUSALS.decision)
    expect(reasons).toContain(OUTCOME_REFUSALS.decided)

    const f = as('facilitator')
    expect(f.update(plain, decided)).toBe(true)
    expect(f.update(decided, moved(decided))).toBe(true)
    expect(f.update(decided, sticky('shape:a', action))).toBe(true)
    expect(f.update(decided, plain)).toBe(true)
    expect(f.remove(decided)).toBe(true)
  })

  it('refuses marks that are not sound, or not on a sticky, for every role', () => {
    const plain = sticky('shape:a')
    const rect = sticky('shape:r', undefined, { type: 'geo' })
    const { as, reasons } = shapeRule(plain, rect)
    for (const role of ['facilitator', 'participant'] as const) {
      const r = as(role)
      for (const bad of [
        { kind: 'action', owner: 'x'.repeat(61) },
        { kind: 'action', due: 'next week' },
        { kind: 'action', owner: '   ' },
        { kind: 'decision', owner: 'Ana' },
        { kind: 'vote' },
        'action',
        null,
      ]) {
        expect(r.update(plain, sticky('shape:a', bad)), `${role}: ${JSON.stringify(bad)}`).toBe(
          false,
        )
      }
      expect(r.update(rect, sticky('shape:r', action, { type: 'geo' })), 'a rectangle').toBe(false)
    }
    expect(reasons).toContain(OUTCOME_REFUSALS.invalid)
    expect(reasons).toContain(OUTCOME_REFUSALS.notSticky)
  })

  it('never lets a viewer write a mark', () => {
    const plain = sticky('shape:a')
    const { as } = shapeRule(plain)
    expect(as('viewer').update(plain, sticky('shape:a', action))).toBe(false)
  })

  it('does not stop an edit that leaves the mark as it was', () => {
    const marked = sticky('shape:a', action)
    expect(
      outcomeProblem('participant', { type: 'update', prev: marked, next: moved(marked) }),
    ).toBe(null)
    // An old malformed mark, unchanged, does not lock the sticky.
    const odd = sticky('shape:a', { kind: 'action', colour: 'red' })
    expect(outcomeProblem('participant', { type: 'update', prev: odd, next: moved(odd) })).toBe(
      null,
    )
  })
})
