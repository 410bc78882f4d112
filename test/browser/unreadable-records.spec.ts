/**
 * One record must not break a board (issue 16, item 1), against the real PartyKit server and
 * Chromium: a participant's raw pushes of each malformed kind of rich text or meta are
 * refused with a reason, and nothing of them reaches another socket or the stored board; and
 * a sticky the editor cannot read that reaches a browser anyway (as a server without the
 * check sent them) leaves the canvas and the board's chrome up, is drawn with the words that
 * could be read, and the facilitator can select and delete it.
 */
import { RECORD_RULES } from '../../src/protocol'
import { boardSocketPath, openRawSocket, rawWriter, storedBoard } from '../support/raw-socket'
import { note } from '../support/raw-records'
import { createBoardAsFacilitator } from './board-helpers'
import { waitInPage } from '../support/page-wait'
import { expect, test } from './fixtures'
import type { Page } from '@playwright/test'

const freshId = () =>
  `u${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

const doc = (...content: unknown[]) => ({ type: 'doc', content })
const para = (...content: unknown[]) => ({ type: 'paragraph', content })
const sticky = (id: string, richText: unknown, meta: unknown = {}) => ({
  ...note(id),
  meta,
  props: { ...note(id).props, richText },
})

/** Rich text nested `depth` paragraphs deep, as JSON text (too deep for JSON.stringify). */
const deepText = (depth: number) =>
  `{"type":"doc","content":[${'{"type":"paragraph","content":['.repeat(depth)}{"type":"text","text":"x"}${']}'.repeat(depth)}]}`

/** Each malformed kind, as the JSON text of a push of one sticky with that id. */
const MALFORMED: [string, (id: string) => string][] = [
  ['a null node in content', (id) => put(sticky(id, doc(null)))],
  ['an unknown node type', (id) => put(sticky(id, doc({ type: 'iframe', content: [] })))],
  ['content that is not an array', (id) => put(sticky(id, { type: 'doc', content: 'x' }))],
  ['a bad mark', (id) => put(sticky(id, doc(para({ type: 'text', text: 'x', marks: [7] }))))],
  [
    'huge meta',
    (id) => put(sticky(id, doc(), { junk: 'x'.repeat(RECORD_RULES.maxMetaChars + 10) })),
  ],
  ['very deep nesting', (id) => put(sticky(id, '@DEEP@')).replace('"@DEEP@"', deepText(25_000))],
]

function put(record: { id: string }) {
  return JSON.stringify({ [record.id]: ['put', record] })
}

test('raw pushes of malformed rich text or meta are refused, with a reason, and reach no one', async ({
  server,
}) => {
  const roomId = freshId()
  const created = await fetch(`${server.url}/parties/board/${roomId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  })
  expect(created.status).toBe(201)
  const { participantKey, facilitatorSecret } = (await created.json()) as {
    participantKey: string
    facilitatorSecret: string
  }
  const watcher = await openRawSocket(
    server.url,
    await boardSocketPath(server.url, roomId, facilitatorSecret),
  )
  await watcher.handshake()
  for (const [n, [kind, make]] of MALFORMED.entries()) {
    // A socket each: the reason is told once a second at most, per socket.
    const { socket } = await rawWriter(
      server.url,
      await boardSocketPath(server.url, roomId, participantKey),
    )
    socket.send(`{"type":"push","clientClock":1,"diff":${make(`shape:bad${n}`)}}`)
    expect(await socket.next('push_result'), kind).toMatchObject({ action: 'discard' })
    const notice = () =>
      socket.messages.find(
        (m) => m.type === 'custom' && (m.data as { kind?: string }).kind === 'invalid-record',
      )?.data
    await expect
      .poll(notice, kind)
      .toMatchObject({ message: expect.stringMatching(/not saved: it/) })
    socket.close()
  }
  const { socket, push } = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, participantKey),
  )
  // A good sticky still goes through, and the watcher hears of it: the room is up.
  expect(await push({ 'shape:good': ['put', sticky('shape:good', doc())] })).toBe('commit')
  await expect.poll(() => watcher.raw.some((frame) => frame.includes('shape:good'))).toBe(true)
  expect(watcher.raw.some((frame) => frame.includes('shape:bad'))).toBe(false)
  const board = await storedBoard(server.url, roomId)
  expect(Object.keys(board).filter((id) => id.startsWith('shape:'))).toEqual(['shape:good'])
  socket.close()
  watcher.close()
})

test('a sticky the editor cannot read leaves the canvas and chrome up, and can be deleted', async ({
  people,
  server,
}) => {
  const page = await people.join('Fran')
  await createBoardAsFacilitator(page, server.url)
  const id = 'shape:unreadable'
  const bad = sticky(
    id,
    doc(para({ type: 'text', text: 'Words kept' }, null), { type: 'mystery', content: 'x' }),
  )
  // The label at its full size, as tldraw's client sets it for a sticky it makes (a raw one has 0).
  const record = { ...bad, props: { ...bad.props, fontSizeAdjustment: 1 } }
  // As a server without the check would have sent it: a remote change, straight into the store.
  await page.evaluate((record) => {
    const editor = window.editor
    const bad = { ...record, parentId: editor.getCurrentPageId() } as never
    editor.store.mergeRemoteChanges(() => editor.store.put([bad]))
    editor.zoomToFit({ force: true })
    editor.resetZoom()
  }, record)
  const shape = page.locator(`[data-shape-id="${id}"]`)
  await expect(shape).toContainText('Words kept')
  await expect(page.getByText('Something went wrong')).toHaveCount(0)
  for (const name of ['Agenda', 'Snapshots']) {
    await expect(page.getByRole('button', { name })).toBeVisible()
  }
  await expect(page.getByRole('button', { name: /^Export/ })).toBeVisible()
  await page.evaluate(() => document.fonts.ready)
  await page.screenshot({ path: test.info().outputPath('unreadable-sticky.png') })

  // The facilitator selects it on the canvas and deletes it.
  await shape.click()
  await waitInPage(page, (id) => window.editor.getSelectedShapeIds().includes(id as never), id)
  await page.keyboard.press('Delete')
  await waitInPage(page, (id) => !window.editor.getShape(id as never), id)
  await page.getByRole('button', { name: 'Agenda' }).click()
  await expect(page.getByRole('complementary').or(page.getByRole('dialog')).first()).toBeVisible()
})

test('what the editor makes, marks and lists included, is saved by the server', async ({
  people,
  server,
}) => {
  const page = await people.join('Fran')
  const roomId = await createBoardAsFacilitator(page, server.url)
  await page.getByTestId('tools.note').click()
  await page.mouse.click(500, 400)
  // Typed as a person would, with the editor's own shortcuts and input rules: once the sticky's
  // text editor has focus, and a key at a time (typed in one burst, keys reached TipTap before
  // it had focus or while an input rule was rewriting the line, and came out of order).
  await expect(page.locator('.tl-shape .ProseMirror')).toBeFocused()
  const type = (text: string) => page.keyboard.type(text, { delay: 25 })
  await type('plain ')
  await page.keyboard.press('ControlOrMeta+b')
  await type('bold')
  await page.keyboard.press('ControlOrMeta+b')
  await page.keyboard.press('ControlOrMeta+i')
  await type(' italic')
  await page.keyboard.press('ControlOrMeta+i')
  await page.keyboard.press('Enter')
  await type('- listed')
  await page.keyboard.press('Escape')
  const savedText = async () => {
    const board = await storedBoard<{ type?: string; props?: { richText?: unknown } }>(
      server.url,
      roomId,
    )
    return JSON.stringify(Object.values(board).find((r) => r.type === 'note')?.props?.richText)
  }
  // The last keys may still be on their way when the list first shows: wait for the whole text.
  await expect.poll(savedText).toContain('listed')
  const saved = await savedText()
  for (const part of ['"bulletList"', '"bold"', '"italic"']) expect(saved).toContain(part)
})

test('a shape that fails to draw is a placeholder the facilitator can delete; the rest stays', async ({
  people,
  server,
}) => {
  const page = await people.join('Fran')
  const roomId = await createBoardAsFacilitator(page, server.url)
  // Whatever a future record might hold that the drawing code cannot take: the sticky util's
  // drawing throws for one shape (a fault put into this page, not a mock of anything).
  const ids = await page.evaluate(() => {
    const editor = window.editor
    const util = editor.getShapeUtil('note') as unknown as {
      component(shape: { id: string }): unknown
    }
    const draw = util.component.bind(util)
    util.component = (shape) => {
      if (shape.id === 'shape:cannot-draw') throw new Error('a shape that cannot be drawn')
      return draw(shape)
    }
    const place = (id: string, x: number) =>
      editor.createShape({ id: id as never, type: 'note', x, y: 0 })
    place('shape:cannot-draw', 0)
    place('shape:fine', 300)
    editor.zoomToFit({ force: true })
    editor.resetZoom()
    return ['shape:cannot-draw', 'shape:fine']
  })
  const onServer = async () => Object.keys(await storedBoard(server.url, roomId))
  await expect.poll(onServer).toEqual(expect.arrayContaining(ids))
  const placeholder = page.getByRole('img', { name: 'A shape that could not be drawn' })
  await expect(placeholder).toBeVisible()
  await expect(page.locator(`[data-shape-id="${ids[1]}"]`)).toBeVisible()
  await expect(page.getByText('Something went wrong')).toHaveCount(0)
  for (const name of ['Agenda', 'Snapshots']) {
    await expect(page.getByRole('button', { name })).toBeVisible()
  }
  await page.screenshot({ path: test.info().outputPath('shape-placeholder.png') })

  await placeholder.click()
  await waitInPage(page, (id) => window.editor.getSelectedShapeIds().includes(id as never), ids[0])
  await page.keyboard.press('Delete')
  await expect.poll(onServer).not.toContain(ids[0])
  expect(await onServer()).toContain(ids[1])
})

test('a canvas that fails is loaded again; while it stays down, Snapshots still restores the board', async ({
  people,
  server,
}) => {
  const page = await people.join('Fran')
  const roomId = await createBoardAsFacilitator(page, server.url)
  await page.evaluate(() => {
    const editor = window.editor
    editor.createShape({ id: 'shape:kept' as never, type: 'note', x: 0, y: 0 })
    ;(window as unknown as { failedEditor?: unknown }).failedEditor = editor
  })
  await expect
    .poll(async () => Object.keys(await storedBoard(server.url, roomId)))
    .toContain('shape:kept')
  await breakTheCanvas(page, 'shape:trigger', 400)
  // A new editor, with the board as it was, and the chrome around it.
  await waitInPage(
    page,
    () =>
      window.editor !== (window as unknown as { failedEditor?: unknown }).failedEditor &&
      !!window.editor.getShape('shape:kept' as never),
  )
  await expect(page.locator('[data-shape-id="shape:kept"]')).toBeVisible()
  await expect(page.getByText('Something went wrong')).toHaveCount(0)
  for (const name of ['Agenda', 'Snapshots']) {
    await expect(page.getByRole('button', { name })).toBeVisible()
  }
  await expect(page.getByRole('button', { name: /^Export/ })).toBeVisible()
  await page.screenshot({ path: test.info().outputPath('canvas-reloaded.png') })

  // A snapshot now; then the canvas fails again, and this time it stays down until asked.
  await page.keyboard.press('Alt+Shift+P')
  const panel = page.getByTestId('snapshots')
  await panel.getByRole('button', { name: 'Take a snapshot' }).click()
  await expect(panel.getByTestId('snapshot')).toHaveCount(1)
  await page.keyboard.press('Alt+Shift+P')
  await expect(panel).toHaveCount(0)
  await page.evaluate(() => {
    const editor = window.editor
    editor.createShape({ id: 'shape:after' as never, type: 'note', x: 800, y: 0 })
    ;(window as unknown as { failedEditor?: unknown }).failedEditor = editor
  })
  await expect
    .poll(async () => Object.keys(await storedBoard(server.url, roomId)))
    .toContain('shape:after')
  await breakTheCanvas(page, 'shape:trigger2', 1200)
  const problem = page.getByRole('alert').filter({ hasText: 'could not draw' })
  await expect(problem).toBeVisible()
  // The canvas is down, and the facilitator can still get the board back from a snapshot.
  await page.getByRole('button', { name: 'Snapshots' }).click()
  const item = panel.getByTestId('snapshot')
  await expect(item).toHaveCount(1)
  await expect(panel.getByRole('button', { name: 'Take a snapshot' })).toBeDisabled()
  await page.screenshot({ path: test.info().outputPath('canvas-down-snapshots.png') })
  await item.getByRole('button', { name: /Restore the board/ }).click()
  await page.getByTestId('restore-confirm').getByRole('button', { name: 'Restore' }).click()
  await expect(page.getByText(/The board is back to/)).toBeVisible()
  await expect
    .poll(async () => Object.keys(await storedBoard(server.url, roomId)))
    .not.toContain('shape:after')
  await problem.getByRole('button', { name: 'Load the canvas again' }).click()
  await waitInPage(
    page,
    () =>
      window.editor !== (window as unknown as { failedEditor?: unknown }).failedEditor &&
      !!window.editor.getShape('shape:kept' as never) &&
      !window.editor.getShape('shape:after' as never),
  )
  await expect(page.getByRole('button', { name: 'Agenda' })).toBeVisible()
})

/**
 * A fault the shape boundaries cannot hold, put into this page: the editor itself throws
 * measuring stickies, and a sticky arrives (as a remote change) at `x`, so the render that
 * measures it fails.
 */
async function breakTheCanvas(page: Page, triggerId: string, x: number) {
  await page.evaluate(
    ({ triggerId, x }) => {
      const editor = window.editor
      const util = editor.getShapeUtil('note') as unknown as { getGeometry(): unknown }
      util.getGeometry = () => {
        throw new Error('the editor cannot go on')
      }
      const trigger = { ...editor.getShape('shape:kept' as never)!, id: triggerId, x }
      setTimeout(() => {
        try {
          editor.store.mergeRemoteChanges(() => editor.store.put([trigger as never]))
        } catch {
          // The store's own measuring may throw first; the canvas's render throws anyway.
        }
      })
    },
    { triggerId, x },
  )
}
