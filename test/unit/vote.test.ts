/**
 * Dot votes on the server: the rules (scope, limits, taking back), what each session is sent
 * (its own dots only; progress for the facilitator; totals only after an anonymous vote), and
 * that a vote and its results survive a new hub on the same storage.
 */
import { describe, expect, it } from 'vitest'
import type { FacilitationMessage, VoteResult } from '../../src/protocol/facilitation'
import type { Role } from '../../src/protocol'
import { Facilitation, type BoardRecord } from '../../src/server/workshop/facilitation'
import {
  castDot,
  newVote,
  tally,
  type Ballot,
  type VoteConfig,
} from '../../src/server/voting/vote-rules'
import { MemoryStorage } from './memory-storage'

const note = (text: string): BoardRecord => ({
  typeName: 'shape',
  type: 'note',
  props: {
    richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
  },
})

const START = {
  type: 'vote-start',
  title: 'Which jobs matter most?',
  scopeLabel: 'Frame: Jobs',
  stickyIds: ['shape:a', 'shape:b', 'shape:c'],
  votesPerPerson: 3,
  maxPerSticky: 1,
  anonymous: true,
} as const

describe('vote rules', () => {
  const sticky = (id: string) => (['shape:a', 'shape:b'].includes(id) ? { text: id } : null)
  const config = newVote(
    { ...START, stickyIds: ['shape:a', 'shape:b', 'shape:a', 'shape:frame'], maxPerSticky: 2 },
    { id: 'v1', now: 5, sticky },
  ) as VoteConfig
  const scope = new Set(config.stickyIds)
  const cast = (ballot: Parameters<typeof castDot>[2], stickyId: string, change: 1 | -1) =>
    castDot(config, scope, ballot, { type: 'vote', stickyId, change }, () => true)

  it('keeps only stickies on the board, once each, and refuses a scope without any', () => {
    expect(config.stickyIds).toEqual(['shape:a', 'shape:b'])
    expect(newVote({ ...START, stickyIds: ['shape:x'] }, { id: 'v', now: 0, sticky })).toMatch(
      /no stickies/,
    )
  })

  it('adds and takes back dots within the limits, saying why not', () => {
    let ballot = cast(undefined, 'shape:a', 1)
    expect(ballot).toEqual({ name: '', dots: { 'shape:a': 1 } })
    ballot = cast(ballot as never, 'shape:a', 1)
    expect(cast(ballot as never, 'shape:a', 1)).toMatch(/At most 2 votes per sticky/)
    ballot = cast(ballot as never, 'shape:b', 1)
    expect(cast(ballot as never, 'shape:b', 1)).toMatch(/no votes left/)
    expect(cast(ballot as never, 'shape:c', 1)).toMatch(/not part of this vote/)
    ballot = cast(ballot as never, 'shape:b', -1)
    expect(ballot).toEqual({ name: '', dots: { 'shape:a': 2 } })
    expect(cast(ballot as never, 'shape:b', -1)).toMatch(/no dot on that sticky/)
    expect(
      castDot(
        config,
        scope,
        undefined,
        { type: 'vote', stickyId: 'shape:a', change: 1 },
        () => false,
      ),
    ).toMatch(/no longer on the board/)
  })

  it('ranks the totals, counts voters, caps texts, and names voters only in an open vote', () => {
    const long = 'x'.repeat(500)
    const ballots: Ballot[] = [
      { name: 'Ana', dots: { 'shape:b': 1 } },
      { name: 'Bo', dots: { 'shape:a': 1, 'shape:b': 1 } },
      { name: 'Cy', dots: {} },
    ]
    const lookup = (id: string) => ({ text: id === 'shape:a' ? long : 'B' })
    const anonymous = tally(config, ballots, { now: 9, sticky: lookup })
    expect(anonymous).toMatchObject({ voters: 2, endedAt: 9, anonymous: true })
    expect(anonymous.totals).toEqual([
      { stickyId: 'shape:b', text: 'B', count: 2 },
      { stickyId: 'shape:a', text: 'x'.repeat(200), count: 1 },
    ])
    const open = tally({ ...config, anonymous: false }, ballots, { now: 9, sticky: lookup })
    expect(open.totals[0]).toMatchObject({ stickyId: 'shape:b', names: ['Ana', 'Bo'] })
  })
})

function hub(storage = new MemoryStorage()) {
  const sent: { sessionId: string; message: FacilitationMessage }[] = []
  const board = new Map<string, BoardRecord>([
    ['shape:a', note('Alpha')],
    ['shape:b', note('Bravo')],
    ['shape:c', note('Charlie')],
    ['shape:frame', { typeName: 'shape', type: 'frame', props: {} }],
    // A template's prompt sticky: background, not an idea to vote on.
    ['shape:prompt', { ...note('What do we use?'), meta: { switchback: { background: true } } }],
  ])
  let now = 1_000
  const facilitation = new Facilitation({
    storage,
    now: () => now,
    agenda: () => [],
    send: (sessionId, message) => sent.push({ sessionId, message }),
    record: (id) => board.get(id),
  })
  const tokens = new Map<string, string>()
  const join = (sessionId: string, role: Role, author: string | null) => {
    facilitation.join(sessionId, { role, personId: `person-${sessionId}`, author })
    const welcome = sent.find((s) => s.sessionId === sessionId && s.message.type === 'welcome')
    if (welcome?.message.type !== 'welcome') throw new Error('no welcome')
    tokens.set(sessionId, welcome.message.token)
  }
  const act = (sessionId: string, body: unknown) => facilitation.act(tokens.get(sessionId)!, body)
  const vote = (sessionId: string, stickyId: string, change: 1 | -1 = 1) =>
    act(sessionId, { type: 'vote', stickyId, change })
  const states = (sessionId: string) =>
    sent.flatMap((s) =>
      s.sessionId === sessionId && s.message.type === 'state' ? [s.message.view] : [],
    )
  const lastView = (sessionId: string) => states(sessionId).at(-1)
  const received = (sessionId: string) =>
    sent.filter((s) => s.sessionId === sessionId).map((s) => JSON.stringify(s.message))
  const lastResults = (sessionId: string): VoteResult[] | undefined => {
    const messages = sent.filter(
      (s) => s.sessionId === sessionId && s.message.type === 'vote-results',
    )
    const last = messages.at(-1)?.message
    return last?.type === 'vote-results' ? last.results : undefined
  }
  const tick = (ms: number) => (now += ms)
  return {
    storage,
    sent,
    board,
    facilitation,
    join,
    act,
    vote,
    lastView,
    received,
    lastResults,
    tick,
  }
}

/** A facilitator, two participants (Pat with two tabs), and a viewer. */
function workshop(storage?: MemoryStorage) {
  const h = hub(storage)
  h.join('fran', 'facilitator', 'author-fran')
  h.join('pat', 'participant', 'author-pat')
  h.join('pat-tab2', 'participant', 'author-pat')
  h.join('quinn', 'participant', 'author-quinn')
  h.join('vic', 'viewer', null)
  return h
}

describe('votes in the facilitation hub', () => {
  it('lets only the facilitator start, end and cancel; one vote at a time', async () => {
    const h = workshop()
    for (const body of [START, { type: 'vote-end' }, { type: 'vote-cancel' }]) {
      expect(await h.act('pat', body)).toMatchObject({ ok: false, status: 403 })
    }
    expect(await h.act('vic', { type: 'vote', stickyId: 'shape:a', change: 1 })).toMatchObject({
      status: 403,
    })
    expect(await h.storage.get('vote')).toBeUndefined()
    expect(await h.act('fran', { type: 'vote-end' })).toMatchObject({ status: 409 })
    expect(
      await h.act('fran', { ...START, stickyIds: ['shape:frame', 'shape:zz', 'shape:prompt'] }),
    ).toMatchObject({ status: 409, error: expect.stringMatching(/no stickies/) })
    expect(await h.act('fran', START)).toEqual({ ok: true })
    expect(await h.act('fran', START)).toMatchObject({
      status: 409,
      error: expect.stringMatching(/already running/),
    })
    expect(h.lastView('quinn')?.vote).toMatchObject({
      title: START.title,
      stickyIds: ['shape:a', 'shape:b', 'shape:c'],
      mine: {},
      progress: null,
    })
  })

  it('refuses votes beyond the limits, outside the vote, without a person key, after the end', async () => {
    const h = workshop()
    h.join('old-tab', 'participant', null)
    expect(await h.vote('pat', 'shape:a')).toMatchObject({ status: 409, error: /No vote/ })
    await h.act('fran', { ...START, stickyIds: ['shape:a', 'shape:b'], votesPerPerson: 2 })
    expect(await h.vote('old-tab', 'shape:a')).toMatchObject({ status: 409, error: /Reload/ })
    expect(await h.vote('pat', 'shape:c')).toMatchObject({ status: 409, error: /not part/ })
    expect(await h.vote('pat', 'shape:a')).toEqual({ ok: true })
    // One ballot per person: Pat's second tab shares it.
    expect(await h.vote('pat-tab2', 'shape:a')).toMatchObject({ status: 409, error: /One vote/ })
    expect(await h.vote('pat-tab2', 'shape:b')).toEqual({ ok: true })
    expect(await h.vote('pat', 'shape:b', -1)).toEqual({ ok: true })
    expect(await h.vote('pat', 'shape:b', -1)).toMatchObject({ status: 409, error: /no dot/ })
    expect(await h.vote('pat', 'shape:b')).toEqual({ ok: true })
    h.board.delete('shape:b')
    expect(await h.vote('quinn', 'shape:b')).toMatchObject({ status: 409, error: /no longer/ })
    expect(await h.vote('pat', 'shape:b')).toMatchObject({ status: 409, error: /no votes left/ })
    expect(h.lastView('pat-tab2')?.vote?.mine).toEqual({ 'shape:a': 1, 'shape:b': 1 })
    await h.act('fran', { type: 'vote-end' })
    expect(await h.vote('pat', 'shape:a', -1)).toMatchObject({ status: 409, error: /No vote/ })
    for (const body of [
      { type: 'vote', stickyId: 'shape:a', change: 2 },
      { type: 'vote', stickyId: 'not a shape', change: 1 },
      { ...START, votesPerPerson: 21 },
      { ...START, stickyIds: [] },
    ]) {
      expect(await h.act('fran', body)).toMatchObject({ status: 400 })
    }
  })

  it('sends each person only their own dots, and the facilitator the progress', async () => {
    const h = workshop()
    await h.act('fran', START)
    const before = h.sent.length
    await h.vote('quinn', 'shape:c')
    // A dot goes to the voter's sessions and the facilitator; nobody else is sent anything.
    expect(new Set(h.sent.slice(before).map((s) => s.sessionId))).toEqual(
      new Set(['quinn', 'fran']),
    )
    await h.vote('pat', 'shape:a')
    await h.vote('pat-tab2', 'shape:b')
    expect(h.lastView('pat')?.vote?.mine).toEqual({ 'shape:a': 1, 'shape:b': 1 })
    expect(h.lastView('quinn')?.vote?.mine).toEqual({ 'shape:c': 1 })
    expect(h.lastView('vic')?.vote?.mine).toEqual({})
    expect(h.lastView('fran')?.vote).toMatchObject({ mine: {}, progress: { voters: 2, cast: 3 } })
    for (const id of ['pat', 'quinn', 'vic']) expect(h.lastView(id)?.vote?.progress).toBeNull()
    // Quinn's sticky never appears with a count in anything Pat's sessions were sent.
    for (const text of [...h.received('pat'), ...h.received('pat-tab2')]) {
      expect(text).not.toContain('"shape:c":1')
    }
    for (const text of h.received('quinn')) expect(text).not.toMatch(/"shape:[ab]":1/)
  })

  it('ends with ranked totals for everyone; an anonymous vote sends no ballots or names', async () => {
    const h = workshop()
    await h.act('pat', { type: 'name', name: 'Pat' })
    await h.act('fran', START)
    await h.vote('pat', 'shape:b')
    await h.vote('quinn', 'shape:b')
    await h.vote('quinn', 'shape:a')
    expect(await h.act('fran', { type: 'vote-end' })).toEqual({ ok: true })
    const [result] = h.lastResults('vic')!
    expect(result).toMatchObject({ title: START.title, voters: 2, anonymous: true })
    expect(result.totals).toEqual([
      { stickyId: 'shape:b', text: 'Bravo', count: 2 },
      { stickyId: 'shape:a', text: 'Alpha', count: 1 },
    ])
    expect(h.lastView('pat')?.vote).toBeNull()
    for (const id of ['fran', 'pat', 'pat-tab2', 'quinn', 'vic']) {
      expect(h.lastResults(id)).toEqual([result])
      const results = h.received(id).filter((text) => text.includes('"vote-results"'))
      for (const text of results) expect(text).not.toMatch(/"names"|Pat/)
    }
    // Ballots are gone from storage; only the result remains.
    expect([...h.storage.data.keys()].filter((k) => k.startsWith('ballot:'))).toEqual([])
    expect(await h.storage.get('vote')).toBeUndefined()
  })

  it('names who gave the dots in an open vote, and keeps the newest results first', async () => {
    const h = workshop()
    await h.act('pat', { type: 'name', name: 'Pat' })
    await h.act('quinn', { type: 'name', name: 'Quinn' })
    await h.act('fran', { ...START, anonymous: false, title: 'First' })
    await h.vote('pat', 'shape:c')
    await h.vote('quinn', 'shape:c')
    await h.act('fran', { type: 'vote-end' })
    await h.act('fran', { ...START, title: 'Cancelled' })
    await h.vote('pat', 'shape:a')
    await h.act('fran', { type: 'vote-cancel' })
    expect(h.lastView('pat')?.vote).toBeNull()
    await h.act('fran', { ...START, title: 'Second' })
    await h.act('fran', { type: 'vote-end' })
    const results = h.lastResults('quinn')!
    expect(results.map((r) => r.title)).toEqual(['Second', 'First'])
    expect(results[0]).toMatchObject({ voters: 0, totals: [] })
    expect(results[1].totals).toEqual([
      { stickyId: 'shape:c', text: 'Charlie', count: 2, names: ['Pat', 'Quinn'] },
    ])
  })

  it('writes one small value per dot, without the name in an anonymous vote', async () => {
    const h = workshop()
    await h.act('pat', { type: 'name', name: 'Pat' })
    await h.act('fran', START)
    const puts: Record<string, unknown>[] = []
    const put = h.storage.put.bind(h.storage)
    h.storage.put = async (entries) => {
      puts.push(entries)
      return put(entries)
    }
    await h.vote('pat', 'shape:a')
    expect(puts).toHaveLength(1)
    expect(Object.keys(puts[0])).toEqual([expect.stringMatching(/^ballot:.+:author-pat$/)])
    expect(JSON.stringify(puts[0]).length).toBeLessThan(200)
    expect(Object.values(puts[0])).toEqual([{ name: '', dots: { 'shape:a': 1 } }])
  })

  it('brings back a running vote, its ballots and the results on a new hub', async () => {
    const storage = new MemoryStorage()
    const h = workshop(storage)
    await h.act('fran', { ...START, title: 'Earlier' })
    await h.vote('quinn', 'shape:a')
    await h.act('fran', { type: 'vote-end' })
    await h.act('fran', START)
    await h.vote('pat', 'shape:a')
    await h.vote('quinn', 'shape:b')
    await h.vote('quinn', 'shape:c')

    const again = hub(storage)
    await again.facilitation.load()
    again.join('fran', 'facilitator', 'author-fran')
    again.join('pat', 'participant', 'author-pat')
    expect(again.lastView('pat')?.vote).toMatchObject({
      title: START.title,
      mine: { 'shape:a': 1 },
    })
    expect(again.lastView('fran')?.vote?.progress).toEqual({ voters: 2, cast: 3 })
    expect(again.lastResults('pat')?.map((r) => r.title)).toEqual(['Earlier'])
    // Quinn has one vote left, as before the restart.
    again.join('quinn', 'participant', 'author-quinn')
    expect(await again.vote('quinn', 'shape:a')).toEqual({ ok: true })
    expect(await again.vote('quinn', 'shape:a', -1)).toEqual({ ok: true })
    await again.vote('quinn', 'shape:a')
    expect(await again.vote('pat', 'shape:b')).toEqual({ ok: true })
    expect(await again.vote('quinn', 'shape:a', 1)).toMatchObject({ status: 409 })
  })

  it('finishes an end cut short by a crash (result stored, ballots not yet deleted)', async () => {
    const storage = new MemoryStorage()
    const h = workshop(storage)
    await h.act('fran', START)
    await h.vote('pat', 'shape:a')
    const leftover = new Map(storage.data)
    await h.act('fran', { type: 'vote-end' })
    // Put back what the clean-up deleted: the vote and its ballot.
    for (const [key, value] of leftover) if (!storage.data.has(key)) storage.data.set(key, value)
    expect(storage.data.has('vote')).toBe(true)

    const again = hub(storage)
    await again.facilitation.load()
    again.join('pat', 'participant', 'author-pat')
    expect(again.lastView('pat')?.vote).toBeNull()
    expect(again.lastResults('pat')).toHaveLength(1)
    expect([...storage.data.keys()].filter((k) => k === 'vote' || k.startsWith('ballot:'))).toEqual(
      [],
    )
  })

  it('keeps the text of a sticky deleted during the vote, across a restart too', async () => {
    const storage = new MemoryStorage()
    const h = workshop(storage)
    await h.act('fran', START)
    await h.vote('pat', 'shape:a')
    await h.vote('quinn', 'shape:b')
    h.board.delete('shape:a')
    // A new hub on the same storage (a crash mid-vote) still knows what the sticky said.
    const again = hub(storage)
    again.board.delete('shape:a')
    again.board.delete('shape:b')
    await again.facilitation.load()
    again.join('fran', 'facilitator', 'author-fran')
    again.join('pat', 'participant', 'author-pat')
    // Both voters are back: a ballot counts only from someone on the board at the end.
    again.join('quinn', 'participant', 'author-quinn')
    expect(await again.act('fran', { type: 'vote-end' })).toEqual({ ok: true })
    const texts = Object.fromEntries(
      again.lastResults('pat')![0].totals.map((t) => [t.stickyId, t.text]),
    )
    expect(texts).toEqual({ 'shape:a': 'Alpha', 'shape:b': 'Bravo' })
    expect([...storage.data.keys()].filter((k) => k.startsWith('vote-text:'))).toEqual([])
  })

  it('prefers the text at the end for a sticky still on the board', async () => {
    const h = workshop()
    await h.act('fran', START)
    await h.vote('pat', 'shape:a')
    h.board.set('shape:a', note('Alpha, edited'))
    await h.act('fran', { type: 'vote-end' })
    expect(h.lastResults('pat')![0].totals[0].text).toBe('Alpha, edited')
  })

  it('keeps at most 50 results, dropping the oldest from storage', async () => {
    const h = workshop()
    for (let i = 0; i < 52; i++) {
      h.tick(1_000) // within the facilitator's action rate
      await h.act('fran', { ...START, title: `Vote ${i}` })
      await h.act('fran', { type: 'vote-end' })
    }
    const results = h.lastResults('pat')!
    expect(results).toHaveLength(50)
    expect(results[0].title).toBe('Vote 51')
    expect(results.at(-1)?.title).toBe('Vote 2')
    expect([...h.storage.data.keys()].filter((k) => k.startsWith('vote-result:'))).toHaveLength(50)
  })
})
