/**
 * Breakout groups: the rules (start, move, pick, message, send, end), the balance of a random
 * start, a latecomer put in the smallest group, and what each role's view holds; then the hub
 * on memory storage: who is sent a ready change, names, latecomers and a restart.
 */
import { describe, expect, it } from 'vitest'
import type { FacilitationMessage } from '../../src/protocol/facilitation'
import type { Role } from '../../src/protocol'
import { BIG_ROOM_LIMITS } from '../../src/protocol/big-rooms'
import { Facilitation } from '../../src/server/workshop/facilitation'
import {
  INITIAL_STATE,
  applyAction,
  type ActionContext,
  type FacilitationState,
} from '../../src/server/workshop/facilitation-state'
import { assignLatecomer, breakoutView, breakoutViews } from '../../src/server/workshop/breakouts'
import { MemoryStorage } from './memory-storage'

const FRAMES = ['shape:source', 'shape:g1', 'shape:g2', 'shape:g3']
const groups = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ frameId: `shape:g${i + 1}`, label: `Group ${i + 1}` }))
const people = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ personId: `person-${i}`, name: `P${i}` }))

const start = (n: number, assign: 'random' | 'choose' = 'random') => ({
  type: 'breakout-start' as const,
  source: 'shape:source',
  groups: groups(n),
  assign,
})

function context(over: Partial<ActionContext> = {}): ActionContext {
  let seed = 1
  return {
    now: 5_000,
    actor: { personId: 'person-fac', name: 'Fran' },
    agenda: [],
    isFrame: (id) => FRAMES.includes(id),
    present: people(7),
    // A fixed sequence, so a shuffle is the same each run.
    random: () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646,
    ...over,
  }
}

function changed(state: FacilitationState, action: unknown, ctx = context()) {
  const outcome = applyAction(state, action as never, ctx)
  if (outcome.kind !== 'changed') throw new Error(`expected a change: ${JSON.stringify(outcome)}`)
  return outcome
}

const sizes = (state: FacilitationState) => {
  const out = state.breakouts!.groups.map(() => 0)
  for (const g of Object.values(state.breakouts!.members)) out[g]!++
  return out
}

describe('breakout rules', () => {
  it('starts random breakouts balanced, keeps the names, resets the ready check and summons each', () => {
    const before = { ...INITIAL_STATE, done: ['person-0'] }
    const outcome = changed(before, start(3))
    const { breakouts, done } = outcome.state
    expect(done).toEqual([])
    expect(sizes(outcome.state)).toEqual([3, 2, 2])
    expect(breakouts?.names['person-4']).toBe('P4')
    expect(breakouts).toMatchObject({ source: 'shape:source', startedAt: 5_000, message: null })
    expect(outcome.summonEach).toHaveLength(7)
    for (const { personId, focus } of outcome.summonEach!) {
      expect(focus).toBe(`shape:g${breakouts!.members[personId]! + 1}`)
    }
    // The shuffle is random: another sequence gives other groups, balanced all the same.
    const other = changed(before, start(3), context({ random: () => 0.99 }))
    expect(other.state.breakouts?.members).not.toEqual(breakouts?.members)
    expect(sizes(other.state).sort()).toEqual([2, 2, 3])
  })

  it('balances any number of people: group sizes differ by at most one', () => {
    for (const n of [0, 1, 2, 5, 12, 13, 200]) {
      for (const g of [2, 3]) {
        const s = sizes(changed(INITIAL_STATE, start(g), context({ present: people(n) })).state)
        expect(Math.max(...s) - Math.min(...s), `${n} into ${g}`).toBeLessThanOrEqual(1)
        expect(s.reduce((a, b) => a + b)).toBe(n)
      }
    }
  })

  it('refuses a start that is not on frames, on the same frame twice, or while one runs', () => {
    const refusals: [object, RegExp][] = [
      [{ ...start(2), source: 'shape:sticky' }, /source is not a frame/],
      [{ ...start(2), groups: [...groups(1), { frameId: 'shape:gone', label: 'B' }] }, /B’s copy/],
      [{ ...start(2), groups: [...groups(1), { frameId: 'shape:g1', label: 'B' }] }, /of its own/],
      [{ ...start(2), groups: [{ frameId: 'shape:source', label: 'A' }, ...groups(1)] }, /own/],
    ]
    for (const [action, reason] of refusals) {
      expect(applyAction(INITIAL_STATE, action as never, context())).toEqual({
        kind: 'refused',
        reason: expect.stringMatching(reason),
      })
    }
    // No board records: nothing is a frame.
    expect(applyAction(INITIAL_STATE, start(2), context({ isFrame: undefined }))).toMatchObject({
      kind: 'refused',
    })
    const running = changed(INITIAL_STATE, start(2)).state
    expect(applyAction(running, start(2), context())).toEqual({
      kind: 'refused',
      reason: 'Breakouts are already running: end them first.',
    })
  })

  it('assigns nobody when people pick; a pick (again) moves you; a random start refuses picks', () => {
    const choose = changed(INITIAL_STATE, start(2, 'choose'))
    expect(choose.state.breakouts?.members).toEqual({})
    expect(choose.summonEach).toEqual([])
    const pia = context({ actor: { personId: 'person-1', name: 'ignored' } })
    let state = changed(choose.state, { type: 'breakout-pick', group: 1 }, pia).state
    expect(state.breakouts?.members).toEqual({ 'person-1': 1 })
    expect(state.breakouts?.names).toEqual({ 'person-1': 'P1' })
    const again = changed(state, { type: 'breakout-pick', group: 0 }, pia)
    expect(again.summonEach).toEqual([{ personId: 'person-1', focus: 'shape:g1' }])
    state = again.state
    expect(state.breakouts?.members).toEqual({ 'person-1': 0 })
    expect(applyAction(state, { type: 'breakout-pick', group: 0 }, pia)).toEqual({
      kind: 'unchanged',
    })
    expect(applyAction(state, { type: 'breakout-pick', group: 5 }, pia)).toEqual({
      kind: 'refused',
      reason: 'There is no group 6.',
    })
    const random = changed(INITIAL_STATE, start(2)).state
    expect(applyAction(random, { type: 'breakout-pick', group: 0 }, pia)).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/facilitator assigns/),
    })
  })

  it('moves a person on the board or assigned, to a group that exists, and summons them', () => {
    const state = changed(INITIAL_STATE, start(2)).state
    const group = state.breakouts!.members['person-0']!
    const move = changed(state, { type: 'breakout-move', personId: 'person-0', group: 1 - group })
    expect(move.state.breakouts?.members['person-0']).toBe(1 - group)
    expect(move.summonEach).toEqual([{ personId: 'person-0', focus: `shape:g${2 - group}` }])
    // Someone who left keeps a group and can still be moved.
    const gone = context({ present: [] })
    expect(
      changed(move.state, { type: 'breakout-move', personId: 'person-0', group }, gone).state
        .breakouts?.members['person-0'],
    ).toBe(group)
    expect(
      applyAction(state, { type: 'breakout-move', personId: 'person-nobody', group: 0 }, context()),
    ).toEqual({ kind: 'refused', reason: 'That person is not on the board.' })
    expect(
      applyAction(state, { type: 'breakout-move', personId: 'person-0', group: 2 }, context()),
    ).toEqual({ kind: 'refused', reason: 'There is no group 3.' })
  })

  it('stores a message with the server’s time, sends everyone back, and ends', () => {
    for (const type of ['breakout-message', 'breakout-send', 'breakout-end', 'breakout-pick']) {
      expect(applyAction(INITIAL_STATE, { type, text: 'x', group: 0 } as never, context())).toEqual(
        { kind: 'refused', reason: 'No breakouts are running.' },
      )
    }
    let state = changed(INITIAL_STATE, start(2)).state
    state = changed(
      state,
      { type: 'breakout-message', text: '5 minutes left' },
      context({ now: 9_000 }),
    ).state
    expect(state.breakouts?.message).toEqual({ text: '5 minutes left', at: 9_000 })
    const send = changed(state, { type: 'breakout-send' })
    expect(send.state).toBe(state)
    expect(send.summonEach).toHaveLength(7)
    expect(changed(state, { type: 'breakout-end' }).state.breakouts).toBeNull()
  })

  it('puts a latecomer in the smallest group (ties: the lowest), once, only in random breakouts', () => {
    let state = changed(INITIAL_STATE, start(3), context({ present: people(4) })).state
    expect(sizes(state)).toEqual([2, 1, 1])
    const late = assignLatecomer(state, { personId: 'person-late', name: 'Lee' })
    if (late.kind !== 'changed') throw new Error('not seated')
    expect(late.state.breakouts?.members['person-late']).toBe(1)
    expect(late.summonEach).toEqual([{ personId: 'person-late', focus: 'shape:g2' }])
    state = late.state
    const next = assignLatecomer(state, { personId: 'person-later', name: '' })
    expect(next.kind === 'changed' && next.state.breakouts?.members['person-later']).toBe(2)
    expect(next.kind === 'changed' && next.state.breakouts?.names['person-later']).toBe('Anonymous')
    expect(assignLatecomer(state, { personId: 'person-late', name: 'Lee' })).toEqual({
      kind: 'unchanged',
    })
    const choose = changed(INITIAL_STATE, start(2, 'choose')).state
    expect(assignLatecomer(choose, { personId: 'person-x', name: 'X' })).toEqual({
      kind: 'unchanged',
    })
  })

  it('shows the facilitator every group; a participant only their own group’s names', () => {
    let state = changed(INITIAL_STATE, start(2), context({ present: people(4) })).state
    const [a, b] = ['person-0', 'person-1'].map((id) => state.breakouts!.members[id]!)
    const mate = Object.keys(state.breakouts!.members).find(
      (id) => id !== 'person-0' && state.breakouts!.members[id] === a,
    )!
    state = { ...state, done: ['person-0'] }
    // person-0 and their mate are here; the other group has one of two here.
    const here = new Set(['person-0', mate, 'person-1'])
    const views = breakoutViews(state, here)
    const fac = breakoutView(views, state, { personId: 'person-fac', facilitator: true })!
    expect(fac.mine).toBeNull()
    expect(fac.groups[a]).toMatchObject({ size: 2, ready: { done: 1, of: 2 } })
    expect(fac.groups[1 - a]?.members).toHaveLength(2)
    const own = breakoutView(views, state, { personId: 'person-0', facilitator: false })!
    expect(own.mine).toBe(a)
    expect(own.groups[a]?.members?.map((m) => m.personId).sort()).toEqual(['person-0', mate].sort())
    expect(own.groups[a]?.members?.every((m) => m.here)).toBe(true)
    expect(own.groups[a]?.ready).toEqual({ done: 1, of: 2 })
    const others = own.groups[1 - a]!
    expect(others).toEqual({
      label: `Group ${2 - a}`,
      frameId: `shape:g${2 - a}`,
      size: 2,
      members: null,
      ready: null,
    })
    const otherNames = fac.groups[1 - a]!.members!.map((m) => m.name)
    for (const name of otherNames) expect(JSON.stringify(own)).not.toContain(`"${name}"`)
    if (b !== a) {
      const theirs = breakoutView(views, state, { personId: 'person-1', facilitator: false })!
      expect(theirs.groups[b]?.ready).toEqual({ done: 0, of: 1 })
    }
    const outsider = breakoutView(views, state, { personId: null, facilitator: false })!
    expect(outsider.mine).toBeNull()
    expect(outsider.groups.every((g) => g.members === null && g.ready === null)).toBe(true)
    expect(breakoutViews(INITIAL_STATE, here)).toBeNull()
  })

  it('keeps the stored state under storage’s value limit with the most people and longest names', async () => {
    const many = Array.from({ length: BIG_ROOM_LIMITS.maxAssigned + 50 }, (_, i) => ({
      personId: `${'x'.repeat(60)}${String(i).padStart(4, '0')}`,
      name: 'é'.repeat(60),
    }))
    const state = changed(INITIAL_STATE, start(3), context({ present: many })).state
    expect(Object.keys(state.breakouts!.members)).toHaveLength(BIG_ROOM_LIMITS.maxAssigned)
    await new MemoryStorage().put({ facilitation: state })
  })
})

describe('breakouts in the hub', () => {
  function hub(storage = new MemoryStorage()) {
    const sent: { sessionId: string; message: FacilitationMessage }[] = []
    // Each reading of the clock a second on: states are never held back by the pacer here.
    let clock = 10_000
    const facilitation = new Facilitation({
      storage,
      now: () => (clock += 1_000),
      agenda: () => [],
      send: (sessionId, message) => sent.push({ sessionId, message }),
      record: (id) =>
        FRAMES.includes(id) ? { typeName: 'shape', type: 'frame' } : { typeName: 'shape' },
    })
    const join = (sessionId: string, role: Role, personId: string) => {
      facilitation.join(sessionId, { role, personId, author: `author-${personId}` })
      const welcome = sent.findLast(
        (s) => s.sessionId === sessionId && s.message.type === 'welcome',
      )
      if (welcome?.message.type !== 'welcome') throw new Error('no welcome')
      return welcome.message.token
    }
    const view = (sessionId: string) => {
      const last = sent.findLast((s) => s.sessionId === sessionId && s.message.type === 'state')
      return last?.message.type === 'state' ? last.message.view : null
    }
    const states = (sessionId: string) =>
      sent.filter((s) => s.sessionId === sessionId && s.message.type === 'state').length
    return { storage, sent, facilitation, join, view, states }
  }

  /** A facilitator and four participants, in two random groups of two. */
  async function running() {
    const h = hub()
    const fran = h.join('s-f', 'facilitator', 'person-fac')
    const tokens = ['a', 'b', 'c', 'd'].map((x) => h.join(`s-${x}`, 'participant', `person-${x}`))
    for (const [i, token] of tokens.entries()) {
      await h.facilitation.act(token, { type: 'name', name: `Name${'abcd'[i]}` })
    }
    expect(await h.facilitation.act(fran, start(2))).toEqual({ ok: true })
    const members = h.view('s-f')!.breakouts!.groups.map((g) => g.members!.map((m) => m.personId))
    const groupOf = (x: string) => members.findIndex((m) => m.includes(`person-${x}`))
    return { h, fran, tokens, members, groupOf }
  }

  it('sends a ready change only to the facilitators and the actor’s group', async () => {
    const { h, tokens, groupOf } = await running()
    const mate = ['b', 'c', 'd'].find((x) => groupOf(x) === groupOf('a'))!
    const stranger = ['b', 'c', 'd'].find((x) => groupOf(x) !== groupOf('a'))!
    const before = h.states(`s-${stranger}`)
    expect(await h.facilitation.act(tokens[0]!, { type: 'ready', done: true })).toEqual({
      ok: true,
    })
    expect(h.view('s-f')?.breakouts?.groups[groupOf('a')]?.ready).toEqual({ done: 1, of: 2 })
    expect(h.view(`s-${mate}`)?.breakouts?.groups[groupOf('a')]?.ready).toEqual({ done: 1, of: 2 })
    expect(h.states(`s-${stranger}`)).toBe(before)
  })

  it('lists a renamed member by the new name, stored only when it changed', async () => {
    const { h, tokens, groupOf } = await running()
    const stored = () =>
      (h.storage.data.get('facilitation') as FacilitationState).breakouts?.names['person-a']
    expect(stored()).toBe('Namea')
    await h.facilitation.act(tokens[0]!, { type: 'name', name: 'Ana' })
    expect(stored()).toBe('Ana')
    const members = h.view('s-f')?.breakouts?.groups[groupOf('a')]?.members
    expect(members?.find((m) => m.personId === 'person-a')?.name).toBe('Ana')
    const writes = h.storage.data.get('facilitation')
    await h.facilitation.act(tokens[0]!, { type: 'name', name: 'Ana' })
    expect(h.storage.data.get('facilitation')).toBe(writes)
  })

  it('seats a latecomer in the smallest group, stored, and summons them; a reload keeps it', async () => {
    const { h, fran, groupOf } = await running()
    // Make the groups 3 and 1: the latecomer goes to the one with one.
    const from = groupOf('a')
    const mover = ['b', 'c', 'd'].find((x) => groupOf(x) !== from)!
    await h.facilitation.act(fran, {
      type: 'breakout-move',
      personId: `person-${mover}`,
      group: from,
    })
    h.join('s-late', 'participant', 'person-late')
    await expect.poll(() => h.view('s-late')?.breakouts?.mine).toBe(1 - from)
    const stored = h.storage.data.get('facilitation') as FacilitationState
    expect(stored.breakouts?.members['person-late']).toBe(1 - from)
    expect(h.sent).toContainEqual({
      sessionId: 's-late',
      message: { type: 'summon', bounds: null, focus: `shape:g${2 - from}` },
    })
    h.facilitation.leave('s-late')
    h.join('s-late2', 'participant', 'person-late')
    await expect.poll(() => h.view('s-late2')?.breakouts?.mine).toBe(1 - from)
    // A restart reads the same groups back.
    const again = new Facilitation({
      storage: h.storage,
      now: () => 20_000,
      agenda: () => [],
      send: (sessionId, message) => h.sent.push({ sessionId, message }),
    })
    await again.load()
    again.join('s-after', { role: 'participant', personId: 'person-late', author: 'author-late' })
    expect(h.view('s-after')?.breakouts?.mine).toBe(1 - from)
  })
})
