/**
 * The server's record rules (src/server/rules/roles.ts), tried as an attacker would: a participant's
 * socket speaking tldraw's sync protocol directly, against the real PartyKit server. Each
 * attack from issue 10 must be answered with a refusal ("discard": nothing of the push was
 * kept) and leave the stored board exactly as it was; the facilitator, and a participant
 * within their rights, can still do each legitimate thing.
 */
import { boardSocketPath, rawWriter, storedBoard } from '../support/raw-socket'
import { TINY_PNG, arrow, arrowBinding, imageAsset, note, page, user } from '../support/raw-records'
import { expect, test } from './fixtures'

type StoredRecord = {
  id: string
  typeName: string
  type?: string
  isLocked?: boolean
  meta?: { switchback?: { zone?: unknown } }
}

/** A template zone: a shape with a zone rule. */
const findZone = (board: Record<string, StoredRecord>) =>
  Object.values(board).find((r) => r.meta?.switchback?.zone !== undefined)!

const freshId = () =>
  `r${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

/** A board made from the hill-climbing map (it has locked arrows), with its secrets. */
async function templateBoard(serverUrl: string) {
  const roomId = freshId()
  const created = await fetch(`${serverUrl}/parties/board/${roomId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ templateId: 'hill-climbing-map' }),
  })
  expect(created.status).toBe(201)
  const { facilitatorSecret, participantKey } = (await created.json()) as {
    facilitatorSecret: string
    participantKey: string
  }
  return { roomId, facilitatorSecret, participantKey }
}

const put = (record: { id: string }) => ({ [record.id]: ['put', record] })

test('a participant’s raw pushes that break a record rule are refused and change nothing', async ({
  server,
}) => {
  const { roomId, participantKey } = await templateBoard(server.url)
  const board = await storedBoard<StoredRecord>(server.url, roomId)
  const lockedArrow = Object.values(board).find((r) => r.type === 'arrow' && r.isLocked)!
  const zone = findZone(board)
  expect(lockedArrow, 'the template has a locked arrow').toBeTruthy()
  expect(zone, 'the template has a zone').toBeTruthy()

  const { socket, push } = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, participantKey),
  )
  // Their own sticky and arrow, which they may write: the attacks below build on them.
  expect(await push(put(note('shape:mine')))).toBe('commit')
  expect(await push(put(arrow('shape:my-arrow')))).toBe('commit')
  const before = await storedBoard<StoredRecord>(server.url, roomId)
  expect(before['shape:mine']).toBeTruthy()

  const attacks: [string, Record<string, unknown[]>][] = [
    ['delete the page', { 'page:page': ['remove'] }],
    ['rename the page', { 'page:page': ['patch', { name: ['put', 'Mine now'] }] }],
    ['create a page', put(page('page:evil', 'Evil'))],
    ['rename the board', { 'document:document': ['patch', { name: ['put', 'Hijacked'] }] }],
    [
      'bind the locked template arrow to their sticky',
      put(arrowBinding('binding:hijack', lockedArrow.id, 'shape:mine')),
    ],
    [
      'bind their arrow to a shape that does not exist',
      put(arrowBinding('binding:dangling', 'shape:my-arrow', 'shape:nowhere')),
    ],
    [
      'bind their arrow to the template zone',
      put(arrowBinding('binding:bg', 'shape:my-arrow', zone.id)),
    ],
    ['store a user record', put(user('user:mallory'))],
    [
      'put a zone rule on their own sticky',
      {
        'shape:mine': ['patch', { meta: ['put', { switchback: { zone: { capacity: 1 } } }] }],
      },
    ],
    ['remove a zone rule', { [zone.id]: ['patch', { meta: ['put', {}] }] }],
    [
      'add an image asset from another host',
      put(imageAsset('asset:tracker', 'https://tracker.example/pixel.png')),
    ],
    [
      'add an image asset from a protocol-relative URL',
      put(imageAsset('asset:tracker2', '//tracker.example/pixel.png')),
    ],
    [
      'add an image asset bigger than the app scales to',
      put(imageAsset('asset:huge', TINY_PNG, 10_000, 10_000)),
    ],
    ['add a sticky whose parent does not exist', put(note('shape:orphan', 0, 0, 'shape:nowhere'))],
    ['add a sticky on a page that does not exist', put(note('shape:lost', 0, 0, 'page:nowhere'))],
  ]
  for (const [attack, diff] of attacks) {
    expect(await push(diff), attack).toBe('discard')
  }
  // Refused, not thrown out: the socket is still there, and the board is exactly as it was.
  expect(await push(put(note('shape:after', 300, 100)))).toBe('commit')
  const after = await storedBoard<StoredRecord>(server.url, roomId)
  expect(after['shape:after']).toBeTruthy()
  delete after['shape:after']
  expect(after).toEqual(before)
  socket.close()
})

test('the facilitator renames and adds pages and sets zone rules; a participant binds their own shapes', async ({
  server,
}) => {
  const { roomId, facilitatorSecret, participantKey } = await templateBoard(server.url)
  const board = await storedBoard<StoredRecord>(server.url, roomId)
  const zone = findZone(board)

  const facilitator = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, facilitatorSecret),
  )
  expect(await facilitator.push({ 'page:page': ['patch', { name: ['put', 'Day one'] }] })).toBe(
    'commit',
  )
  expect(await facilitator.push(put(page('page:two', 'Day two')))).toBe('commit')
  const rule = { ...(zone.meta!.switchback as object), zone: { capacity: 5 } }
  expect(
    await facilitator.push({
      [zone.id]: ['patch', { meta: ['patch', { switchback: ['put', rule] }] }],
    }),
  ).toBe('commit')

  const participant = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, participantKey),
  )
  // Two stickies and an arrow between them, bound at both ends, in one push as tldraw sends it.
  expect(
    await participant.push({
      ...put(note('shape:one', 100, 100)),
      ...put(note('shape:two', 500, 100)),
      ...put(arrow('shape:link', 200, 200)),
      ...put(arrowBinding('binding:start', 'shape:link', 'shape:one', 'start')),
      ...put(arrowBinding('binding:end', 'shape:link', 'shape:two', 'end')),
    }),
  ).toBe('commit')
  expect(await participant.push(put(imageAsset('asset:photo', TINY_PNG)))).toBe('commit')

  const after = await storedBoard<StoredRecord>(server.url, roomId)
  expect(after['page:page']).toMatchObject({ name: 'Day one' })
  expect(after['page:two']).toMatchObject({ name: 'Day two' })
  expect(after[zone.id].meta).toEqual({ switchback: rule })
  expect(after['binding:start']).toMatchObject({ fromId: 'shape:link', toId: 'shape:one' })
  expect(after['binding:end']).toMatchObject({ fromId: 'shape:link', toId: 'shape:two' })
  expect(after['asset:photo']).toBeTruthy()
  for (const s of [facilitator.socket, participant.socket]) s.close()
})
