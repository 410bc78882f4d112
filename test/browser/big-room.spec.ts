/**
 * One board at the size it is built for, against the real PartyKit server (the board party
 * hibernates, so the platform's 100-connection limit no longer applies and the caps are
 * Switchback's): 200 editors and 300 viewers, raw sockets through tldraw's handshake; the next
 * editor is offered the view-only link (in the app too), the next viewer is told the board is
 * full; an edit reaches the others; and nothing acknowledged is lost when the server is killed
 * mid-session (`kill -9`, as in durability.spec.ts).
 */
import { ROOM_LIMITS } from '../../src/protocol'
import {
  boardSocketPath,
  boardWithRecords,
  openRawSocket,
  pushNewShape,
  storedBoard,
  type RawSocket,
} from '../support/raw-socket'
import { shapesOn, waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

const freshId = () =>
  `big${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

/** Sockets opened at once: enough to be quick, few enough for a 2-CPU machine. */
const BATCH = 25

/** Opens `count` sockets past tldraw's handshake, BATCH at a time; each must be let in. */
async function fill(
  serverUrl: string,
  path: () => Promise<string> | string,
  count: number,
  open: RawSocket[],
): Promise<RawSocket[]> {
  const admitted: RawSocket[] = []
  for (let i = 0; i < count; i += BATCH) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(BATCH, count - i) }, async () => {
        const socket = await openRawSocket(serverUrl, await path())
        open.push(socket)
        admitted.push(socket)
        return socket.handshake()
      }),
    )
    for (const answer of batch) expect(answer).toMatchObject({ type: 'connect' })
  }
  return admitted
}

/** Whether `socket` has been sent a record with this id. */
const hasSeen = (socket: RawSocket, id: string) => socket.raw.some((frame) => frame.includes(id))

test.afterEach(async ({ server }) => server.ensureRunning())

test('one board takes 200 editors and 300 viewers, turns the next away, and loses nothing in a crash', async ({
  server,
  people,
}) => {
  test.setTimeout(300_000)
  const { roomId, participantKey } = await boardWithRecords(server.url, freshId())
  const path = `/parties/board/${roomId}`
  const open: RawSocket[] = []
  // tldraw's room ends a session it has not heard from in 20 s; its client pings every 5 s.
  const keepAlive = setInterval(() => {
    for (const socket of open) socket.send({ type: 'ping' })
  }, 5_000)
  try {
    const asParticipant = () => boardSocketPath(server.url, roomId, participantKey)
    const editors = await fill(server.url, asParticipant, ROOM_LIMITS.maxEditors, open)
    const lateEditor = await openRawSocket(server.url, await asParticipant())
    open.push(lateEditor)
    expect(await lateEditor.handshake()).toMatchObject({
      type: 'closed',
      code: 4099,
      reason: 'BOARD_FULL_VIEW_ONLY_OPEN',
    })

    // In the app: the screen says so and offers the view-only link, which gets in.
    const carol = await people.join('Carol')
    await carol.goto(`${server.url}/b/${roomId}#k=${participantKey}`)
    await expect(carol.getByText('This board is full')).toBeVisible()
    await carol.getByRole('link', { name: 'Open it view-only' }).click()
    await waitForSync(carol)
    await expect(carol.getByText('This board is full')).toHaveCount(0)

    const viewers = await fill(server.url, () => path, ROOM_LIMITS.maxViewers - 1, open)
    const lateViewer = await openRawSocket(server.url, path)
    open.push(lateViewer)
    expect(await lateViewer.handshake()).toMatchObject({
      type: 'closed',
      code: 4099,
      reason: 'BOARD_FULL',
    })
    // Every place taken: an editor is no longer offered the view-only link.
    const lastEditor = await openRawSocket(server.url, await asParticipant())
    open.push(lastEditor)
    expect(await lastEditor.handshake()).toMatchObject({ reason: 'BOARD_FULL' })

    // An edit by one of the 200 reaches the last editor, the last viewer and Carol's page.
    editors[0].send(pushNewShape('shape:among-five-hundred'))
    expect(await editors[0].next('push_result')).toMatchObject({ action: 'commit' })
    await expect.poll(() => hasSeen(editors.at(-1)!, 'shape:among-five-hundred')).toBe(true)
    await expect.poll(() => hasSeen(viewers.at(-1)!, 'shape:among-five-hundred')).toBe(true)
    await expect
      .poll(async () => (await shapesOn(carol)).map((s) => s.id))
      .toContain('shape:among-five-hundred')

    // Mid-session, one more edit is acknowledged; then the server dies without a word.
    editors[1].send(pushNewShape('shape:before-the-crash', 1))
    expect(await editors[1].next('push_result')).toMatchObject({ action: 'commit' })
    await server.crash()
    expect((await editors[2].closed).code).not.toBe(4099)

    await server.restart()
    const store = await storedBoard(server.url, roomId)
    expect(Object.keys(store)).toEqual(
      expect.arrayContaining(['shape:among-five-hundred', 'shape:before-the-crash']),
    )
    // Back in, an editor gets the board with both and edits on.
    const back = await openRawSocket(server.url, await asParticipant())
    open.push(back)
    const answer = await back.handshake()
    expect(answer).toMatchObject({ type: 'connect' })
    expect(JSON.stringify(answer)).toContain('shape:before-the-crash')
    back.send(pushNewShape('shape:after-the-crash'))
    expect(await back.next('push_result')).toMatchObject({ action: 'commit' })
  } finally {
    clearInterval(keepAlive)
    for (const socket of open) socket.close()
  }
})
