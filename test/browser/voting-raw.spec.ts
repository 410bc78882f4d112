/**
 * Dot voting against the real server through raw sockets, as a modified client would speak:
 * what each socket receives during an anonymous vote (checked on the frames that came over
 * the wire, not on any UI), a participant's attempts at the facilitator's vote actions, bad
 * votes, `kill -9` in the middle of a vote and after it, and a sticky deleted during a vote.
 */
import { facilitationPath } from '../../src/protocol'
import { boardWithRecords } from '../support/raw-socket'
import { personInWorkshop } from '../support/raw-workshop'
import { note } from '../support/raw-records'
import { expect, test } from './fixtures'

test.afterEach(async ({ server }) => server.ensureRunning())

const freshId = () =>
  `v${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

/** A person key, as a browser's identity keeps one. */
const personKey = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')

const STICKIES = ['shape:alpha', 'shape:bravo', 'shape:charlie', 'shape:delta']

function sticky(id: string, x: number, text: string) {
  const record = note(id, x, 100)
  const richText = {
    type: 'doc',
    content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
  }
  return { ...record, props: { ...record.props, richText } }
}

/** A blank board with four stickies the facilitator put there; its secrets. */
const boardWithStickies = (serverUrl: string) =>
  boardWithRecords(
    serverUrl,
    freshId(),
    STICKIES.map((id, i) => sticky(id, 100 + i * 250, `Idea ${id.slice(6)}`)),
  )

const member = personInWorkshop

const startVote = (anonymous = true) => ({
  type: 'vote-start' as const,
  title: 'Which idea first?',
  scopeLabel: 'Selection',
  stickyIds: [...STICKIES, 'shape:not-there'],
  votesPerPerson: 2,
  maxPerSticky: 1,
  anonymous,
})

const vote = (stickyId: string, change: 1 | -1 = 1) => ({ type: 'vote', stickyId, change })

test('during an anonymous vote no socket receives another person’s ballot; results are totals', async ({
  server,
}) => {
  const { roomId, facilitatorSecret, participantKey } = await boardWithStickies(server.url)
  const fran = await member(server.url, roomId, facilitatorSecret, personKey(), 'person-fran0001')
  const pia = await member(server.url, roomId, participantKey, personKey(), 'person-pia00001')
  const quin = await member(server.url, roomId, participantKey, personKey(), 'person-quin0001')
  await pia.post({ type: 'name', name: 'Pia' })
  await quin.post({ type: 'name', name: 'Quin' })

  expect(await fran.post(startVote())).toEqual({ status: 200 })
  await expect.poll(() => pia.view()?.vote?.stickyIds).toEqual(STICKIES)
  expect(await pia.post(vote('shape:alpha'))).toEqual({ status: 200 })
  expect(await pia.post(vote('shape:bravo'))).toEqual({ status: 200 })
  expect(await quin.post(vote('shape:charlie'))).toEqual({ status: 200 })
  expect(await quin.post(vote('shape:delta'))).toEqual({ status: 200 })
  expect(await quin.post(vote('shape:delta', -1))).toEqual({ status: 200 })

  await expect.poll(() => pia.view()?.vote?.mine).toEqual({ 'shape:alpha': 1, 'shape:bravo': 1 })
  await expect.poll(() => quin.view()?.vote?.mine).toEqual({ 'shape:charlie': 1 })
  await expect.poll(() => fran.view()?.vote?.progress).toEqual({ voters: 2, cast: 3 })
  expect(pia.view()?.vote?.progress).toBeNull()

  expect(await fran.post({ type: 'vote-end' })).toEqual({ status: 200 })
  await expect.poll(() => quin.results()?.length).toBe(1)
  await expect.poll(() => pia.results()?.length).toBe(1)
  // The facilitator's frames too are checked only once the vote's end has reached them.
  await expect.poll(() => fran.results()?.length).toBe(1)

  // On the wire: Quin's dots never reached Pia, Pia's never reached Quin, no one but the
  // facilitator was sent any progress, and no message named a voter.
  const pias = pia.socket.raw.join('\n')
  const quins = quin.socket.raw.join('\n')
  expect(pias).not.toMatch(/"shape:(charlie|delta)":\s*\d/)
  expect(quins).not.toMatch(/"shape:(alpha|bravo)":\s*\d/)
  for (const frames of [pias, quins]) {
    expect(frames).not.toMatch(/"progress":\s*\{/)
    expect(frames).not.toContain('"names"')
  }
  expect(fran.socket.raw.join('\n')).not.toMatch(/"shape:(alpha|bravo|charlie)":\s*\d/)

  // The results: totals only, ranked, with the stickies' text.
  const [result] = pia.results()!
  expect(result).toMatchObject({ anonymous: true, voters: 2, votesPerPerson: 2 })
  expect(result.totals).toEqual([
    { stickyId: 'shape:alpha', text: 'Idea alpha', count: 1 },
    { stickyId: 'shape:bravo', text: 'Idea bravo', count: 1 },
    { stickyId: 'shape:charlie', text: 'Idea charlie', count: 1 },
  ])
  for (const m of [fran, pia, quin]) m.socket.close()
})

test('a participant cannot run a vote, and bad votes are refused with a reason', async ({
  server,
}) => {
  const { roomId, facilitatorSecret, participantKey } = await boardWithStickies(server.url)
  const fran = await member(server.url, roomId, facilitatorSecret, personKey(), 'person-fran0002')
  const pia = await member(server.url, roomId, participantKey, personKey(), 'person-pia00002')
  const keyless = await member(server.url, roomId, participantKey, undefined, 'person-old00002')
  const viewer = await member(server.url, roomId, undefined, personKey(), 'person-vic00002')

  // Nothing to end or cancel; and a participant may not start one.
  expect(await pia.post(startVote())).toMatchObject({ status: 403 })
  expect(await fran.post({ type: 'vote-end' })).toMatchObject({ status: 409 })
  expect(await pia.post(vote('shape:alpha'))).toMatchObject({
    status: 409,
    error: expect.stringMatching(/No vote is running/),
  })

  expect(await fran.post(startVote())).toEqual({ status: 200 })
  await expect.poll(() => pia.view()?.vote?.title).toBe('Which idea first?')
  expect(await pia.post(vote('shape:alpha'))).toEqual({ status: 200 })
  await expect.poll(() => fran.view()?.vote?.progress).toEqual({ voters: 1, cast: 1 })
  const voteId = fran.view()?.vote?.id

  for (const action of [startVote(), { type: 'vote-end' }, { type: 'vote-cancel' }]) {
    const answer = await pia.post(action)
    expect(answer.status, JSON.stringify(action)).toBe(403)
    expect(answer.error).toContain('participant cannot')
  }
  expect(await viewer.post(vote('shape:alpha'))).toMatchObject({ status: 403 })
  expect(await keyless.post(vote('shape:alpha'))).toMatchObject({
    status: 409,
    error: expect.stringMatching(/Reload/),
  })

  const refusals: [object, number, RegExp][] = [
    [vote('shape:alpha'), 409, /One vote per sticky/],
    [vote('shape:bravo', -1), 409, /no dot on that sticky/],
    [vote('shape:not-there'), 409, /not part of this vote/],
    [vote('shape:nowhere'), 409, /not part of this vote/],
    [{ type: 'vote', stickyId: 'shape:bravo', change: 3 }, 400, /change/],
    [{ type: 'vote', stickyId: '<script>', change: 1 }, 400, /not a shape id/],
    [{ type: 'vote', stickyId: 'shape:bravo' }, 400, /change/],
  ]
  for (const [action, status, error] of refusals) {
    const answer = await pia.post(action)
    expect(answer.status, JSON.stringify(action)).toBe(status)
    expect(answer.error).toMatch(error)
  }
  expect(await pia.post(vote('shape:bravo'))).toEqual({ status: 200 })
  expect(await pia.post(vote('shape:charlie'))).toMatchObject({
    status: 409,
    error: expect.stringMatching(/no votes left/),
  })
  const malformed = await fetch(`${server.url}${facilitationPath(roomId)}`, {
    method: 'POST',
    body: '{"type":"vote"',
  })
  expect(malformed.status).toBeGreaterThanOrEqual(400)
  expect(malformed.status).toBeLessThan(500)

  // Nothing the participant tried changed the vote: the same one, with Pia's two dots.
  await expect.poll(() => fran.view()?.vote?.progress).toEqual({ voters: 1, cast: 2 })
  expect(fran.view()?.vote?.id).toBe(voteId)

  expect(await fran.post({ type: 'vote-end' })).toEqual({ status: 200 })
  expect(await pia.post(vote('shape:alpha', -1))).toMatchObject({
    status: 409,
    error: expect.stringMatching(/No vote is running/),
  })
  for (const m of [fran, pia, keyless, viewer]) m.socket.close()
})

test('kill -9 mid-vote: the vote and its ballots come back, and so do the results', async ({
  server,
}) => {
  const { roomId, facilitatorSecret, participantKey } = await boardWithStickies(server.url)
  const franKey = personKey()
  const piaKey = personKey()
  let fran = await member(server.url, roomId, facilitatorSecret, franKey, 'person-fran0003')
  let pia = await member(server.url, roomId, participantKey, piaKey, 'person-pia00003')
  expect(await fran.post(startVote(false))).toEqual({ status: 200 })
  expect(await pia.post({ type: 'name', name: 'Pia' })).toEqual({ status: 200 })
  expect(await pia.post(vote('shape:charlie'))).toEqual({ status: 200 })

  await server.crash()
  await server.restart()
  fran = await member(server.url, roomId, facilitatorSecret, franKey, 'person-fran0003')
  pia = await member(server.url, roomId, participantKey, piaKey, 'person-pia00003')
  await expect.poll(() => pia.view()?.vote?.mine).toEqual({ 'shape:charlie': 1 })
  await expect.poll(() => fran.view()?.vote?.progress).toEqual({ voters: 1, cast: 1 })
  // One vote left, as before the crash.
  expect(await pia.post(vote('shape:alpha'))).toEqual({ status: 200 })
  expect(await pia.post(vote('shape:bravo'))).toMatchObject({ status: 409 })
  expect(await fran.post({ type: 'vote-end' })).toEqual({ status: 200 })

  await server.crash()
  await server.restart()
  const later = await member(server.url, roomId, participantKey, personKey(), 'person-lat00003')
  // Each message is waited for on its own: the view and the results are separate frames.
  await expect.poll(() => later.view()?.vote).toBeNull()
  await expect.poll(() => later.results()?.length).toBe(1)
  expect(later.results()![0].totals).toEqual([
    { stickyId: 'shape:alpha', text: 'Idea alpha', count: 1, names: ['Pia'] },
    { stickyId: 'shape:charlie', text: 'Idea charlie', count: 1, names: ['Pia'] },
  ])
  for (const m of [fran, pia, later]) m.socket.close()
})

test('a sticky deleted during the vote keeps its text in the result', async ({ server }) => {
  const { roomId, facilitatorSecret, participantKey } = await boardWithStickies(server.url)
  const fran = await member(server.url, roomId, facilitatorSecret, personKey(), 'fran')
  const pat = await member(server.url, roomId, participantKey, personKey(), 'pat')
  await fran.act({
    type: 'vote-start',
    title: 'Deleted meanwhile',
    scopeLabel: 'Board',
    stickyIds: STICKIES,
    votesPerPerson: 2,
    maxPerSticky: 1,
    anonymous: true,
  })
  await pat.act({ type: 'vote', stickyId: 'shape:alpha', change: 1 })
  await pat.act({ type: 'vote', stickyId: 'shape:bravo', change: 1 })
  // Pat deletes a sticky he voted for, before the end.
  pat.socket.send({ type: 'push', clientClock: 1, diff: { 'shape:alpha': ['remove'] } })
  expect((await pat.socket.next('push_result')).action).toBe('commit')
  await fran.act({ type: 'vote-end' })
  await expect.poll(() => pat.results()?.[0]?.title).toBe('Deleted meanwhile')
  const texts = Object.fromEntries(pat.results()![0].totals.map((t) => [t.stickyId, t.text]))
  expect(texts).toEqual({ 'shape:alpha': 'Idea alpha', 'shape:bravo': 'Idea bravo' })
  for (const who of [fran, pat]) who.socket.close()
})
