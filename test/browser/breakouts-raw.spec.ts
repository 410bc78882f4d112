/**
 * Breakout groups against the real server through raw sockets, as a modified client would
 * speak: a participant's and a viewer's attempts at the facilitator's actions, bad bodies and
 * shapes that are not frames; then what each socket is sent while groups run (only its own
 * group's names, on the wire), the ready check per group, a latecomer, a reconnect and
 * `kill -9`, after which everyone is in the same group with the same message.
 */
import { boardWithRecords } from '../support/raw-socket'
import { personInWorkshop, type WorkshopMember } from '../support/raw-workshop'
import { frame, note } from '../support/raw-records'
import { expect, test } from './fixtures'

test.afterEach(async ({ server }) => server.ensureRunning())

const freshId = () =>
  `b${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

/** A person key, as a browser's identity keeps one. */
const personKey = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')

const GROUPS = [
  { frameId: 'shape:group1', label: 'Group 1' },
  { frameId: 'shape:group2', label: 'Group 2' },
]

/** A board with the four framework jobs frame, two copies of it and a sticky; its secrets. */
const boardWithFrames = (serverUrl: string) =>
  boardWithRecords(serverUrl, freshId(), [
    frame('shape:jobs', 0, 0, 800, 600, 'The four framework jobs'),
    frame('shape:group1', 0, 800, 800, 600, 'Group 1'),
    frame('shape:group2', 1000, 800, 800, 600, 'Group 2'),
    note('shape:sticky', 1000, 100),
  ])

const start = (assign: 'random' | 'choose' = 'random') => ({
  type: 'breakout-start' as const,
  source: 'shape:jobs',
  groups: GROUPS,
  assign,
})

/** Every action only the facilitator may send, each valid as a body. */
const FACILITATOR_ONLY = [
  start(),
  { type: 'breakout-move', personId: 'person-pia00001', group: 1 },
  { type: 'breakout-message', text: 'Everyone out' },
  { type: 'breakout-send' },
  { type: 'breakout-end' },
]

test('only the facilitator starts, changes or ends breakouts; bad bodies and non-frames are refused', async ({
  server,
}) => {
  const { roomId, facilitatorSecret, participantKey } = await boardWithFrames(server.url)
  const fran = await personInWorkshop(
    server.url,
    roomId,
    facilitatorSecret,
    personKey(),
    'person-fran0001',
  )
  const pia = await personInWorkshop(
    server.url,
    roomId,
    participantKey,
    personKey(),
    'person-pia00001',
  )
  const vic = await personInWorkshop(server.url, roomId, undefined, personKey(), 'person-vic00001')
  await pia.act({ type: 'name', name: 'Pia' })

  const attack = async () => {
    for (const attacker of [pia, vic]) {
      for (const action of FACILITATOR_ONLY) {
        const answer = await attacker.post(action)
        expect(
          answer.status,
          `${action.type} by ${attacker === pia ? 'participant' : 'viewer'}`,
        ).toBe(403)
        expect(answer.error).toMatch(/cannot do this/)
      }
    }
  }
  await attack()
  await expect.poll(() => fran.view()?.breakouts).toBeNull()

  const bad: object[] = [
    { ...start(), groups: GROUPS.slice(0, 1) },
    { ...start(), assign: 'everyone' },
    { ...start(), source: '<script>' },
    { ...start(), extra: true },
    { type: 'breakout-move', personId: 'x', group: 0 },
    { type: 'breakout-move', personId: 'person-pia00001', group: 99 },
    { type: 'breakout-message', text: 'x'.repeat(500) },
  ]
  for (const body of bad) expect((await fran.post(body)).status, JSON.stringify(body)).toBe(400)
  const notFrames: [object, RegExp][] = [
    [{ ...start(), source: 'shape:sticky' }, /source is not a frame/],
    [
      { ...start(), groups: [GROUPS[0], { frameId: 'shape:gone', label: 'B' }] },
      /B’s copy is not a frame/,
    ],
    [{ ...start(), groups: [GROUPS[0], GROUPS[0]] }, /frame of its own/],
  ]
  for (const [body, error] of notFrames) {
    expect(await fran.post(body)).toEqual({ status: 409, error: expect.stringMatching(error) })
  }
  expect(await fran.post({ type: 'breakout-end' })).toEqual({
    status: 409,
    error: 'No breakouts are running.',
  })

  await fran.act(start())
  await expect.poll(() => pia.view()?.breakouts?.mine).toBe(0)
  const before = JSON.stringify(fran.view()?.breakouts)
  await attack()
  expect(await pia.post({ type: 'breakout-pick', group: 1 })).toEqual({
    status: 409,
    error: expect.stringMatching(/facilitator assigns/),
  })
  expect(await vic.post({ type: 'breakout-pick', group: 1 })).toMatchObject({ status: 403 })
  expect(await fran.post(start())).toEqual({
    status: 409,
    error: expect.stringMatching(/already running/),
  })
  // Nothing the others tried changed the groups; the room is up and answers everyone.
  await fran.act({ type: 'breakout-message', text: '5 minutes left' })
  for (const m of [fran, pia, vic]) {
    await expect.poll(() => m.view()?.breakouts?.message?.text).toBe('5 minutes left')
  }
  expect(JSON.stringify({ ...fran.view()?.breakouts, message: null })).toBe(
    JSON.stringify({ ...JSON.parse(before), message: null }),
  )
  for (const m of [fran, pia, vic]) m.socket.close()
})

test('each socket hears only its own group; ready per group; latecomers, reconnects and kill -9 keep the groups', async ({
  server,
}) => {
  const { roomId, facilitatorSecret, participantKey } = await boardWithFrames(server.url)
  const franKey = personKey()
  let fran = await personInWorkshop(
    server.url,
    roomId,
    facilitatorSecret,
    franKey,
    'person-fran0002',
  )
  const names = ['Quokka', 'Wombat', 'Numbat', 'Dingo']
  const keys = names.map(() => personKey())
  const ids = names.map((name) => `person-${name.toLowerCase()}02`)
  const join = (i: number) => personInWorkshop(server.url, roomId, participantKey, keys[i], ids[i]!)
  const people: WorkshopMember[] = []
  for (const [i, name] of names.entries()) {
    people.push(await join(i))
    await people[i]!.act({ type: 'name', name })
  }
  await expect.poll(() => fran.view()?.ready.participants.length).toBe(4)
  await fran.act(start())

  // The facilitator sees both groups of two, with every member.
  await expect.poll(() => fran.view()?.breakouts?.groups.map((g) => g.size)).toEqual([2, 2])
  const groupOf = (i: number) =>
    fran.view()!.breakouts!.groups.findIndex((g) => g.members?.some((m) => m.personId === ids[i]))
  for (const [i, person] of people.entries()) {
    await expect.poll(() => person.view()?.breakouts?.mine).toBe(groupOf(i))
    // Summoned to their group's copy.
    expect(person.customs()).toContainEqual({
      type: 'summon',
      bounds: null,
      focus: GROUPS[groupOf(i)]!.frameId,
    })
  }

  // Ready per group: one done in the first person's group; the other group counts its own.
  const mine = groupOf(0)
  await people[0]!.act({ type: 'ready', done: true })
  await expect
    .poll(() => fran.view()?.breakouts?.groups.map((g) => g.ready))
    .toEqual(GROUPS.map((_, g) => ({ done: g === mine ? 1 : 0, of: 2 })))
  const mate = people.findIndex((_, i) => i !== 0 && groupOf(i) === mine)
  const other = people.findIndex((_, i) => groupOf(i) !== mine)
  await expect
    .poll(() => people[mate]!.view()?.breakouts?.groups[mine]?.ready)
    .toEqual({ done: 1, of: 2 })
  const theirs = people[other]!.view()!.breakouts!
  expect(theirs.groups[1 - mine]).toMatchObject({ ready: { done: 0, of: 2 }, size: 2 })
  expect(theirs.groups[mine]).toMatchObject({ members: null, ready: null, size: 2 })

  // A latecomer goes to the smallest group: move one across so the groups are 3 and 1.
  const mover = ids[other]!
  await fran.act({ type: 'breakout-move', personId: mover, group: mine })
  await expect
    .poll(() => fran.view()?.breakouts?.groups.map((g) => g.size))
    .toEqual(GROUPS.map((_, g) => (g === mine ? 3 : 1)))
  const lateKey = personKey()
  const late = await personInWorkshop(
    server.url,
    roomId,
    participantKey,
    lateKey,
    'person-late0002',
  )
  await expect.poll(() => late.view()?.breakouts?.mine).toBe(1 - mine)
  await expect
    .poll(() =>
      late.customs().some((c) => c.type === 'summon' && c.focus === GROUPS[1 - mine]!.frameId),
    )
    .toBe(true)
  await late.act({ type: 'name', name: 'Latecomer' })
  await expect
    .poll(() => fran.view()?.breakouts?.groups.map((g) => g.size))
    .toEqual(GROUPS.map((_, g) => (g === mine ? 3 : 2)))

  await fran.act({ type: 'breakout-message', text: '5 minutes left' })
  await expect.poll(() => late.view()?.breakouts?.message?.text).toBe('5 minutes left')

  // On the wire: no participant's socket ever carried a name from another group (but the
  // one who moved, who was in both).
  const stayed = (g: number) => [
    ...names.filter((_, i) => i !== other && groupOf(i) === g),
    ...(g === 1 - mine ? ['Latecomer'] : []),
  ]
  for (const [i, person] of [...people, late].entries()) {
    if (i === other) continue
    const g = i < people.length ? groupOf(i) : 1 - mine
    const wire = person.socket.raw.join('\n')
    // Their own group's names did reach them: the check reads the right bytes.
    for (const name of stayed(g)) expect(wire).toContain(name)
    for (const name of stayed(1 - g)) {
      expect(wire, `${name} reached group ${g + 1}`).not.toContain(name)
    }
  }

  // A reconnect with the same person key keeps the group.
  late.socket.close()
  const back = await personInWorkshop(
    server.url,
    roomId,
    participantKey,
    lateKey,
    'person-late0002',
  )
  await expect.poll(() => back.view()?.breakouts?.mine).toBe(1 - mine)
  const groupsBefore = fran
    .view()!
    .breakouts!.groups.map((g) => g.members!.map((m) => m.personId).sort())

  // kill -9, restart: the same groups, names and message, everyone back in their group.
  await server.crash()
  await server.restart()
  fran = await personInWorkshop(server.url, roomId, facilitatorSecret, franKey, 'person-fran0002')
  const again = await join(0)
  const lateAgain = await personInWorkshop(
    server.url,
    roomId,
    participantKey,
    lateKey,
    'person-late0002',
  )
  await expect.poll(() => again.view()?.breakouts?.mine).toBe(mine)
  await expect.poll(() => lateAgain.view()?.breakouts?.mine).toBe(1 - mine)
  // The facilitator's view is paced: wait until it has both rejoins before reading it.
  await expect
    .poll(() => fran.view()?.breakouts?.groups.map((g) => g.ready?.of))
    .toEqual(GROUPS.map(() => 1))
  const after = fran.view()!.breakouts!
  expect(after.groups.map((g) => g.members!.map((m) => m.personId).sort())).toEqual(groupsBefore)
  expect(after.message?.text).toBe('5 minutes left')
  expect(after.groups.flatMap((g) => g.members!.map((m) => m.name)).sort()).toEqual(
    [...names, 'Latecomer'].sort(),
  )
  // Only those back on the board count as here.
  expect(after.groups.map((g) => g.ready?.of)).toEqual(GROUPS.map(() => 1))
  for (const m of [fran, again, lateAgain, back, ...people]) m.socket.close()
})
