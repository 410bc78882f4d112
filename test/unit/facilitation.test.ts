import { describe, expect, it } from 'vitest'
import type { AgendaSection } from '../../src/board/agenda'
import { FACILITATION_LIMITS, type FacilitationMessage } from '../../src/protocol/facilitation'
import type { Role } from '../../src/protocol'
import { Facilitation } from '../../src/server/workshop/facilitation'
import { INITIAL_STATE, applyAction, timeLeft } from '../../src/server/workshop/facilitation-state'
import { MemoryStorage } from './memory-storage'

const agenda: AgendaSection[] = [
  {
    instance: 'a1',
    templateId: 'retro',
    title: 'Retro',
    notes: '',
    steps: [
      { title: 'Went well', minutes: 5, instructions: 'Add stickies', focus: 'shape:a1-well' },
      { title: 'Vote', minutes: 3, instructions: 'Three dots each' },
    ],
  },
]
const facilitator = { personId: 'person-f1', name: 'Fran' }

describe('facilitation rules', () => {
  const at = (now: number) => ({ now, actor: facilitator, agenda })

  it('runs the timer on the server clock: start, pause, resume, add a minute, stop', () => {
    let state = INITIAL_STATE
    const step = (action: Parameters<typeof applyAction>[1], now: number) => {
      const outcome = applyAction(state, action, at(now))
      if (outcome.kind !== 'changed') throw new Error(`expected a change, got ${outcome.kind}`)
      state = outcome.state
    }
    step({ type: 'timer-start', durationMs: 300_000 }, 1_000)
    expect(timeLeft(state.timer, 61_000)).toBe(240_000)
    step({ type: 'timer-pause' }, 61_000)
    expect(timeLeft(state.timer, 999_999)).toBe(240_000)
    step({ type: 'timer-resume' }, 100_000)
    expect(timeLeft(state.timer, 100_000)).toBe(240_000)
    step({ type: 'timer-add-minute' }, 100_000)
    expect(timeLeft(state.timer, 100_000)).toBe(300_000)
    // Over time, a minute is a minute from now.
    expect(timeLeft(state.timer, 500_000)).toBe(-100_000)
    step({ type: 'timer-add-minute' }, 500_000)
    expect(timeLeft(state.timer, 500_000)).toBe(60_000)
    step({ type: 'timer-stop' }, 500_000)
    expect(state.timer).toEqual({ status: 'idle' })
  })

  it('refuses what makes no sense, saying why', () => {
    expect(applyAction(INITIAL_STATE, { type: 'timer-pause' }, at(0))).toMatchObject({
      kind: 'refused',
    })
    expect(applyAction(INITIAL_STATE, { type: 'timer-add-minute' }, at(0))).toMatchObject({
      kind: 'refused',
    })
    const missing = { type: 'step', step: { instance: 'a1', index: 7 }, bringEveryone: false }
    expect(applyAction(INITIAL_STATE, missing as never, at(0))).toMatchObject({ kind: 'refused' })
  })

  it('moves to a step, resets the ready check, and brings everyone to its focus on request', () => {
    const state = { ...INITIAL_STATE, done: ['person-p1'] }
    const quiet = applyAction(
      state,
      { type: 'step', step: { instance: 'a1', index: 1 }, bringEveryone: false },
      at(0),
    )
    expect(quiet).toMatchObject({ kind: 'changed', state: { done: [] } })
    expect(quiet).not.toHaveProperty('summonFocus', expect.anything())
    const summoning = applyAction(
      state,
      { type: 'step', step: { instance: 'a1', index: 0 }, bringEveryone: true },
      at(0),
    )
    expect(summoning).toMatchObject({ kind: 'changed', summonFocus: 'shape:a1-well' })
  })

  it('logs when each step began, once per change, keeping the newest', () => {
    let state = INITIAL_STATE
    const go = (index: number, now: number) => {
      const outcome = applyAction(
        state,
        { type: 'step', step: { instance: 'a1', index }, bringEveryone: false },
        at(now),
      )
      if (outcome.kind !== 'changed') throw new Error(`expected a change, got ${outcome.kind}`)
      state = outcome.state
    }
    go(0, 1_000)
    go(0, 2_000)
    go(1, 61_000)
    expect(state.stepLog).toEqual([
      { step: { instance: 'a1', index: 0 }, at: 1_000 },
      { step: { instance: 'a1', index: 1 }, at: 61_000 },
    ])
    for (let i = 0; i < FACILITATION_LIMITS.maxStepLog + 10; i++) go(i % 2, 100_000 + i)
    expect(state.stepLog).toHaveLength(FACILITATION_LIMITS.maxStepLog)
    expect(state.stepLog.at(-1)?.at).toBe(100_000 + FACILITATION_LIMITS.maxStepLog + 9)
  })
})

describe('facilitation hub', () => {
  function hub() {
    const storage = new MemoryStorage()
    const sent: { sessionId: string; message: FacilitationMessage }[] = []
    let now = 10_000
    const facilitation = new Facilitation({
      storage,
      now: () => now,
      agenda: () => agenda,
      send: (sessionId, message) => sent.push({ sessionId, message }),
      record: () => undefined,
    })
    const join = (
      sessionId: string,
      role: Role,
      personId: string | null,
      author: string | null = personId && `author-${personId}`,
    ) => {
      facilitation.join(sessionId, { role, personId, author })
      const welcome = sent.find((s) => s.sessionId === sessionId && s.message.type === 'welcome')
      if (welcome?.message.type !== 'welcome') throw new Error('no welcome')
      return welcome.message.token
    }
    const lastState = (sessionId: string) => {
      const states = sent.filter((s) => s.sessionId === sessionId && s.message.type === 'state')
      const last = states.at(-1)?.message
      return last?.type === 'state' ? last : null
    }
    return { storage, sent, facilitation, join, lastState, tick: (ms: number) => (now += ms) }
  }

  it('greets a newcomer with its token, then its view, then the vote results', () => {
    // A client that has results must already know whether a vote runs (issue 21's flake).
    const h = hub()
    h.join('s-p', 'participant', 'person-p1')
    const types = h.sent.filter((s) => s.sessionId === 's-p').map((s) => s.message.type)
    expect(types).toEqual(['welcome', 'state', 'vote-results'])
  })

  it('lets only the facilitator run the workshop; a participant’s token is refused', async () => {
    const h = hub()
    const fran = h.join('s-f', 'facilitator', 'person-f1')
    const pat = h.join('s-p', 'participant', 'person-p1')
    const vic = h.join('s-v', 'viewer', null)
    for (const token of [pat, vic]) {
      const result = await h.facilitation.act(token, { type: 'timer-start', durationMs: 60_000 })
      expect(result).toMatchObject({ ok: false, status: 403 })
    }
    expect(await h.storage.get('facilitation')).toBeUndefined()
    expect(await h.facilitation.act(fran, { type: 'timer-start', durationMs: 60_000 })).toEqual({
      ok: true,
    })
    expect(h.lastState('s-p')?.view.timer).toEqual({
      status: 'running',
      endsAt: 70_000,
      durationMs: 60_000,
    })
  })

  it('refuses unknown tokens and malformed actions, changing nothing', async () => {
    const h = hub()
    const fran = h.join('s-f', 'facilitator', 'person-f1')
    expect(await h.facilitation.act('nope', { type: 'timer-stop' })).toMatchObject({ status: 401 })
    expect(await h.facilitation.act(null, { type: 'timer-stop' })).toMatchObject({ status: 401 })
    for (const body of [
      null,
      { type: 'timer-start', durationMs: 10 ** 12 },
      { type: 'timer-start' },
      { type: 'launch-missiles' },
      { type: 'step', step: { instance: 'a1', index: 0 }, bringEveryone: false, extra: 1 },
    ]) {
      expect(await h.facilitation.act(fran, body)).toMatchObject({ ok: false, status: 400 })
    }
    expect(await h.storage.get('facilitation')).toBeUndefined()
  })

  it('keeps the ready check per step and says who is not done', async () => {
    const h = hub()
    const fran = h.join('s-f', 'facilitator', 'person-f1')
    const pat = h.join('s-p', 'participant', 'person-p1')
    h.join('s-q', 'participant', 'person-p2')
    await h.facilitation.act(pat, { type: 'name', name: 'Pat' })
    expect(await h.facilitation.act(pat, { type: 'ready', done: true })).toEqual({ ok: true })
    expect(h.lastState('s-f')?.view.ready).toEqual({
      participants: [
        { personId: 'person-p1', name: 'Pat' },
        { personId: 'person-p2', name: 'Anonymous' },
      ],
      done: ['person-p1'],
    })
    expect(await h.facilitation.act(fran, { type: 'ready', done: true })).toMatchObject({
      status: 403,
    })
    await h.facilitation.act(fran, {
      type: 'step',
      step: { instance: 'a1', index: 1 },
      bringEveryone: false,
    })
    expect(h.lastState('s-p')?.view.ready.done).toEqual([])
  })

  it('rate-limits reactions per session', async () => {
    const h = hub()
    const pat = h.join('s-p', 'participant', 'person-p1')
    const react = () =>
      h.facilitation.act(pat, { type: 'react', reaction: '👍', at: { x: 1, y: 2 } })
    for (let i = 0; i < 5; i++) expect(await react()).toEqual({ ok: true })
    expect(await react()).toMatchObject({ ok: false, status: 429 })
    h.tick(10_001)
    expect(await react()).toEqual({ ok: true })
  })

  it('rate-limits every action per session with 429, leaving the others free to act', async () => {
    const h = hub()
    const fran = h.join('s-f', 'facilitator', 'person-f1')
    const pat = h.join('s-p', 'participant', 'person-p1')
    const follow = (token: string, following: boolean) =>
      h.facilitation.act(token, { type: 'following', following })
    const { actionBurst, actionsPerSecond } = FACILITATION_LIMITS
    // A script toggling as fast as it can: the burst passes, then it is refused, unwritten.
    const answers = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) => follow(pat, i % 2 === 0)),
    )
    expect(answers.filter((a) => a.ok)).toHaveLength(actionBurst)
    expect(answers.at(-1)).toEqual({
      ok: false,
      status: 429,
      error: expect.stringMatching(/Too many actions/),
    })
    // Everyone else carries on.
    expect(await h.facilitation.act(fran, { type: 'timer-start', durationMs: 60_000 })).toEqual({
      ok: true,
    })
    // A second later the session has that second's actions again.
    h.tick(1_000)
    for (let i = 0; i < actionsPerSecond; i++) expect(await follow(pat, true)).toEqual({ ok: true })
    expect(await follow(pat, true)).toMatchObject({ status: 429 })
    // The voting benchmark's pace (5 votes each in one second) is well within it.
    h.tick(10_000)
    const voters = Array.from({ length: 50 }, (_, i) => h.join(`s-${i}`, 'participant', `p-${i}`))
    for (let round = 0; round < 5; round++) {
      h.tick(200)
      for (const token of voters) expect(await follow(token, round % 2 === 0)).toEqual({ ok: true })
    }
    expect(actionBurst).toBeGreaterThanOrEqual(5 * 4)
  })

  it('survives a restart: the stored state comes back', async () => {
    const h = hub()
    const fran = h.join('s-f', 'facilitator', 'person-f1')
    await h.facilitation.act(fran, {
      type: 'step',
      step: { instance: 'a1', index: 1 },
      bringEveryone: false,
    })
    await h.facilitation.act(fran, { type: 'timer-start', durationMs: 120_000 })
    const again = new Facilitation({
      storage: h.storage,
      now: () => 20_000,
      agenda: () => agenda,
      send: (sessionId, message) => h.sent.push({ sessionId, message }),
      record: () => undefined,
    })
    await again.load()
    again.join('s-late', { role: 'participant', personId: 'person-p9', author: 'author-p9' })
    expect(h.lastState('s-late')?.view).toMatchObject({
      step: { instance: 'a1', index: 1 },
      timer: { status: 'running', endsAt: 130_000 },
    })
  })
})
