/**
 * The workshop against one person with a script, through raw sockets on the real server:
 * twenty sockets flooding cheap actions must not multiply what everyone else is sent (the
 * state a listening socket gets is bounded by time, not by the actions), person keys minted
 * by the dozen must not stuff a vote, and connecting with someone's public person id must not
 * rename them (or say they are done) in the facilitator's ready list.
 */
import { boardWithRecords } from '../support/raw-socket'
import { personInWorkshop, type WorkshopMember } from '../support/raw-workshop'
import { note } from '../support/raw-records'
import { createBoardAsFacilitator, shareLink } from './board-helpers'
import { expect, test } from './fixtures'

const freshId = () =>
  `w${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

const personKey = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')

const STICKIES = ['shape:alpha', 'shape:bravo']

/** A blank board (with two stickies when asked) and its secrets. */
const board = (serverUrl: string, withStickies = false) =>
  boardWithRecords(
    serverUrl,
    freshId(),
    withStickies ? STICKIES.map((id, i) => note(id, 100 + i * 250, 100)) : [],
  )

const member = personInWorkshop

test('twenty sockets flooding follow and name changes: listeners get a few states a second, not one per action', async ({
  server,
}) => {
  const { roomId, facilitatorSecret, participantKey } = await board(server.url)
  const fran = await member(server.url, roomId, facilitatorSecret, personKey(), 'person-fran0001')
  const pia = await member(server.url, roomId, participantKey, personKey(), 'person-pia00001')
  await fran.act({ type: 'name', name: 'Fran' })
  // Following is on, so every toggle changes the followers list.
  await fran.act({ type: 'follow-start' })
  await expect.poll(() => pia.view()?.follow?.name).toBe('Fran')

  const flooders = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      i < 10
        ? member(server.url, roomId, undefined, undefined, `person-view${i}000`)
        : member(server.url, roomId, participantKey, personKey(), `person-part${i}000`),
    ),
  )
  // The joins' own states (each editor changes the crowd count everyone sees) are paced too:
  // count from when the last of them has reached Pia, so what is counted is the flood's.
  await expect.poll(() => pia.view()?.cursors.editors).toBe(12)
  const franBefore = fran.states()
  const piaBefore = pia.states()
  const started = Date.now()
  const FLOOD_MS = 3_000
  let accepted = 0
  /** Each renaming participant's last accepted name: the one the facilitator must end with. */
  const lastName = new Map<string, string>()
  await Promise.all(
    flooders.map(async (flooder, i) => {
      for (let n = 0; Date.now() - started < FLOOD_MS; n++) {
        // Viewers toggle following; participants rename themselves, a new name each time.
        const name = `Flood ${i} ${n}`
        const action =
          i < 10 ? { type: 'following', following: n % 2 === 0 } : { type: 'name', name }
        if ((await flooder.post(action)).status !== 200) continue
        accepted++
        if (i >= 10) lastName.set(`person-part${i}000`, name)
      }
    }),
  )
  const elapsed = Date.now() - started
  // The flood was real: hundreds of accepted actions (each used to go to every socket).
  expect(accepted).toBeGreaterThan(300)
  // The last change is never dropped: once the flood stops, the facilitator's list settles on
  // each flooder's last accepted name.
  await expect
    .poll(() =>
      Object.fromEntries(
        (fran.view()?.ready.participants ?? [])
          .filter((p) => lastName.has(p.personId))
          .map((p) => [p.personId, p.name]),
      ),
    )
    .toEqual(Object.fromEntries(lastName))
  const franStates = fran.states() - franBefore
  const piaStates = pia.states() - piaBefore
  // The facilitator: a burst, then at most one state per 150 ms window (and slack for timing).
  expect(franStates).toBeLessThanOrEqual(10 + Math.ceil((elapsed + 1_000) / 150) + 5)
  // A participant's view holds neither names nor followers: nothing of this reaches them.
  expect(piaStates).toBeLessThanOrEqual(2)
  // The room still works for everyone: a step of the workshop still reaches Pia.
  await fran.act({ type: 'timer-start', durationMs: 60_000 })
  await expect.poll(() => pia.view()?.timer.status).toBe('running')
  for (const m of [fran, pia, ...flooders]) m.socket.close()
})

test('person keys minted by the dozen cannot stuff a vote: only people on the board count', async ({
  server,
}) => {
  const { roomId, facilitatorSecret, participantKey } = await board(server.url, true)
  const fran = await member(server.url, roomId, facilitatorSecret, personKey(), 'person-fran0002')
  const pia = await member(server.url, roomId, participantKey, personKey(), 'person-pia00002')
  await fran.act({
    type: 'vote-start',
    title: 'Which first?',
    scopeLabel: 'Selection',
    stickyIds: STICKIES,
    votesPerPerson: 1,
    maxPerSticky: 1,
    anonymous: true,
  })
  await pia.act({ type: 'vote', stickyId: 'shape:alpha', change: 1 })

  // One participant's script: a new person key per socket, one dot each, then the next.
  const MINTED = 8
  let last: WorkshopMember | null = null
  for (let i = 0; i < MINTED; i++) {
    const fake = await member(server.url, roomId, participantKey, personKey(), `person-mint${i}000`)
    await fake.act({ type: 'vote', stickyId: 'shape:bravo', change: 1 })
    if (i < MINTED - 1) fake.socket.close()
    last = fake
  }
  // Once the facilitator's roster has only Pia and the last key, every close has been seen.
  await expect.poll(() => fran.view()?.ready.participants.length).toBe(2)
  // The facilitator sees every ballot, and how many of their voters are here: Pia and the last.
  await expect
    .poll(() => fran.view()?.vote?.progress)
    .toEqual({ voters: MINTED + 1, cast: MINTED + 1 })
  const here = fran.view()?.vote?.here

  await fran.act({ type: 'vote-end' })
  await expect.poll(() => fran.results()?.length).toBe(1)
  const [result] = fran.results()!
  expect(result.voters).toBe(2)
  expect(result.totals.map(({ stickyId, count }) => ({ stickyId, count }))).toEqual([
    { stickyId: 'shape:alpha', count: 1 },
    { stickyId: 'shape:bravo', count: 1 },
  ])
  expect(here).toBe(2)
  for (const m of [fran, pia, last!]) m.socket.close()
})

test('the facilitator’s vote bar says how many ballots come from people here', async ({
  people,
  server,
}) => {
  const fran = await people.join('Fran')
  const roomId = await createBoardAsFacilitator(fran, server.url)
  const secret = (link: string) => new URL(link).hash.replace(/^#[fk]=/, '')
  const facilitatorSecret = secret(await shareLink(fran, 'facilitator'))
  const participantKey = secret(await shareLink(fran, 'participant'))
  const raw = await member(server.url, roomId, facilitatorSecret, personKey(), 'person-franraw1')
  raw.socket.send({
    type: 'push',
    clientClock: 1,
    diff: { 'shape:alpha': ['put', note('shape:alpha', 100, 100)] },
  })
  expect((await raw.socket.next('push_result')).action).toBe('commit')
  await raw.act({
    type: 'vote-start',
    title: 'Which first?',
    scopeLabel: 'Selection',
    stickyIds: ['shape:alpha'],
    votesPerPerson: 1,
    maxPerSticky: 1,
    anonymous: true,
  })
  const voters: WorkshopMember[] = []
  for (let i = 0; i < 3; i++) {
    const voter = await member(
      server.url,
      roomId,
      participantKey,
      personKey(),
      `person-bar${i}0000`,
    )
    await voter.act({ type: 'vote', stickyId: 'shape:alpha', change: 1 })
    voters.push(voter)
  }
  const progress = fran.getByTestId('vote-progress')
  await expect(progress).toHaveText('3 people voted · 3 votes')
  voters[0].socket.close()
  voters[1].socket.close()
  await expect(progress).toHaveText('3 ballots from 1 person here · 3 votes')
  for (const m of [raw, voters[2]]) m.socket.close()
})

test('connecting with someone’s public person id does not rename them or mark them done', async ({
  server,
}) => {
  const { roomId, facilitatorSecret, participantKey } = await board(server.url)
  const fran = await member(server.url, roomId, facilitatorSecret, personKey(), 'person-fran0003')
  const anaKey = personKey()
  let ana = await member(server.url, roomId, participantKey, anaKey, 'person-ana00003')
  await ana.act({ type: 'name', name: 'Ana' })
  const roster = () => fran.view()?.ready
  await expect
    .poll(roster)
    .toEqual({ participants: [{ personId: 'person-ana00003', name: 'Ana' }], done: [] })

  // Mallory copies Ana's id from presence, with a person key of her own (and a viewer, none).
  const mallory = await member(server.url, roomId, participantKey, personKey(), 'person-ana00003')
  const peeker = await member(server.url, roomId, undefined, undefined, 'person-ana00003')
  expect(await mallory.post({ type: 'name', name: 'Mallory' })).toEqual({ status: 200 })
  expect(await peeker.post({ type: 'name', name: 'Peeker' })).toEqual({ status: 200 })
  const malloryDone = await mallory.post({ type: 'ready', done: true })
  // Someone else joins and names themselves: once the facilitator sees them, everything sent
  // before has been seen too, and Ana is still Ana, not done.
  const sam = await member(server.url, roomId, participantKey, personKey(), 'person-sam00003')
  await sam.act({ type: 'name', name: 'Sam' })
  await expect.poll(() => roster()?.participants.length).toBe(2)
  expect(roster()).toEqual({
    participants: [
      { personId: 'person-ana00003', name: 'Ana' },
      { personId: 'person-sam00003', name: 'Sam' },
    ],
    done: [],
  })
  expect(mallory.welcomePersonId()).toBeNull()
  expect(malloryDone).toMatchObject({ status: 409 })

  // Ana reloads; Mallory is still there, and her id is still hers.
  ana.socket.close()
  ana = await member(server.url, roomId, participantKey, anaKey, 'person-ana00003')
  expect(ana.welcomePersonId()).toBe('person-ana00003')
  await ana.act({ type: 'name', name: 'Ana B' })
  await ana.act({ type: 'ready', done: true })
  await expect.poll(roster).toEqual({
    participants: [
      { personId: 'person-sam00003', name: 'Sam' },
      { personId: 'person-ana00003', name: 'Ana B' },
    ],
    done: ['person-ana00003'],
  })
  for (const m of [fran, ana, mallory, peeker, sam]) m.socket.close()
})
