/**
 * The cursor lane and crowd mode over raw sockets against the real server: cursors reach the
 * others with the latest position kept (from the lane's own frames and from an old client's
 * presence, which the room's presence never carries), and whose cursors go out is the server's
 * decision: with "facilitators" a participant's cursor never reaches another participant's
 * socket (checked after a marker that travels the same path has arrived), only a facilitator
 * may choose the mode, and `auto` switches to facilitators-only above 30 editors by itself.
 */
import { ROOM_LIMITS, type CursorsTick } from '../../src/protocol'
import { boardWithRecords } from '../support/raw-socket'
import { workshopMember, type WorkshopMember } from '../support/raw-workshop'
import { expect, test } from './fixtures'

const freshId = () =>
  `c${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

const cursorFrame = (x: number, y = 0) => ({
  type: 'cursor',
  cursor: { x, y, type: 'default', rotation: 0 },
  camera: { x: 0, y: 0, z: 1 },
  screenBounds: { x: 0, y: 0, w: 1280, h: 720 },
})

/** The lane's ticks a member got. */
const ticks = (member: WorkshopMember) =>
  member.customs().filter((d): d is CursorsTick & Record<string, unknown> => d.type === 'cursors')

/** What a member holds of each entry after applying its ticks in order, as a client does. */
function entries(member: WorkshopMember) {
  const held = new Map<string, CursorsTick['moved'][number]>()
  for (const tick of ticks(member)) {
    if (tick.full) held.clear()
    for (const entry of tick.moved) held.set(entry[0], entry)
    for (const id of tick.gone) held.delete(id)
  }
  return held
}

/** The presence ids of members that joined after this one, in order (the role roster's). */
const laterIds = (member: WorkshopMember) =>
  member
    .customs()
    .filter((d) => d.type === 'role-joined')
    .map((d) => d.presenceId as string)

/** Waits until `member` has heard of `count` later members, and gives their presence ids. */
async function idsOf(member: WorkshopMember, count: number) {
  await expect.poll(() => laterIds(member).length).toBe(count)
  return laterIds(member)
}

/** Every lane tick a member was sent, as the bytes arrived. */
const laneFrames = (member: WorkshopMember) =>
  member.socket.raw.filter((frame) => frame.includes('"type":"cursors"')).join('\n')

const cursorX = (member: WorkshopMember, presenceId: string) =>
  entries(member).get(presenceId)?.[1]?.[0] ?? null

test('cursors reach the others with the latest position; an old client’s presence feeds the lane, not the room', async ({
  server,
}) => {
  const { roomId, participantKey } = await boardWithRecords(server.url, freshId(), [])
  const watcher = await workshopMember(server.url, roomId, participantKey, undefined)
  const mover = await workshopMember(server.url, roomId, participantKey, undefined)
  const old = await workshopMember(server.url, roomId, participantKey, undefined)
  const [moverId, oldId] = await idsOf(watcher, 2)
  for (let x = 1; x <= 60; x++) mover.socket.send(cursorFrame(x, x))
  await expect.poll(() => cursorX(watcher, moverId), { timeout: 10_000 }).toBe(60)
  expect(entries(watcher).get(moverId)).toEqual([
    moverId,
    [60, 60, 'default', 0],
    [0, 0, 1, 0, 0, 1280, 720],
  ])
  // Coalesced: far fewer ticks than moves.
  expect(ticks(watcher).length).toBeLessThan(30)

  // Vanilla tldraw pushes its whole presence, cursor included, 30 times a second.
  const presence = (clientClock: number, x: number) => ({
    type: 'push',
    clientClock,
    presence: [
      'put',
      {
        id: 'instance_presence:old',
        typeName: 'instance_presence',
        userId: 'user:old',
        userName: 'Old client',
        color: '#ff0000',
        currentPageId: 'page:page',
        cursor: { x, y: 7, type: 'pointer', rotation: 0 },
        camera: { x: 3, y: 4, z: 1 },
        screenBounds: { x: 0, y: 0, w: 800, h: 600 },
        lastActivityTimestamp: 1_000 + x,
        followingUserId: null,
        brush: null,
        scribbles: [],
        selectedShapeIds: [],
        chatMessage: '',
        meta: {},
      },
    ],
  })
  for (let i = 1; i <= 40; i++) old.socket.send(presence(i, 7_654_000 + i))
  await expect.poll(() => cursorX(watcher, oldId), { timeout: 10_000 }).toBe(7_654_040)
  expect(entries(watcher).get(oldId)?.[2]).toEqual([3, 4, 1, 0, 0, 800, 600])
  await expect
    .poll(() => old.socket.messages.filter((m) => m.type === 'push_result').length)
    .toBe(40)
  // The room was told the old client's name, never its cursor: no frame to the watcher from
  // the sync room carries one of those positions.
  const fromRoom = watcher.socket.raw.filter((frame) => !frame.includes('"cursors"'))
  expect(fromRoom.some((frame) => frame.includes('Old client'))).toBe(true)
  for (const frame of fromRoom) expect(frame).not.toContain('765400')
})

test('crowd mode "facilitators": a participant’s cursor never reaches another participant; only a facilitator sets it', async ({
  server,
}) => {
  const { roomId, facilitatorSecret, participantKey } = await boardWithRecords(
    server.url,
    freshId(),
    [],
  )
  const watcher = await workshopMember(server.url, roomId, participantKey, undefined)
  const fran = await workshopMember(server.url, roomId, facilitatorSecret, undefined)
  const mover = await workshopMember(server.url, roomId, participantKey, undefined)
  const [franId, moverId] = await idsOf(watcher, 2)

  const refused = await mover.post({ type: 'set-cursor-mode', mode: 'none' })
  expect(refused.status).toBe(403)
  await fran.act({ type: 'set-cursor-mode', mode: 'facilitators' })
  await expect
    .poll(() => watcher.view()?.cursors)
    .toEqual({ chosen: 'facilitators', effective: 'facilitators', editors: 3 })

  for (let x = 1; x <= 20; x++) mover.socket.send(cursorFrame(777_000 + x))
  // The marker: the facilitator's cursor, on the same lane, after the participant's moves.
  fran.socket.send(cursorFrame(4242))
  await expect.poll(() => cursorX(watcher, franId), { timeout: 10_000 }).toBe(4242)
  for (let x = 21; x <= 40; x++) mover.socket.send(cursorFrame(777_000 + x))
  fran.socket.send(cursorFrame(4343))
  await expect.poll(() => cursorX(watcher, franId), { timeout: 10_000 }).toBe(4343)
  expect(laneFrames(watcher)).not.toContain(moverId)
  expect(watcher.socket.raw.join('\n')).not.toContain('7770')
  // The facilitator sees the participant's cursor no more than anyone (mode is for everyone).
  expect(fran.socket.raw.join('\n')).not.toContain('7770')
  // "everyone": the participant's cursor goes out again.
  await fran.act({ type: 'set-cursor-mode', mode: 'everyone' })
  mover.socket.send(cursorFrame(888))
  await expect.poll(() => cursorX(watcher, moverId), { timeout: 10_000 }).toBe(888)
})

test('crowd mode "auto": facilitators only above the threshold of editors present, by itself', async ({
  server,
}) => {
  test.setTimeout(120_000)
  const { roomId, facilitatorSecret, participantKey } = await boardWithRecords(
    server.url,
    freshId(),
    [],
  )
  const watcher = await workshopMember(server.url, roomId, participantKey, undefined)
  const fran = await workshopMember(server.url, roomId, facilitatorSecret, undefined)
  const mover = await workshopMember(server.url, roomId, participantKey, undefined)
  const [franId, moverId] = await idsOf(watcher, 2)
  mover.socket.send(cursorFrame(11))
  await expect.poll(() => cursorX(watcher, moverId), { timeout: 10_000 }).toBe(11)
  expect(watcher.view()?.cursors).toMatchObject({ chosen: 'auto', effective: 'everyone' })

  // Up to the threshold, everyone's; one more editor and it is the facilitators' only.
  const crowd: WorkshopMember[] = []
  const threshold = ROOM_LIMITS.crowdCursorThreshold
  while (crowd.length + 3 < threshold) {
    crowd.push(await workshopMember(server.url, roomId, participantKey, undefined))
  }
  await expect
    .poll(() => watcher.view()?.cursors)
    .toEqual({ chosen: 'auto', effective: 'everyone', editors: threshold })
  crowd.push(await workshopMember(server.url, roomId, participantKey, undefined))
  await expect
    .poll(() => watcher.view()?.cursors, { timeout: 10_000 })
    .toEqual({ chosen: 'auto', effective: 'facilitators', editors: threshold + 1 })
  // A full snapshot said so: the participant's cursor is gone from the watcher's screen.
  await expect.poll(() => ticks(watcher).at(-1)?.mode).toBe('facilitators')
  expect(entries(watcher).has(moverId)).toBe(false)
  const before = watcher.socket.raw.length
  mover.socket.send(cursorFrame(999_111))
  fran.socket.send(cursorFrame(5151))
  await expect.poll(() => cursorX(watcher, franId), { timeout: 10_000 }).toBe(5151)
  expect(watcher.socket.raw.slice(before).join('\n')).not.toContain('999111')

  // Someone leaves: back to everyone's.
  crowd.pop()!.socket.close()
  await expect
    .poll(() => watcher.view()?.cursors, { timeout: 15_000 })
    .toEqual({ chosen: 'auto', effective: 'everyone', editors: threshold })
  mover.socket.send(cursorFrame(12))
  await expect.poll(() => cursorX(watcher, moverId), { timeout: 10_000 }).toBe(12)
  for (const member of crowd) member.socket.close()
})
