/**
 * Every board shortcut leaves tldraw's own actions alone. tldraw listens for its shortcuts on
 * the body and used to act first: Alt+Shift+V started a vote and also distributed the selected
 * stickies, for everyone. Here the facilitator, on one board with three stickies selected,
 * presses each entry of `BOARD_SHORTCUTS` in turn (so shortcuts added later are covered too)
 * and the board must come out exactly as the same command leaves it when tldraw cannot see
 * the key: the same key event dispatched on the window, which the page's handler hears and
 * tldraw's listeners (on the body and the canvas) never do. For a command that only opens
 * something, that is the board unchanged; for one that edits the board by design (freeze,
 * tidy, sort…), it is the command's own edit and nothing more. Between presses the test
 * closes what the command opened and puts the board back.
 */
import type { Page } from '@playwright/test'
import type { TLShape, TLShapeId } from 'tldraw'
import { BOARD_SHORTCUTS } from '../../src/app/shortcuts'
import { waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

declare global {
  interface Window {
    /** The last key press the page saw, and whether something (our handler) took it. */
    lastKey?: { code: string; taken: boolean }
    /** The template's shapes: anything else a command adds counts as new. */
    keptShapeIds?: Set<string>
  }
}

const STICKIES = ['shape:keys-a', 'shape:keys-b', 'shape:keys-c']

/** Three stickies in the "Scaffold" zone, unevenly spaced, so any arranging action shows. */
async function addStickies(page: Page) {
  await page.evaluate((ids) => {
    const editor = window.editor
    const zone = editor
      .getCurrentPageShapes()
      .find(
        (s) => (s.meta as { switchback?: { element?: string } }).switchback?.element === 'scaffold',
      )!
    const bounds = editor.getShapePageBounds(zone)!
    const at = [
      [40, 120],
      [260, 160],
      [120, 420],
    ]
    ids.forEach((id, i) =>
      editor.createShape({
        id: id as TLShapeId,
        type: 'note',
        // On the page, as a sticky dropped on the locked template is (tldraw leaves the
        // children of a locked frame where they are).
        x: bounds.x + at[i][0],
        y: bounds.y + at[i][1],
        props: {
          richText: {
            type: 'doc',
            content: [{ type: 'paragraph', content: [{ type: 'text', text: `Sticky ${i + 1}` }] }],
          },
        },
      }),
    )
    // After the page's own key handler, which listens on the window in the capture phase too.
    window.addEventListener(
      'keydown',
      (e) => (window.lastKey = { code: e.code, taken: e.defaultPrevented }),
      { capture: true },
    )
  }, STICKIES)
}

/**
 * The board as tldraw could change it: every shape on the page (new shapes without their
 * random ids, stacks by their members rather than their random stack ids), and the styles and
 * tool for the next shape.
 */
function boardState(page: Page) {
  return page.evaluate(() => {
    const editor = window.editor
    const shapes = editor.getCurrentPageShapes()
    const stackIds = new Map<string, string>()
    const plain = [...shapes]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((shape) => {
        const meta = structuredClone(shape.meta) as { switchback?: { stack?: string } }
        const stack = meta.switchback?.stack
        if (meta.switchback && stack) {
          if (!stackIds.has(stack)) stackIds.set(stack, `stack-${stackIds.size + 1}`)
          meta.switchback.stack = stackIds.get(stack)
        }
        return { ...shape, meta }
      })
    const known = (id: string) => id.startsWith('shape:keys-') || !!window.keptShapeIds?.has(id)
    return {
      kept: plain.filter((s) => known(s.id)),
      added: plain
        .filter((s) => !known(s.id))
        .map(({ id: _id, index: _index, parentId, ...rest }) => ({
          ...rest,
          parentId: known(parentId) ? parentId : 'new',
        }))
        .map((s) => JSON.stringify(s))
        .sort(),
      styles: JSON.stringify(editor.getInstanceState().stylesForNextShape),
      tool: editor.getCurrentToolId(),
    }
  })
}

type BoardState = Awaited<ReturnType<typeof boardState>>

/** The state once it stops changing (a command may finish after the key press). */
async function settledState(page: Page): Promise<BoardState> {
  let last = await boardState(page)
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(150)
    const now = await boardState(page)
    if (JSON.stringify(now) === JSON.stringify(last)) return now
    last = now
  }
  return last
}

/** Closes what a command opened: dialogs and popovers (Escape), then any open panel. */
async function closeUi(page: Page) {
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toHaveCount(0)
  const pressed = page.locator('header.topbar button[aria-pressed="true"][aria-keyshortcuts]')
  for (const button of await pressed.all()) {
    if ((await button.getAttribute('data-testid')) !== 'private-button') await button.click()
  }
  await expect(pressed).toHaveCount(0)
}

/** Puts the board back as it was before (shapes removed, changed ones restored). */
async function restore(page: Page, before: BoardState) {
  // As text: the records' type is too deep for Playwright's argument typing.
  await page.evaluate((text) => {
    const editor = window.editor
    const kept = JSON.parse(text) as TLShape[]
    const wanted = new Set(kept.map((s) => s.id))
    const extra = editor
      .getCurrentPageShapes()
      .filter((s) => !wanted.has(s.id))
      .map((s) => s.id)
    editor.run(() => {
      if (extra.length > 0) editor.store.remove(extra)
      editor.store.put(
        kept.filter((s) => JSON.stringify(editor.getShape(s.id)) !== JSON.stringify(s)),
      )
    })
  }, JSON.stringify(before.kept))
}

/** The three stickies selected, the canvas focused: where tldraw's shortcuts apply. */
async function selectStickies(page: Page) {
  await page.evaluate((ids) => {
    const editor = window.editor
    editor.setCurrentTool('select')
    editor.select(...(ids as TLShapeId[]))
    editor.getContainer().focus()
    editor.focus()
    window.lastKey = undefined
  }, STICKIES)
  // tldraw registers its shortcuts once it renders as focused.
  await expect
    .poll(() => page.evaluate(() => window.editor.getInstanceState().isFocused))
    .toBe(true)
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  )
}

/** The key event a real press of `keys` makes, sent to the window only: tldraw never sees it. */
async function pressPastTldraw(page: Page, keys: string) {
  await page.evaluate((spelled) => {
    const parts = spelled.split('+')
    const key = parts.at(-1)!
    window.dispatchEvent(
      new KeyboardEvent('keydown', {
        key,
        code: /^[A-Z]$/.test(key) ? `Key${key}` : key,
        altKey: parts.includes('Alt'),
        shiftKey: parts.includes('Shift'),
        bubbles: true,
        cancelable: true,
      }),
    )
  }, keys)
}

test('every board shortcut, with stickies selected, leaves tldraw’s actions alone', async ({
  people,
  server,
}) => {
  test.setTimeout(180_000)
  const fran = await people.join('Fran', { viewport: { width: 1440, height: 900 } })
  await fran.goto(`${server.url}/new?template=four-framework-jobs`)
  await fran.waitForURL(/\/b\//)
  await waitForSync(fran)
  await fran.evaluate(() => {
    window.keptShapeIds = new Set(window.editor.getCurrentPageShapeIds())
  })
  await addStickies(fran)
  const start = await settledState(fran)
  expect(start.kept.filter((s) => s.id.startsWith('shape:keys-'))).toHaveLength(3)

  // The check sees tldraw act: its own Alt+Shift+H distributes the selection. And the vote's
  // old key, Alt+Shift+V, is now tldraw's alone: it distributes, and no vote dialog opens.
  for (const tldrawKey of ['Alt+Shift+H', 'Alt+Shift+V']) {
    await closeUi(fran)
    await selectStickies(fran)
    await fran.keyboard.press(tldrawKey)
    expect(await settledState(fran), tldrawKey).not.toEqual(start)
    expect(await fran.evaluate(() => window.lastKey?.taken), tldrawKey).toBe(false)
    await expect(fran.getByTestId('start-vote')).toHaveCount(0)
    await restore(fran, start)
    await expect.poll(() => boardState(fran)).toEqual(start)
  }

  for (const { keys, command } of BOARD_SHORTCUTS) {
    const which = `${keys} (${command})`
    // A real key press, which tldraw's listeners see too (unless the page keeps it from them).
    await closeUi(fran)
    await selectStickies(fran)
    await fran.keyboard.press(keys)
    expect(await fran.evaluate(() => window.lastKey), which).toMatchObject({ taken: true })
    const byKey = await settledState(fran)
    await closeUi(fran)
    await restore(fran, start)
    await expect.poll(() => boardState(fran), which).toEqual(start)

    // The same command with tldraw out of the way.
    await selectStickies(fran)
    await pressPastTldraw(fran, keys)
    expect(await fran.evaluate(() => window.lastKey), which).toMatchObject({ taken: true })
    const byCommand = await settledState(fran)
    await closeUi(fran)
    await restore(fran, start)
    await expect.poll(() => boardState(fran), which).toEqual(start)

    expect(byKey, which).toEqual(byCommand)
  }
})
