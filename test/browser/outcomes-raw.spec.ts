/**
 * The outcome rules (src/server/rules/outcome-rules.ts) tried as an attacker would: a
 * participant's socket speaking tldraw's sync protocol directly. Each forbidden mark is
 * refused ("discard"), the refusal's reason reaches that socket and no other, the room stays
 * up and the stored board is as it was; what a participant may do (an action mark on their
 * sticky) goes through. And the marks are kept: across a server crash and a snapshot restore.
 */
import { PNG } from 'pngjs'
import { SNAPSHOT_FORM, snapshotRestorePath, snapshotsPath } from '../../src/protocol'
import { OUTCOME_REFUSALS } from '../../src/server/rules/outcome-rules'
import {
  boardSocketPath,
  boardWithRecords,
  openRawSocket,
  rawWriter,
  storedBoard,
} from '../support/raw-socket'
import { note, rectangle } from '../support/raw-records'
import { expect, test } from './fixtures'

const freshId = () =>
  `o${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

type Stored = { id: string; x?: number; meta?: { switchback?: { outcome?: unknown } } }

const marked = (id: string, outcome: unknown, x = 100) => ({
  ...note(id, x, 100),
  meta: { switchback: { outcome } },
})
const setMark = (id: string, outcome: unknown) => ({
  [id]: ['patch', { meta: ['put', outcome === undefined ? {} : { switchback: { outcome } }] }],
})
/** Kept: committed as sent, or with tldraw's rebased form of the same patch. */
const kept = (answer: unknown) =>
  answer === 'commit' ||
  (typeof answer === 'object' && answer !== null && 'rebaseWithDiff' in answer)
    ? 'kept'
    : answer

const notices = (socket: { messages: { type: string; data?: unknown }[] }) =>
  socket.messages
    .filter((m) => m.type === 'custom' && (m.data as { kind?: string }).kind === 'invalid-record')
    .map((m) => (m.data as { message: string }).message)

test('a participant cannot write the marks the rules forbid; only they hear why; the room stays up', async ({
  server,
}) => {
  const roomId = freshId()
  const { participantKey, facilitatorSecret } = await boardWithRecords(server.url, roomId, [
    marked('shape:decided', { kind: 'decision' }),
    note('shape:free', 400, 100),
    marked('shape:owned', { kind: 'action', owner: 'Ana' }, 700),
    rectangle('shape:rect', 100, 500, 200, 100),
  ])
  const before = await storedBoard<Stored>(server.url, roomId)
  expect(before['shape:decided'].meta?.switchback?.outcome).toEqual({ kind: 'decision' })
  // Another participant, who must hear nothing of someone else's refusals.
  const bystander = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, participantKey),
  )

  const attacks: [string, Record<string, unknown[]>, string][] = [
    [
      'mark a sticky as a decision',
      setMark('shape:free', { kind: 'decision' }),
      OUTCOME_REFUSALS.decision,
    ],
    [
      'paste a decided sticky',
      { 'shape:pasted': ['put', marked('shape:pasted', { kind: 'decision' })] },
      OUTCOME_REFUSALS.decision,
    ],
    ['take a decision off', setMark('shape:decided', undefined), OUTCOME_REFUSALS.decided],
    [
      'turn a decision into an action',
      setMark('shape:decided', { kind: 'action' }),
      OUTCOME_REFUSALS.decided,
    ],
    [
      'move a decided sticky',
      { 'shape:decided': ['patch', { x: ['put', 900] }] },
      OUTCOME_REFUSALS.decided,
    ],
    ['delete a decided sticky', { 'shape:decided': ['remove'] }, OUTCOME_REFUSALS.decided],
    [
      'an owner too long',
      setMark('shape:free', { kind: 'action', owner: 'x'.repeat(61) }),
      OUTCOME_REFUSALS.invalid,
    ],
    [
      'a due date that is not a day',
      setMark('shape:free', { kind: 'action', due: 'soon' }),
      OUTCOME_REFUSALS.invalid,
    ],
    ['a mark of another kind', setMark('shape:free', { kind: 'veto' }), OUTCOME_REFUSALS.invalid],
    [
      'a mark on a rectangle',
      setMark('shape:rect', { kind: 'action' }),
      OUTCOME_REFUSALS.notSticky,
    ],
  ]
  for (const [attack, diff, reason] of attacks) {
    // A socket each: a reason is told once a second at most, per socket.
    const { socket, push } = await rawWriter(
      server.url,
      await boardSocketPath(server.url, roomId, participantKey),
    )
    expect(await push(diff), attack).toBe('discard')
    await expect.poll(() => notices(socket), attack).toEqual([reason])
    socket.close()
  }
  expect(await storedBoard<Stored>(server.url, roomId)).toEqual(before)
  expect(notices(bystander.socket), 'the other participant heard nothing').toEqual([])

  // Within their rights: an action on a sticky they may edit, changed, removed; another's too.
  const { socket, push } = bystander
  expect(
    kept(await push(setMark('shape:free', { kind: 'action', owner: 'Bo', due: '2027-01-15' }))),
  ).toBe('kept')
  expect(kept(await push(setMark('shape:owned', { kind: 'action', owner: 'Cy' })))).toBe('kept')
  expect(kept(await push(setMark('shape:owned', undefined)))).toBe('kept')
  const after = await storedBoard<Stored>(server.url, roomId)
  expect(after['shape:free'].meta?.switchback?.outcome).toEqual({
    kind: 'action',
    owner: 'Bo',
    due: '2027-01-15',
  })
  expect(after['shape:owned'].meta?.switchback?.outcome).toBeUndefined()
  expect(notices(socket)).toEqual([])

  // A viewer writes nothing; the facilitator may do all of it, but not write an unsound mark.
  const viewer = await openRawSocket(server.url, await boardSocketPath(server.url, roomId))
  expect(await viewer.handshake()).toMatchObject({ type: 'connect', isReadonly: true })
  viewer.close()
  const facilitator = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, facilitatorSecret),
  )
  expect(kept(await facilitator.push(setMark('shape:free', { kind: 'decision' })))).toBe('kept')
  expect(kept(await facilitator.push({ 'shape:decided': ['patch', { x: ['put', 160] }] }))).toBe(
    'kept',
  )
  expect(kept(await facilitator.push(setMark('shape:decided', undefined)))).toBe('kept')
  expect(await facilitator.push(setMark('shape:rect', { kind: 'decision' }))).toBe('discard')
  await expect.poll(() => notices(facilitator.socket)).toEqual([OUTCOME_REFUSALS.notSticky])
  // And the freshly decided sticky is now out of the participant's reach.
  expect(await push({ 'shape:free': ['patch', { x: ['put', 20] }] })).toBe('discard')
  socket.close()
  facilitator.socket.close()
})

test('marks are kept across a server crash and a snapshot restore', async ({ server }) => {
  const roomId = freshId()
  const decision = { kind: 'decision' }
  const action = { kind: 'action', owner: 'Ana', due: '2026-12-24' }
  const { facilitatorSecret } = await boardWithRecords(server.url, roomId, [
    marked('shape:d', decision),
    marked('shape:a', action, 400),
  ])
  const outcomes = async () => {
    const board = await storedBoard<Stored>(server.url, roomId)
    return [
      board['shape:d']?.meta?.switchback?.outcome,
      board['shape:a']?.meta?.switchback?.outcome,
    ]
  }
  await server.restart()
  expect(await outcomes()).toEqual([decision, action])

  // A snapshot of the marked board, then the marks taken off, then the snapshot restored.
  const bearer = { Authorization: `Bearer ${facilitatorSecret}` }
  const file = await (await fetch(`${server.url}/parties/board/${roomId}`)).text()
  const body = new FormData()
  const png = new PNG({ width: 2, height: 2 })
  body.set(
    SNAPSHOT_FORM.image,
    new Blob([new Uint8Array(PNG.sync.write(png))], { type: 'image/png' }),
  )
  body.set(SNAPSHOT_FORM.board, file)
  const taken = await fetch(`${server.url}${snapshotsPath(roomId)}`, {
    method: 'POST',
    headers: bearer,
    body,
  })
  expect(taken.status).toBe(201)
  const { id } = (await taken.json()) as { id: string }
  const { socket, push } = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, facilitatorSecret),
  )
  expect(
    kept(await push({ ...setMark('shape:d', undefined), ...setMark('shape:a', undefined) })),
  ).toBe('kept')
  socket.close()
  expect(await outcomes()).toEqual([undefined, undefined])
  const restored = await fetch(`${server.url}${snapshotRestorePath(roomId, id)}`, {
    method: 'POST',
    headers: bearer,
  })
  expect(restored.status).toBe(200)
  expect(await outcomes()).toEqual([decision, action])
})
