/**
 * The private brainstorm against the real PartyKit server: through raw sockets, that a hidden
 * sticky's bytes reach only its author's sockets, that nobody else can change it and that only
 * the facilitator starts and reveals; in browsers, a facilitator and two participants who each
 * see only their own stickies until the reveal; and a `kill -9` in the middle of it. Also
 * (issue 16): a sticky pushed inside a new frame is judged by where the push leaves it, an id
 * the board had stays public, the author label is the server's, and the facilitator's discard
 * and end-without-reveal buttons.
 */
import type { Page } from '@playwright/test'
import { InstancePresenceRecordType } from '@tldraw/tlschema'
import type { RawSocket } from '../support/raw-socket'
import { note } from '../support/raw-records'
import { storedBoard } from '../support/raw-socket'
import { workshopMember } from '../support/raw-workshop'
import { createBoardAsFacilitator, joinByLink, shareLink, waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

test.afterEach(async ({ server }) => server.ensureRunning())

/** A person key, as each browser keeps one (43 base64url characters). */
const personKey = (letter: string) => letter.repeat(43)

const richText = (words: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text: words }] }],
})

/** A raw socket of `secret` for the person with `key`, past the handshake, and its token. */
async function rawPerson(serverUrl: string, roomId: string, secret: string, key: string) {
  const member = await workshopMember(serverUrl, roomId, secret, key, {
    u: `person-${key.slice(0, 8)}`,
  })
  return { ...member, act: member.post }
}

const customs = (socket: RawSocket, type: string) =>
  socket.messages
    .filter((m) => m.type === 'custom')
    .map((m) => m.data as { type?: string; kind?: string; [k: string]: unknown })
    .filter((d) => d.type === type || d.kind === type)

const allBytes = (socket: RawSocket) => socket.raw.join('\n')

async function secretsOf(page: Page, roomId: string) {
  const facilitator = await page.evaluate(
    (id) => (JSON.parse(localStorage.getItem('switchback:boards')!)[id] as { f: string }).f,
    roomId,
  )
  const participant = new URL(await shareLink(page, 'participant')).hash.replace('#k=', '')
  return { facilitator, participant }
}

test('a hidden sticky reaches only its author’s sockets, and only the facilitator reveals it', async ({
  people,
  server,
}) => {
  const fran = await people.join('Fran')
  const roomId = await createBoardAsFacilitator(fran, server.url)
  const secrets = await secretsOf(fran, roomId)
  const f = await rawPerson(server.url, roomId, secrets.facilitator, personKey('F'))
  const a1 = await rawPerson(server.url, roomId, secrets.participant, personKey('A'))
  const a2 = await rawPerson(server.url, roomId, secrets.participant, personKey('A'))
  const b = await rawPerson(server.url, roomId, secrets.participant, personKey('B'))
  await a1.act({ type: 'name', name: 'Ana' })

  // Only the facilitator starts and reveals.
  const start = { type: 'private-start', scope: { kind: 'board' }, timerMs: null }
  expect((await b.act(start)).status).toBe(403)
  expect((await f.act(start)).status).toBe(200)
  expect((await f.act(start)).status).toBe(409)
  expect((await b.act({ type: 'private-reveal', anonymous: false })).status).toBe(403)

  const id = 'shape:hiddenAna01'
  const words = 'ultra-secret-idea-from-Ana'
  a1.socket.send({
    type: 'push',
    clientClock: 1,
    diff: {
      [id]: ['put', { ...note(id), props: { ...note(id).props, richText: richText(words) } }],
    },
  })
  expect(await a1.socket.next('push_result')).toMatchObject({ action: 'commit' })
  // Ana's other socket gets it; the facilitator gets a count instead.
  await expect.poll(() => allBytes(a2.socket)).toContain(words)
  await expect
    .poll(() => JSON.stringify(customs(f.socket, 'state').at(-1)))
    .toContain('"name":"Ana","count":1}')

  // Ana selects it: tldraw's presence tells everyone her selection, but not this id.
  const presence = InstancePresenceRecordType.create({
    id: InstancePresenceRecordType.createId('ana'),
    currentPageId: 'page:page' as never,
    userId: 'user:ana' as never,
    userName: 'Ana',
    color: '#1971c2',
    lastActivityTimestamp: Date.now(),
    selectedShapeIds: [id as never],
  })
  a1.socket.send({ type: 'push', clientClock: 2, presence: ['put', presence] })
  // Ben's and the facilitator's sockets get none of the sticky's bytes: checked once each has
  // Ana's presence, which the room sends them after anything it would have sent for her push
  // (the author's other socket and the count are sent before the room sees the push at all).
  for (const other of [b, f]) {
    await expect.poll(() => allBytes(other.socket)).toContain('"userName":"Ana"')
    expect(allBytes(other.socket)).not.toContain('hiddenAna01')
    expect(allBytes(other.socket)).not.toContain(words)
  }

  // Ben guesses the id: his edit, delete and overwrite are refused, and change nothing.
  b.socket.send({ type: 'push', clientClock: 1, diff: { [id]: ['patch', { x: ['put', 999] }] } })
  b.socket.send({ type: 'push', clientClock: 2, diff: { [id]: ['remove'] } })
  b.socket.send({
    type: 'push',
    clientClock: 3,
    diff: {
      [id]: [
        'put',
        { ...note(id), props: { ...note(id).props, richText: richText('Ben was here') } },
      ],
    },
  })
  for (let i = 0; i < 3; i++) {
    expect((await b.socket.next('push_result')).action).not.toBe('commit')
  }
  expect(customs(b.socket, 'private-brainstorm')[0]?.message).toMatch(/only its author/)

  // Nothing of it reached Ben's or the facilitator's socket, nor the board's backup.
  for (const other of [b, f]) {
    expect(allBytes(other.socket)).not.toContain('hiddenAna01')
    expect(allBytes(other.socket)).not.toContain(words)
  }
  expect(await (await fetch(`${server.url}/parties/board/${roomId}`)).text()).not.toContain(words)

  // The reveal: everyone has it at once, as Ana wrote it, with her name.
  expect((await f.act({ type: 'private-reveal', anonymous: false })).status).toBe(200)
  for (const who of [b, f]) await expect.poll(() => allBytes(who.socket)).toContain(words)
  const board = (await (await fetch(`${server.url}/parties/board/${roomId}`)).json()) as {
    store: Record<string, { x: number; meta: { switchback?: { author?: string } } }>
  }
  expect(board.store[id]).toMatchObject({ x: 100, meta: { switchback: { author: 'Ana' } } })
  expect(JSON.stringify(board.store)).not.toContain('Ben was here')
  for (const who of [f, a1, a2, b]) who.socket.close()
})

/** Creates a sticky with this text the way a person does, through the editor. */
async function addSticky(page: Page, words: string, x: number) {
  await page.evaluate(
    ({ x, richText }) => {
      window.editor.createShape({ type: 'note', x, y: 200, props: { richText } })
    },
    { x, richText: richText(words) },
  )
}

/**
 * Draws a rectangle with this id: not a sticky, so it goes through the room to everyone, as a
 * leaked sticky would. Seen on another screen, it shows that screen has all the room sent
 * for this person's earlier edits.
 */
async function addMarker(page: Page, id: string) {
  await page.evaluate((id) => {
    window.editor.createShape({ id: id as never, type: 'geo', x: 100, y: 700 })
  }, id)
}

const hasShape = (page: Page, id: string) =>
  page.evaluate((id) => window.editor.getShape(id as never) !== undefined, id)

const stickyTexts = (page: Page) =>
  page.evaluate(() =>
    window.editor
      .getCurrentPageShapes()
      .filter((s) => s.type === 'note')
      .map((s) => window.editor.getShapeUtil(s).getText(s) ?? '')
      .sort(),
  )

async function brainstorm(
  people: Parameters<Parameters<typeof test>[2]>[0]['people'],
  url: string,
) {
  const fran = await people.join('Fran')
  const roomId = await createBoardAsFacilitator(fran, url)
  const link = await shareLink(fran, 'participant')
  const ana = await joinByLink(people, 'Ana', link)
  const ben = await joinByLink(people, 'Ben', link)
  await fran.keyboard.press('Alt+Shift+I')
  const dialog = fran.getByTestId('private-dialog')
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Start' }).click()
  await expect(fran.getByTestId('private-bar')).toContainText('Private brainstorm')
  for (const page of [ana, ben]) {
    await expect(page.getByTestId('private-bar')).toContainText('visible only to you')
  }
  return { fran, ana, ben, roomId }
}

test('each participant sees only their own stickies until the facilitator reveals them', async ({
  people,
  server,
}) => {
  test.setTimeout(120_000)
  const { fran, ana, ben } = await brainstorm(people, server.url)

  await addSticky(ana, 'Ana one', 100)
  await addSticky(ana, 'Ana two', 350)
  await addSticky(ben, 'Ben one', 600)
  await expect.poll(() => stickyTexts(ana)).toEqual(['Ana one', 'Ana two'])
  await expect.poll(() => stickyTexts(ben)).toEqual(['Ben one'])
  await expect(ana.getByTestId('hidden-badge')).toHaveCount(2)
  await expect(fran.getByTestId('private-count')).toHaveText(['Ana: 2', 'Ben: 1'])
  await expect(fran.getByTestId('private-total')).toHaveText('3 stickies hidden')
  await expect(ana.getByTestId('private-mine')).toContainText('2 hidden')
  // The counts leave before the room sees the pushes: the others' screens are checked once
  // each has a rectangle drawn after the stickies it must not show.
  await addMarker(ana, 'shape:ana-marker')
  await addMarker(ben, 'shape:ben-marker')
  for (const [page, ids] of [
    [fran, ['shape:ana-marker', 'shape:ben-marker']],
    [ben, ['shape:ana-marker']],
  ] as const) {
    for (const id of ids) await expect.poll(() => hasShape(page, id)).toBe(true)
  }
  expect(await stickyTexts(fran)).toEqual([])
  expect(await stickyTexts(ben)).toEqual(['Ben one'])

  // A reload keeps Ana's, still hers alone, still marked.
  await ana.reload()
  await waitForSync(ana)
  await expect.poll(() => stickyTexts(ana)).toEqual(['Ana one', 'Ana two'])
  await expect(ana.getByTestId('hidden-badge')).toHaveCount(2)
  // She edits one; nobody else sees that either.
  await ana.evaluate(() => {
    const mine = window.editor.getCurrentPageShapes().find((s) => s.type === 'note')!
    window.editor.updateShape({ id: mine.id, type: 'note', x: mine.x + 40 })
  })

  // Reveal anonymously: everyone has all three, nobody's name on them.
  await fran.getByTestId('private-bar').getByRole('button', { name: 'Reveal anonymously' }).click()
  const all = ['Ana one', 'Ana two', 'Ben one']
  for (const page of [fran, ana, ben]) {
    await expect.poll(() => stickyTexts(page)).toEqual(all)
    await expect(page.getByTestId('private-bar')).toHaveCount(0)
    await expect(page.getByTestId('hidden-badge')).toHaveCount(0)
    await expect(page.getByTestId('note-author')).toHaveCount(0)
  }
  // Over: a new sticky is everyone's at once.
  await addSticky(ben, 'Ben after', 900)
  await expect.poll(() => stickyTexts(ana)).toContain('Ben after')
})

test('a reveal with names shows each sticky’s author', async ({ people, server }) => {
  const { fran, ana, ben } = await brainstorm(people, server.url)
  await addSticky(ana, 'Ana named', 100)
  await expect(fran.getByTestId('private-count')).toHaveText(['Ana: 1'])
  await fran.keyboard.press('Alt+Shift+I')
  await fran
    .getByTestId('private-dialog')
    .getByRole('button', { name: 'Reveal', exact: true })
    .click()
  await expect.poll(() => stickyTexts(ben)).toEqual(['Ana named'])
  await expect(ben.getByTestId('note-author')).toHaveText('Ana')
})

test('kill -9 mid-brainstorm: the hidden stickies and the mode come back, still hidden', async ({
  people,
  server,
}) => {
  test.setTimeout(120_000)
  const { fran, ana, ben, roomId } = await brainstorm(people, server.url)
  await addSticky(ana, 'Ana survives', 100)
  // The count reaches the facilitator only once the sticky is on disk.
  await expect(fran.getByTestId('private-count')).toHaveText(['Ana: 1'])
  await server.crash()
  await server.restart()
  for (const page of [fran, ana, ben]) {
    await expect(page.getByTestId('connection')).toHaveText(/Saved/, { timeout: 30_000 })
  }
  await expect(fran.getByTestId('private-count')).toHaveText(['Ana: 1'])
  await expect(ben.getByTestId('private-bar')).toContainText('visible only to you')
  await ana.reload()
  await waitForSync(ana)
  await expect.poll(() => stickyTexts(ana)).toEqual(['Ana survives'])
  const late = await people.join('Lou')
  await late.goto(`${server.url}/b/${roomId}`)
  await waitForSync(late)
  expect(await stickyTexts(late)).toEqual([])
  expect(await stickyTexts(ben)).toEqual([])
  expect(await stickyTexts(fran)).toEqual([])
})

const frameOf = (id: string, parentId = 'page:page') => ({
  ...note(id, 0, 0, parentId),
  type: 'frame',
  props: { w: 900, h: 700, name: 'Pasted', color: 'black' },
})
const stickyOf = (id: string, words: string, parentId = 'page:page') => ({
  ...note(id, 40, 40, parentId),
  props: { ...note(id).props, richText: richText(words) },
})

test('a sticky pushed inside a new frame is hidden by where the push leaves it; a board id stays public; authors are the server’s', async ({
  people,
  server,
}) => {
  const fran = await people.join('Fran')
  const roomId = await createBoardAsFacilitator(fran, server.url)
  const secrets = await secretsOf(fran, roomId)
  const f = await rawPerson(server.url, roomId, secrets.facilitator, personKey('F'))
  const a = await rawPerson(server.url, roomId, secrets.participant, personKey('A'))
  const b = await rawPerson(server.url, roomId, secrets.participant, personKey('B'))

  // Before the brainstorm: a public sticky, deleted (an undo will bring it back).
  a.socket.send({
    type: 'push',
    clientClock: 1,
    diff: { 'shape:wasPublic': ['put', stickyOf('shape:wasPublic', 'public-then-undone')] },
  })
  expect(await a.socket.next('push_result')).toMatchObject({ action: 'commit' })
  a.socket.send({ type: 'push', clientClock: 2, diff: { 'shape:wasPublic': ['remove'] } })
  expect(await a.socket.next('push_result')).toMatchObject({ action: 'commit' })

  f.socket.send({
    type: 'push',
    clientClock: 1,
    diff: { 'shape:scope': ['put', frameOf('shape:scope')] },
  })
  expect(await f.socket.next('push_result')).toMatchObject({ action: 'commit' })
  const start = {
    type: 'private-start',
    scope: { kind: 'frame', frameId: 'shape:scope', label: 'Ideas' },
    timerMs: null,
  }
  expect((await f.act(start)).status).toBe(200)

  // A paste of a frame holding a sticky, into the scope frame (judged on the board before the
  // push, the sticky was out of scope: the room committed it, and everyone got its text).
  const words = 'pasted-into-a-new-frame-secret'
  a.socket.send({
    type: 'push',
    clientClock: 3,
    diff: {
      'shape:pastedFrame': ['put', frameOf('shape:pastedFrame', 'shape:scope')],
      'shape:pastedNote': ['put', stickyOf('shape:pastedNote', words, 'shape:pastedFrame')],
    },
  })
  expect(await a.socket.next('push_result')).toMatchObject({ action: 'commit' })
  await expect.poll(() => allBytes(b.socket)).toContain('shape:pastedFrame')
  // The undo: the old id comes back, public (Ben gets it).
  a.socket.send({
    type: 'push',
    clientClock: 4,
    diff: {
      'shape:wasPublic': ['put', stickyOf('shape:wasPublic', 'public-then-undone', 'shape:scope')],
    },
  })
  expect(await a.socket.next('push_result')).toMatchObject({ action: 'commit' })
  await expect.poll(() => allBytes(b.socket)).toContain('public-then-undone"')
  // Ben claims a sticky is Ana's: the label is dropped.
  const claimed = stickyOf('shape:claimed', 'claimed')
  b.socket.send({
    type: 'push',
    clientClock: 1,
    diff: { 'shape:claimed': ['put', { ...claimed, meta: { switchback: { author: 'Ana' } } }] },
  })
  await b.socket.next('push_result')

  for (const other of [b, f]) expect(allBytes(other.socket)).not.toContain(words)
  const stored = await storedBoard<{ meta: { switchback?: { author?: string } } }>(
    server.url,
    roomId,
  )
  expect(JSON.stringify(stored)).not.toContain(words)
  expect(stored['shape:pastedFrame']).toBeDefined()
  expect(stored['shape:wasPublic']).toBeDefined()
  expect(stored['shape:claimed'].meta.switchback?.author).toBeUndefined()

  // The reveal puts the pasted sticky in its frame.
  expect((await f.act({ type: 'private-reveal', anonymous: true })).status).toBe(200)
  await expect.poll(() => allBytes(b.socket)).toContain(words)
  const after = await storedBoard<{ parentId: string }>(server.url, roomId)
  expect(after['shape:pastedNote'].parentId).toBe('shape:pastedFrame')
  for (const who of [f, a, b]) who.socket.close()
})

test('the facilitator discards one person’s hidden stickies, then ends without revealing', async ({
  people,
  server,
}) => {
  test.setTimeout(120_000)
  const { fran, ana, ben, roomId } = await brainstorm(people, server.url)
  await addSticky(ana, 'Ana flood one', 100)
  await addSticky(ana, 'Ana flood two', 350)
  await addSticky(ben, 'Ben keeps', 600)
  await expect(fran.getByTestId('private-count')).toHaveText(['Ana: 2', 'Ben: 1'])

  await fran.getByRole('button', { name: 'Discard Ana’s hidden stickies' }).click()
  const confirm = fran.getByTestId('private-discard-dialog')
  await expect(confirm).toContainText('Their 2 hidden stickies are discarded unseen')
  // For a person to look at: the bar's counts with their discard buttons, and the question.
  await fran.screenshot({ path: test.info().outputPath('discard-confirm.png') })
  await confirm.getByRole('button', { name: 'Discard', exact: true }).click()
  await expect(fran.getByTestId('private-count')).toHaveText(['Ben: 1'])
  await expect.poll(() => stickyTexts(ana)).toEqual([])
  await expect(ana.getByTestId('private-mine')).toHaveCount(0)
  expect(await stickyTexts(ben)).toEqual(['Ben keeps'])
  // Reloaded, Ana's are still gone (the discard is durable).
  await ana.reload()
  await waitForSync(ana)
  await expect(ana.getByTestId('private-bar')).toContainText('visible only to you')
  expect(await stickyTexts(ana)).toEqual([])

  await fran
    .getByTestId('private-bar')
    .getByRole('button', { name: 'End without revealing' })
    .click()
  await expect(confirm).toContainText('The 1 hidden sticky is discarded unseen')
  await confirm.getByRole('button', { name: 'End and discard' }).click()
  for (const page of [fran, ana, ben]) {
    await expect(page.getByTestId('private-bar')).toHaveCount(0)
  }
  await expect.poll(() => stickyTexts(ben)).toEqual([])
  expect(await stickyTexts(fran)).toEqual([])
  const stored = JSON.stringify(await storedBoard(server.url, roomId))
  expect(stored).not.toContain('Ana flood')
  expect(stored).not.toContain('Ben keeps')
  // Over: a new sticky is everyone's at once.
  await addSticky(ben, 'Ben after', 900)
  await expect.poll(() => stickyTexts(ana)).toContain('Ben after')
})

test('a frame made with a sticky in it keeps the sticky hidden for its author, in the frame', async ({
  people,
  server,
}) => {
  const { fran, ana, ben } = await brainstorm(people, server.url)
  // One change that makes a frame and a sticky inside it, as a paste does.
  await ana.evaluate((richText) => {
    const editor = window.editor
    editor.run(() => {
      editor.createShape({
        id: 'shape:anaFrame' as never,
        type: 'frame',
        x: 0,
        y: 0,
        props: { w: 600, h: 400 },
      })
      editor.createShape({
        type: 'note',
        parentId: 'shape:anaFrame' as never,
        x: 40,
        y: 40,
        props: { richText },
      })
    })
  }, richText('Ana in her frame'))
  await expect(ana.getByTestId('hidden-badge')).toHaveCount(1)
  await expect(fran.getByTestId('private-count')).toHaveText(['Ana: 1'])
  await expect
    .poll(() => ben.evaluate(() => !!window.editor.getShape('shape:anaFrame' as never)))
    .toBe(true)
  expect(await stickyTexts(ben)).toEqual([])
  await ana.reload()
  await waitForSync(ana)
  await expect.poll(() => stickyTexts(ana)).toEqual(['Ana in her frame'])
  await fran.getByTestId('private-bar').getByRole('button', { name: 'Reveal', exact: true }).click()
  await expect.poll(() => stickyTexts(ben)).toEqual(['Ana in her frame'])
  const parent = await ben.evaluate(
    () => window.editor.getCurrentPageShapes().find((s) => s.type === 'note')?.parentId,
  )
  expect(parent).toBe('shape:anaFrame')
})

test('an undo that brings back a deleted public sticky keeps it public, without an “Only you” mark', async ({
  people,
  server,
}) => {
  const { fran, ana, ben } = await brainstorm(people, server.url)
  // The facilitator's stickies are public during the brainstorm.
  await addSticky(fran, 'Fran public', 100)
  await expect.poll(() => stickyTexts(ana)).toEqual(['Fran public'])
  await expect.poll(() => stickyTexts(ben)).toEqual(['Fran public'])
  await ana.evaluate(() => {
    const editor = window.editor
    const shape = editor.getCurrentPageShapes().find((s) => s.type === 'note')!
    editor.markHistoryStoppingPoint('delete')
    editor.deleteShapes([shape.id])
  })
  await expect.poll(() => stickyTexts(ben)).toEqual([])
  await ana.evaluate(() => {
    window.editor.undo()
  })
  await expect.poll(() => stickyTexts(ana)).toEqual(['Fran public'])
  await expect.poll(() => stickyTexts(ben)).toEqual(['Fran public'])
  await expect(ana.getByTestId('hidden-badge')).toHaveCount(0)
  await expect(ana.getByTestId('private-mine')).toHaveCount(0)
  await expect(fran.getByTestId('private-count')).toHaveCount(0)
})
