/**
 * Raised hands: the rules (own hand only, a place kept, the server's clock, the limit), the
 * view each session gets (the queue is the facilitator's), and the hub around them: who is
 * sent what when a hand goes up, a hand that goes down when its person has left, a restart.
 */
import { describe, expect, it } from 'vitest'
import type { AgendaSection } from '../../src/board/agenda'
import { BIG_ROOM_LIMITS } from '../../src/protocol/big-rooms'
import type { FacilitationMessage } from '../../src/protocol/facilitation'
import type { Role } from '../../src/protocol'
import { Facilitation } from '../../src/server/workshop/facilitation'
import {
  INITIAL_STATE,
  applyAction,
  type FacilitationState,
} from '../../src/server/workshop/facilitation-state'
import { HAND_AWAY_MS, handsView, lowerHands } from '../../src/server/workshop/hands'
import { HandAlerts } from '../../src/hands/hand-alerts'
import { handLabel, ordinal, waited } from '../../src/hands/hands'
import { MemoryStorage } from './memory-storage'

const agenda: AgendaSection[] = []
const as = (personId: string | null, name: string, now: number) => ({
  now,
  actor: { personId, name },
  agenda,
})

/** Applies actions in turn, each expected to change the state. */
function run(
  steps: [Parameters<typeof applyAction>[1], ReturnType<typeof as>][],
  state: FacilitationState = INITIAL_STATE,
): FacilitationState {
  for (const [action, context] of steps) {
    const outcome = applyAction(state, action, context)
    if (outcome.kind !== 'changed') throw new Error(`${action.type}: ${outcome.kind}`)
    state = outcome.state
  }
  return state
}

describe('raised hands: the rules', () => {
  const raise = { type: 'hand-raise' } as const

  it('queues hands in the order they reach the server, on its clock; raising again keeps the place', () => {
    const state = run([
      [raise, as('p-ana', 'Ana', 1_000)],
      [raise, as('p-ben', 'Ben', 2_000)],
      [raise, as('p-chen', 'Chen', 3_000)],
    ])
    expect(state.hands).toEqual([
      { personId: 'p-ana', name: 'Ana', raisedAt: 1_000 },
      { personId: 'p-ben', name: 'Ben', raisedAt: 2_000 },
      { personId: 'p-chen', name: 'Chen', raisedAt: 3_000 },
    ])
    expect(applyAction(state, raise, as('p-ana', 'Ana', 9_000))).toEqual({ kind: 'unchanged' })
    // A new name is taken, the place and the time are kept.
    const renamed = run([[raise, as('p-ana', 'Ana M.', 9_000)]], state)
    expect(renamed.hands[0]).toEqual({ personId: 'p-ana', name: 'Ana M.', raisedAt: 1_000 })
  })

  it('lowers one’s own, anyone’s for the facilitator, or all; a hand already down changes nothing', () => {
    const up = run([
      [raise, as('p-ana', 'Ana', 1)],
      [raise, as('p-ben', 'Ben', 2)],
      [raise, as('p-chen', 'Chen', 3)],
    ])
    const own = run([[{ type: 'hand-lower' }, as('p-ben', 'Ben', 4)]], up)
    expect(own.hands.map((h) => h.personId)).toEqual(['p-ana', 'p-chen'])
    const forOne = run([[{ type: 'hand-lower-for', personId: 'p-ana' }, as('p-f', 'Fran', 5)]], own)
    expect(forOne.hands.map((h) => h.personId)).toEqual(['p-chen'])
    expect(run([[{ type: 'hands-clear' }, as('p-f', 'Fran', 6)]], forOne).hands).toEqual([])
    for (const action of [
      { type: 'hand-lower' },
      { type: 'hand-lower-for', personId: 'p-ana' },
    ] as const) {
      expect(applyAction(forOne, action, as('p-ana', 'Ana', 7))).toEqual({ kind: 'unchanged' })
    }
    expect(applyAction(INITIAL_STATE, { type: 'hands-clear' }, as('p-f', 'F', 8))).toEqual({
      kind: 'unchanged',
    })
  })

  it('refuses a hand with nobody behind it, and past the limit', () => {
    expect(applyAction(INITIAL_STATE, raise, as(null, 'Anonymous', 1))).toMatchObject({
      kind: 'refused',
    })
    const full = {
      ...INITIAL_STATE,
      hands: Array.from({ length: BIG_ROOM_LIMITS.maxHands }, (_, i) => ({
        personId: `p-${i}`,
        name: `P ${i}`,
        raisedAt: i,
      })),
    }
    expect(applyAction(full, raise, as('p-new', 'New', 1))).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/hands are up already/),
    })
  })

  it('shows the queue to the facilitator alone; a participant their place, and the count while up', () => {
    const state = run([
      [raise, as('p-ana', 'Ana', 1)],
      [raise, as('p-ben', 'Ben', 2)],
    ])
    expect(handsView(state, { personId: 'p-f', facilitator: true })).toEqual({
      queue: state.hands,
      mine: null,
      count: 2,
    })
    expect(handsView(state, { personId: 'p-ben', facilitator: false })).toEqual({
      queue: [],
      mine: 2,
      count: 2,
    })
    expect(handsView(state, { personId: 'p-dan', facilitator: false })).toEqual({
      queue: [],
      mine: null,
      count: null,
    })
    expect(handsView(state, { personId: null, facilitator: false }).mine).toBeNull()
  })

  it('lowers the hands of those who left, keeping the others’ order', () => {
    const state = run([
      [raise, as('p-ana', 'Ana', 1)],
      [raise, as('p-ben', 'Ben', 2)],
      [raise, as('p-chen', 'Chen', 3)],
    ])
    expect(lowerHands(state, (id) => id === 'p-ben')?.hands.map((h) => h.name)).toEqual([
      'Ana',
      'Chen',
    ])
    expect(lowerHands(state, () => false)).toBeNull()
  })
})

describe('raised hands: the hub', () => {
  function hub(storage = new MemoryStorage(), start = 10_000) {
    const sent: { sessionId: string; message: FacilitationMessage }[] = []
    const timers: { at: number; task: () => void }[] = []
    let now = start
    const facilitation = new Facilitation({
      storage,
      now: () => now,
      agenda: () => agenda,
      send: (sessionId, message) => sent.push({ sessionId, message }),
      record: () => undefined,
      later: (task, ms) => void timers.push({ at: now + ms, task }),
    })
    const join = (sessionId: string, role: Role, personId: string) => {
      facilitation.join(sessionId, { role, personId, author: `author-${personId}` })
      const welcome = sent.findLast(
        (s) => s.sessionId === sessionId && s.message.type === 'welcome',
      )
      if (welcome?.message.type !== 'welcome') throw new Error('no welcome')
      return welcome.message.token
    }
    const states = (sessionId: string) =>
      sent.flatMap((s) =>
        s.sessionId === sessionId && s.message.type === 'state' ? [s.message.view] : [],
      )
    /** Moves the clock on, running the timers that come due (and waiting for what they do). */
    const tick = async (ms: number) => {
      now += ms
      for (const timer of timers.splice(0).sort((a, b) => a.at - b.at)) {
        if (timer.at <= now) timer.task()
        else timers.push(timer)
      }
      await facilitation.act('no-token', {})
      await new Promise((wake) => setTimeout(wake, 0))
    }
    return { storage, facilitation, join, states, tick }
  }
  const raise = { type: 'hand-raise' } as const

  it('keeps the order, stored before it is acknowledged, and refuses a hand raised for someone else', async () => {
    const h = hub()
    const fran = h.join('s-f', 'facilitator', 'person-fran')
    const ana = h.join('s-a', 'participant', 'person-ana1')
    const ben = h.join('s-b', 'participant', 'person-ben1')
    await h.facilitation.act(ana, { type: 'name', name: 'Ana' })
    expect(await h.facilitation.act(ben, { type: 'hand-raise', personId: 'person-ana1' })).toEqual(
      expect.objectContaining({ ok: false, status: 400 }),
    )
    expect(await h.facilitation.act(ben, raise)).toEqual({ ok: true })
    expect(await h.facilitation.act(ana, raise)).toEqual({ ok: true })
    expect(
      await h.facilitation.act(ana, { type: 'hand-lower-for', personId: 'person-ben1' }),
    ).toMatchObject({ ok: false, status: 403 })
    expect(await h.facilitation.act(ana, { type: 'hands-clear' })).toMatchObject({ status: 403 })
    const stored = (await h.storage.get('facilitation')) as FacilitationState
    expect(stored.hands.map((hand) => [hand.name, hand.raisedAt])).toEqual([
      ['Anonymous', 10_000],
      ['Ana', 10_000],
    ])
    expect(h.states('s-a').at(-1)?.hands).toEqual({ queue: [], mine: 2, count: 2 })
    expect(
      h
        .states('s-f')
        .at(-1)
        ?.hands.queue.map((hand) => hand.personId),
    ).toEqual(['person-ben1', 'person-ana1'])
    expect(
      await h.facilitation.act(fran, { type: 'hand-lower-for', personId: 'person-ben1' }),
    ).toEqual({ ok: true })
    expect(h.states('s-a').at(-1)?.hands.mine).toBe(1)
    // Renamed with a hand up: the queue says the new name, in the same place.
    await h.facilitation.act(ana, { type: 'name', name: 'Ana María' })
    await h.tick(1_000)
    expect(h.states('s-f').at(-1)?.hands.queue).toEqual([
      { personId: 'person-ana1', name: 'Ana María', raisedAt: 10_000 },
    ])
  })

  it('sends a hand going up to the facilitators and the hands up, not to everyone', async () => {
    const h = hub()
    h.join('s-f', 'facilitator', 'person-fran')
    const tokens = Array.from({ length: 20 }, (_, i) =>
      h.join(`s-${i}`, 'participant', `person-p${i}`),
    )
    await h.tick(1_000)
    const before = (sessionId: string) => h.states(sessionId).length
    const quiet = before('s-19')
    await h.facilitation.act(tokens[0]!, raise)
    await h.facilitation.act(tokens[1]!, raise)
    await h.tick(1_000)
    expect(h.states('s-f').at(-1)?.hands.count).toBe(2)
    expect(h.states('s-0').at(-1)?.hands).toEqual({ queue: [], mine: 1, count: 2 })
    expect(h.states('s-1').at(-1)?.hands.mine).toBe(2)
    // Someone with their hand down was sent nothing at all.
    expect(before('s-19')).toBe(quiet)
    expect(h.states('s-19').at(-1)?.hands).toEqual({ queue: [], mine: null, count: null })
  })

  it('lowers a hand once none of its person’s sockets has been here for a while; a reload keeps it', async () => {
    const h = hub()
    const fran = h.join('s-f', 'facilitator', 'person-fran')
    const ana = h.join('s-a', 'participant', 'person-ana1')
    const ben = h.join('s-b', 'participant', 'person-ben1')
    await h.facilitation.act(ana, raise)
    await h.facilitation.act(ben, raise)
    // Ana reloads (her socket goes and a new one comes): her place is kept.
    h.facilitation.leave('s-a')
    await h.tick(HAND_AWAY_MS / 2)
    h.join('s-a2', 'participant', 'person-ana1')
    // Ben leaves for good.
    h.facilitation.leave('s-b')
    await h.tick(HAND_AWAY_MS - 1)
    expect(h.states('s-f').at(-1)?.hands.count).toBe(2)
    await h.tick(1)
    await h.tick(1_000)
    expect(
      h
        .states('s-f')
        .at(-1)
        ?.hands.queue.map((hand) => hand.personId),
    ).toEqual(['person-ana1'])
    expect(((await h.storage.get('facilitation')) as FacilitationState).hands).toHaveLength(1)
    expect(await h.facilitation.act(fran, { type: 'hands-clear' })).toEqual({ ok: true })
  })

  it('keeps the order across a restart, giving everyone the same while to come back', async () => {
    const first = hub()
    const ana = first.join('s-a', 'participant', 'person-ana1')
    const ben = first.join('s-b', 'participant', 'person-ben1')
    await first.facilitation.act(ben, raise)
    await first.facilitation.act(ana, raise)
    const again = hub(first.storage, 50_000)
    await again.facilitation.load()
    again.join('s-f', 'facilitator', 'person-fran')
    again.join('s-b2', 'participant', 'person-ben1')
    expect(
      again
        .states('s-f')
        .at(-1)
        ?.hands.queue.map((hand) => hand.personId),
    ).toEqual(['person-ben1', 'person-ana1'])
    // Ana never comes back; Ben did.
    await again.tick(HAND_AWAY_MS)
    await again.tick(1_000)
    expect(
      again
        .states('s-f')
        .at(-1)
        ?.hands.queue.map((hand) => hand.personId),
    ).toEqual(['person-ben1'])
  })

  it('fits the longest queue in the workshop’s one stored value', async () => {
    const h = hub()
    const name = 'ü'.repeat(60)
    const fran = h.join('s-f', 'facilitator', 'person-fran')
    for (let i = 0; i < BIG_ROOM_LIMITS.maxHands; i++) {
      const id = `p${String(i).padStart(63, '0')}`
      const token = h.join(`s-${i}`, 'participant', id)
      await h.facilitation.act(token, { type: 'name', name })
      expect(await h.facilitation.act(token, raise)).toEqual({ ok: true })
    }
    await h.tick(1_000)
    expect(h.storage.largestValue).toBeLessThan(100 * 1024)
    expect(h.states('s-f').at(-1)?.hands.count).toBe(BIG_ROOM_LIMITS.maxHands)
    expect(await h.facilitation.act(fran, { type: 'hands-clear' })).toEqual({ ok: true })
  })
})

describe('raised hands: the words in the browser', () => {
  it('says places and waits as people read them', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ])
    expect([0, 999, 7_000, 65_000, 3_723_000, -5].map(waited)).toEqual([
      '0:00',
      '0:00',
      '0:07',
      '1:05',
      '1:02:03',
      '0:00',
    ])
    expect(handLabel({ queue: [], mine: 2, count: 3 })).toBe('Hand up · 2nd')
    expect(handLabel({ queue: [], mine: null, count: null })).toBe('Raise hand')
  })

  it('announces each new hand once, not the ones up when the page opened', () => {
    const hand = (personId: string) => ({ personId, name: personId, raisedAt: 0 })
    const alerts = new HandAlerts()
    expect(alerts.fresh([hand('a'), hand('b')])).toEqual([])
    expect(alerts.fresh([hand('a'), hand('b'), hand('c')])).toEqual([hand('c')])
    expect(alerts.fresh([hand('b'), hand('c')])).toEqual([])
    // Ana lowered and raised again: news again.
    expect(alerts.fresh([hand('b'), hand('c'), hand('a')])).toEqual([hand('a')])
  })
})
