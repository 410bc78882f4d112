/**
 * The last copy of a board on this device (src/canvas/board-cache.ts, board-sync.ts), against
 * the real PartyKit server: a second visit paints the board's stickies before the socket has
 * connected, read-only and saying so; the server's board then wins over a stale copy and is
 * not changed by it; an edit the server never answered is not in the copy; in a private
 * brainstorm each view keeps its own copy, holding only what its socket received; and a
 * refused link or a board that is gone deletes its copy.
 *
 * The board's socket goes through `page.routeWebSocket`, which can hold it (the page's socket
 * is open, but nothing reaches the server until it is released) or mute it (the server stops
 * hearing this page, so its edits are never answered).
 */
import type { Page } from '@playwright/test'
import { boardCacheKey } from '../../src/canvas/board-cache'
import { note } from '../support/raw-records'
import { boardSocketPath, boardWithRecords, rawWriter, storedBoard } from '../support/raw-socket'
import { workshopMember } from '../support/raw-workshop'
import { shapesOn, waitForSync } from './board-helpers'
import { expect, test, type People } from './fixtures'

const freshId = () =>
  `cache${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

const richText = (words: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text: words }] }],
})

const sticky = (id: string, x: number, words: string) => {
  const record = note(id, x, 100)
  return { ...record, props: { ...record.props, fontSizeAdjustment: 1, richText: richText(words) } }
}

const STICKIES = [
  sticky('shape:cacheA', 100, 'Alpha idea'),
  sticky('shape:cacheB', 350, 'Bravo idea'),
  sticky('shape:cacheC', 600, 'Charlie idea'),
]
const IDS = STICKIES.map((s) => s.id).sort()

/** The board's socket of `page`, passed through, held, or muted (see the header). */
async function socketGate(page: Page, roomId: string) {
  let mode: 'pass' | 'hold' | 'mute' = 'pass'
  const held: (() => void)[] = []
  await page.routeWebSocket(
    (url) => url.pathname === `/parties/board/${roomId}`,
    (ws) => {
      const toServer: (string | Buffer)[] = []
      let server: ReturnType<typeof ws.connectToServer> | null = null
      ws.onMessage((message) => {
        if (mode === 'mute') return
        if (server) server.send(message)
        else toServer.push(message)
      })
      const open = () => {
        const s = ws.connectToServer()
        s.onMessage((message) => ws.send(message))
        for (const message of toServer.splice(0)) s.send(message)
        server = s
      }
      if (mode === 'hold') held.push(open)
      else open()
    },
  )
  return {
    hold: () => void (mode = 'hold'),
    mute: () => void (mode = 'mute'),
    release: () => {
      mode = 'pass'
      for (const open of held.splice(0)) open()
    },
  }
}

interface CacheEntry {
  key: string
  records: { id: string; typeName: string; props?: { richText?: unknown } }[]
}

/** Every copy this browser keeps, read straight from IndexedDB. */
async function cacheEntries(page: Page): Promise<CacheEntry[]> {
  return page.evaluate(
    () =>
      new Promise<CacheEntry[]>((resolve) => {
        const open = indexedDB.open('switchback-board-cache')
        open.onerror = () => resolve([])
        open.onsuccess = () => {
          const db = open.result
          if (!db.objectStoreNames.contains('boards')) return resolve([])
          const all = db.transaction('boards').objectStore('boards').getAll()
          all.onsuccess = () => resolve(all.result as CacheEntry[])
          all.onerror = () => resolve([])
        }
      }),
  )
}

const shapeIds = (entry: CacheEntry | undefined) =>
  (entry?.records ?? [])
    .filter((r) => r.typeName === 'shape')
    .map((r) => r.id)
    .sort()

/** The one copy of `roomId` for `role`. */
async function copyOf(page: Page, roomId: string, role: string) {
  const entries = await cacheEntries(page)
  return entries.find((e) => {
    const [room, r] = JSON.parse(e.key) as [string, string]
    return room === roomId && r === role
  })
}

/** The stored board without presence (what a visit must not change). */
async function documentOnServer(serverUrl: string, roomId: string) {
  const board = await storedBoard<{ id: string; typeName: string }>(serverUrl, roomId)
  return Object.values(board)
    .filter((r) => r.typeName !== 'instance_presence')
    .sort((a, b) => a.id.localeCompare(b.id))
}

/**
 * A participant's first visit to a new board of STICKIES, its socket behind a gate, until the
 * copy on the device holds what the server sent.
 */
async function firstVisit(people: People, serverUrl: string) {
  const { roomId, participantKey } = await boardWithRecords(serverUrl, freshId(), STICKIES)
  const page = await people.join('Pia')
  const gate = await socketGate(page, roomId)
  await page.goto(`${serverUrl}/b/${roomId}#k=${participantKey}`)
  await waitForSync(page)
  await expect.poll(async () => shapeIds(await copyOf(page, roomId, 'participant'))).toEqual(IDS)
  return { roomId, page, gate }
}

const lastCopy = /Last copy on this device · connecting/

test('a second visit shows the board’s stickies before the socket connects, read-only', async ({
  people,
  server,
}) => {
  // The first visit leaves a copy of what the server sent.
  const { page, gate } = await firstVisit(people, server.url)

  gate.hold()
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveText(lastCopy)
  await expect(page.locator('.tl-shape[data-shape-type="note"]')).toHaveCount(3)
  await expect(page.locator('.tl-shape').getByText('Bravo idea')).toBeVisible()
  expect((await shapesOn(page)).map((s) => s.id).sort()).toEqual(IDS)
  expect(await page.evaluate(() => window.editor.getIsReadonly())).toBe(true)

  gate.release()
  await waitForSync(page)
  expect(await page.evaluate(() => window.editor.getIsReadonly())).toBe(false)
  expect((await shapesOn(page)).map((s) => s.id).sort()).toEqual(IDS)
})

test('a stale copy: the server’s board wins, and the visit changes nothing on the server', async ({
  people,
  server,
}) => {
  const { roomId, participantKey, facilitatorSecret } = await boardWithRecords(
    server.url,
    freshId(),
    STICKIES,
  )
  const link = `${server.url}/b/${roomId}#k=${participantKey}`
  const page = await people.join('Pia')
  const gate = await socketGate(page, roomId)
  await page.goto(link)
  await waitForSync(page)
  await expect.poll(async () => shapeIds(await copyOf(page, roomId, 'participant'))).toEqual(IDS)
  await page.goto('about:blank')

  // While Pia is away, the facilitator deletes Bravo and rewrites Alpha.
  const writer = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, facilitatorSecret),
  )
  expect(
    await writer.push({
      'shape:cacheB': ['remove'],
      'shape:cacheA': ['patch', { props: ['patch', { richText: ['put', richText('Alpha v2')] }] }],
    }),
  ).toBe('commit')
  writer.socket.close()
  const before = await documentOnServer(server.url, roomId)

  // Back: the stale copy shows first (Bravo, the old Alpha)...
  gate.hold()
  await page.goto(link)
  await expect(page.getByTestId('connection')).toHaveText(lastCopy)
  await expect(page.locator('.tl-shape').getByText('Bravo idea')).toBeVisible()
  await expect(page.locator('.tl-shape').getByText('Alpha idea')).toBeVisible()

  // ...then the server's board replaces it.
  gate.release()
  await waitForSync(page)
  await expect
    .poll(async () => (await shapesOn(page)).map((s) => s.id).sort())
    .toEqual(['shape:cacheA', 'shape:cacheC'])
  await expect(page.locator('.tl-shape').getByText('Alpha v2')).toBeVisible()
  await expect(page.locator('.tl-shape').getByText('Bravo idea')).toHaveCount(0)
  await expect(page.locator('.tl-shape').getByText('Alpha idea')).toHaveCount(0)
  // The copy follows the server, and the server's board is as the facilitator left it.
  await expect
    .poll(async () => shapeIds(await copyOf(page, roomId, 'participant')))
    .toEqual(['shape:cacheA', 'shape:cacheC'])
  expect(await documentOnServer(server.url, roomId)).toEqual(before)
})

test('while the copy is shown nothing can be edited, and nothing made on it reaches the server', async ({
  people,
  server,
}) => {
  const { roomId, page, gate } = await firstVisit(people, server.url)
  const before = await documentOnServer(server.url, roomId)

  gate.hold()
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveText(lastCopy)
  await expect(page.locator('.tl-shape[data-shape-type="note"]')).toHaveCount(3)
  // The sticky shortcut and a click on empty canvas make nothing: the editor is read-only.
  await page.keyboard.press('n')
  await page.mouse.click(500, 500)
  expect((await shapesOn(page)).map((s) => s.id).sort()).toEqual(IDS)
  // The editor's API refuses too; a script that writes to the store anyway changes the copy only.
  await page.evaluate(() => {
    void window.editor.createShape({ id: 'shape:refused' as never, type: 'note', x: 800, y: 400 })
  })
  expect((await shapesOn(page)).map((s) => s.id).sort()).toEqual(IDS)
  await page.evaluate(() => {
    const a = window.editor.getShape('shape:cacheA' as never)!
    window.editor.store.put([{ ...a, id: 'shape:sneaky' as never, x: 900 }])
  })
  expect((await shapesOn(page)).map((s) => s.id)).toContain('shape:sneaky')

  gate.release()
  await waitForSync(page)
  await expect.poll(async () => (await shapesOn(page)).map((s) => s.id).sort()).toEqual(IDS)
  // Positive signal that the client has settled: the copy is the server's again.
  await expect.poll(async () => shapeIds(await copyOf(page, roomId, 'participant'))).toEqual(IDS)
  expect(await documentOnServer(server.url, roomId)).toEqual(before)
})

test('an edit the server never answered is not in the copy', async ({ people, server }) => {
  const { roomId, page, gate } = await firstVisit(people, server.url)

  // The server stops hearing this page: the new sticky's push is never answered, and the
  // writer, when it comes to write the copy after the edit, says it waits.
  gate.mute()
  const waited = page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        window.addEventListener('switchback:board-copy', (e) =>
          resolve((e as CustomEvent<string>).detail),
        )
      }),
  )
  await page.evaluate(
    () =>
      void window.editor.createShape({
        id: 'shape:unsaved' as never,
        type: 'note',
        x: 800,
        y: 400,
      }),
  )
  expect((await shapesOn(page)).map((s) => s.id)).toContain('shape:unsaved')
  expect(await waited).toBe('waiting')
  // Leaving writes the copy if it may (pagehide): it may not, the push is unanswered.
  gate.hold()
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveText(lastCopy)
  await expect(page.locator('.tl-shape[data-shape-type="note"]')).toHaveCount(3)
  expect((await shapesOn(page)).map((s) => s.id).sort()).toEqual(IDS)
  expect(shapeIds(await copyOf(page, roomId, 'participant'))).toEqual(IDS)
  expect(Object.keys(await storedBoard(server.url, roomId))).not.toContain('shape:unsaved')
})

test('private brainstorm: a participant’s copy holds only their own hidden stickies, a facilitator’s is separate', async ({
  people,
  server,
}) => {
  const { roomId, participantKey, facilitatorSecret } = await boardWithRecords(
    server.url,
    freshId(),
    STICKIES,
  )
  const facilitator = await workshopMember(server.url, roomId, facilitatorSecret, 'F'.repeat(43))
  await facilitator.act({ type: 'private-start', scope: { kind: 'board' }, timerMs: null })
  // Ana, on her own device, writes a hidden sticky.
  const ana = await workshopMember(server.url, roomId, participantKey, 'A'.repeat(43))
  const anaWords = 'ana-hidden-words'
  ana.socket.send({
    type: 'push',
    clientClock: 1,
    diff: { 'shape:anaHidden': ['put', sticky('shape:anaHidden', 100, anaWords)] },
  })
  expect(await ana.socket.next('push_result')).toMatchObject({ action: 'commit' })

  // Bea writes her own hidden sticky in the browser.
  const page = await people.join('Bea')
  await page.goto(`${server.url}/b/${roomId}#k=${participantKey}`)
  await waitForSync(page)
  await page.evaluate(
    () =>
      void window.editor.createShape({
        id: 'shape:beaHidden' as never,
        type: 'note',
        x: 900,
        y: 500,
      }),
  )
  await expect
    .poll(async () => shapeIds(await copyOf(page, roomId, 'participant')))
    .toEqual([...IDS, 'shape:beaHidden'].sort())
  const bytes = JSON.stringify(await cacheEntries(page))
  expect(bytes).not.toContain('anaHidden')
  expect(bytes).not.toContain(anaWords)
  // The server kept Bea's hidden from the others' view (the backup holds no hidden sticky).
  expect(Object.keys(await storedBoard(server.url, roomId))).not.toContain('shape:beaHidden')

  // The same browser opens the facilitator link: a second copy, apart from the first.
  await page.goto(`${server.url}/b/${roomId}#f=${facilitatorSecret}`)
  await waitForSync(page)
  await expect
    .poll(async () => shapeIds(await copyOf(page, roomId, 'facilitator')))
    .toContain('shape:cacheA')
  const entries = await cacheEntries(page)
  expect(entries.map((e) => (JSON.parse(e.key) as string[])[1]).sort()).toEqual([
    'facilitator',
    'participant',
  ])
  expect(JSON.stringify(entries)).not.toContain(anaWords)
  expect(JSON.stringify(entries)).not.toContain('anaHidden')
  // Bea's participant copy is still hers, unchanged by the facilitator's view.
  expect(shapeIds(await copyOf(page, roomId, 'participant'))).toEqual(
    [...IDS, 'shape:beaHidden'].sort(),
  )
})

test('a refused link or a board that is gone deletes its copy', async ({ people, server }) => {
  const { roomId, participantKey } = await boardWithRecords(server.url, freshId(), STICKIES)
  const page = await people.join('Pia')
  await page.goto(`${server.url}/b/${roomId}#k=${participantKey}`)
  await waitForSync(page)
  await expect.poll(async () => shapeIds(await copyOf(page, roomId, 'participant'))).toEqual(IDS)
  // Copies as this device would have kept them for a board since gone, and for a key the
  // server now refuses (the same records, under the keys those links look for).
  const missingRoom = freshId()
  const gone = boardCacheKey(missingRoom, 'participant', 'Pia-identity', participantKey)
  const refused = boardCacheKey(roomId, 'participant', 'Pia-identity', 'a'.repeat(43))
  const good = boardCacheKey(roomId, 'participant', 'Pia-identity', participantKey)
  await page.evaluate(
    ({ good, copies }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('switchback-board-cache')
        open.onsuccess = () => {
          const tx = open.result.transaction('boards', 'readwrite')
          const boards = tx.objectStore('boards')
          const read = boards.get(good)
          read.onsuccess = () => {
            for (const key of copies) boards.put({ ...read.result, key })
          }
          tx.oncomplete = () => resolve()
          tx.onerror = () => reject(new Error('not written'))
        }
      }),
    { good, copies: [gone, refused] },
  )
  const keys = async () => (await cacheEntries(page)).map((e) => e.key).sort()
  expect(await keys()).toEqual([gone, good, refused].sort())

  await page.goto(`${server.url}/b/${missingRoom}#k=${participantKey}`)
  await expect.poll(keys).toEqual([good, refused].sort())
  await page.goto(`${server.url}/b/${roomId}#k=${'a'.repeat(43)}`)
  await expect.poll(keys).toEqual([good])
})
