/**
 * The workshop's state pacing: a burst at once, then one state per window per session, the
 * latest always sent when the window ends; and through the hub, a flood of actions from many
 * sessions costs each listener a bounded number of states, not one per action, and reactions
 * (sent to everyone) are capped for the whole board.
 */
import { describe, expect, it } from 'vitest'
import { FACILITATION_LIMITS, type FacilitationMessage } from '../../src/protocol/facilitation'
import { Facilitation, STATE_PACE } from '../../src/server/facilitation'
import { StatePacer } from '../../src/server/state-pacer'
import { MemoryStorage } from './memory-storage'

/** A clock and a timer queue the test moves by hand. */
function manualClock() {
  let now = 0
  let timers: { at: number; task: () => void }[] = []
  return {
    now: () => now,
    later: (task: () => void, ms: number) => void timers.push({ at: now + ms, task }),
    advance(ms: number) {
      now += ms
      const due = timers.filter((t) => t.at <= now)
      timers = timers.filter((t) => t.at > now)
      for (const t of due) t.task()
    },
  }
}

describe('state pacer', () => {
  it('sends a burst at once, then at most one per window, and always the latest', () => {
    const clock = manualClock()
    let version = 0
    const sent: number[] = []
    const lastSent = new Map<string, number>()
    const pacer = new StatePacer({
      burst: 3,
      intervalMs: 100,
      ...clock,
      send: (id) => {
        if (lastSent.get(id) === version) return false
        lastSent.set(id, version)
        sent.push(version)
        return true
      },
    })
    for (let i = 0; i < 50; i++) {
      version++
      pacer.offer('s')
    }
    expect(sent).toEqual([1, 2, 3])
    expect(pacer.waiting).toBe(1)
    clock.advance(100)
    // The window's end sends the latest of the 47 changes in between, once.
    expect(sent).toEqual([1, 2, 3, 50])
    clock.advance(1_000)
    expect(sent).toHaveLength(4)
    // An unchanged state costs nothing: it is not sent and takes no allowance.
    for (let i = 0; i < 10; i++) pacer.offer('s')
    expect(sent).toHaveLength(4)
    // `now` (a session's own action) goes at once, whatever its allowance.
    version++
    pacer.now('s')
    expect(sent.at(-1)).toBe(51)
  })

  it('flushes what waits before a message that must follow it; a session that left is dropped', () => {
    const clock = manualClock()
    const sent: string[] = []
    let version = 0
    const pacer = new StatePacer({
      burst: 1,
      intervalMs: 100,
      ...clock,
      send: (id) => (sent.push(`${id}@${version}`), true),
    })
    pacer.offer('a')
    pacer.offer('b')
    version++
    pacer.offer('a')
    pacer.offer('b')
    pacer.leave('b')
    pacer.flush()
    expect(sent).toEqual(['a@0', 'b@0', 'a@1'])
    clock.advance(100)
    expect(sent).toHaveLength(3)
  })
})

describe('the hub under an action flood', () => {
  it('sends each listener a bounded number of states, however many actions arrive', async () => {
    const clock = manualClock()
    const sent: { sessionId: string; message: FacilitationMessage }[] = []
    const hub = new Facilitation({
      storage: new MemoryStorage(),
      now: clock.now,
      later: clock.later,
      agenda: () => [],
      send: (sessionId, message) => sent.push({ sessionId, message }),
    })
    const tokens = new Map<string, string>()
    const join = (id: string, role: 'facilitator' | 'participant' | 'viewer') => {
      hub.join(id, { role, personId: `person-${id}-xxxx`, author: role === 'viewer' ? null : id })
      const welcome = sent.findLast((s) => s.sessionId === id && s.message.type === 'welcome')
      if (welcome?.message.type === 'welcome') tokens.set(id, welcome.message.token)
    }
    join('fran', 'facilitator')
    join('pia', 'participant')
    await hub.act(tokens.get('fran')!, { type: 'follow-start' })
    const flooders = Array.from({ length: 20 }, (_, i) => `f${i}`)
    flooders.forEach((id, i) => join(id, i < 10 ? 'viewer' : 'participant'))
    const states = (id: string) =>
      sent.filter((s) => s.sessionId === id && s.message.type === 'state').length
    // The joins changed the editors count everyone's crowd mode shows: let those states go.
    clock.advance(STATE_PACE.intervalMs)
    const [franBefore, piaBefore] = [states('fran'), states('pia')]

    // Ten seconds of every flooder acting ten times a second (their whole allowance).
    let accepted = 0
    for (let tick = 0; tick < 100; tick++) {
      clock.advance(100)
      for (const [i, id] of flooders.entries()) {
        const action =
          i < 10
            ? { type: 'following', following: tick % 2 === 0 }
            : { type: 'name', name: `Flood ${i} ${tick}` }
        if ((await hub.act(tokens.get(id)!, action)).ok) accepted++
      }
    }
    clock.advance(STATE_PACE.intervalMs)
    expect(accepted).toBe(2_000)
    // The facilitator: a burst, then one state per window, not 2,000.
    expect(states('fran') - franBefore).toBeLessThanOrEqual(
      STATE_PACE.burst + 10_000 / STATE_PACE.intervalMs + 1,
    )
    // A participant's view has neither names nor followers: nothing at all.
    expect(states('pia') - piaBefore).toBe(0)
    // And the facilitator ends with the last word of each.
    const last = sent.findLast((s) => s.sessionId === 'fran' && s.message.type === 'state')
    const view = last?.message.type === 'state' ? last.message.view : null
    expect(view?.ready.participants.filter((p) => p.name.endsWith(' 99'))).toHaveLength(10)
    expect(view?.follow?.followers).toHaveLength(0)
  })

  it('passes on at most so many reactions a second for the whole board, whoever sends them', async () => {
    const clock = manualClock()
    const sent: { sessionId: string; message: FacilitationMessage }[] = []
    const hub = new Facilitation({
      storage: new MemoryStorage(),
      now: clock.now,
      later: clock.later,
      agenda: () => [],
      send: (sessionId, message) => sent.push({ sessionId, message }),
    })
    const tokens: string[] = []
    for (let i = 0; i < 30; i++) {
      hub.join(`s${i}`, { role: 'viewer', personId: null, author: null })
      const welcome = sent.findLast((s) => s.message.type === 'welcome')
      if (welcome?.message.type === 'welcome') tokens.push(welcome.message.token)
    }
    const react = { type: 'react', reaction: '👍', at: { x: 0, y: 0 } }
    const answers = []
    for (const token of tokens) answers.push(await hub.act(token, react))
    const { reactionsPerBoardPerSecond } = FACILITATION_LIMITS
    expect(answers.filter((a) => a.ok)).toHaveLength(reactionsPerBoardPerSecond)
    expect(answers.at(-1)).toMatchObject({ status: 429, error: expect.stringMatching(/reacting/) })
    const reactions = () => sent.filter((s) => s.message.type === 'reaction').length
    expect(reactions()).toBe(reactionsPerBoardPerSecond * 30)
    // A second later the board passes reactions on again.
    clock.advance(1_000)
    expect(await hub.act(tokens[29], react)).toEqual({ ok: true })
  })
})
