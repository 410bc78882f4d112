/**
 * Actions and decisions in two real browsers: a participant marks an action from the context
 * menu (owner picked from the people here, a due date), the facilitator a decision with
 * Alt+Shift+J; everyone sees the badges; the participant cannot move or delete the decided
 * sticky and it never snaps back; one undo takes a mark off; the Outcomes panel (Alt+Shift+O)
 * lists both and zooms to a sticky; the phone's More menu marks too; a reload keeps it all.
 */
import type { Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import { storedBoard } from '../support/raw-socket'
import { facilitatorAndParticipant, waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

type Stored = { id: string; x?: number; meta?: { switchback?: { outcome?: unknown } } }

const sticky = (id: string, x: number, words: string) => ({
  id,
  type: 'note',
  x,
  y: 0,
  props: {
    richText: {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: words }] }],
    },
  },
})

const onScreen = (page: Page, id: string) =>
  page.evaluate((id) => {
    const editor = window.editor
    return editor.pageToScreen(editor.getShapePageBounds(id as never)!.center)
  }, id)

test('marking actions and decisions, their badges, the rules in the editor and the Outcomes panel', async ({
  people,
  server,
}) => {
  test.setTimeout(120_000)
  const { alice, bob, roomId } = await facilitatorAndParticipant(people, server.url)
  const outcomeOf = async (id: string) =>
    (await storedBoard<Stored>(server.url, roomId))[id]?.meta?.switchback?.outcome

  // An empty panel says how to mark one.
  await alice.keyboard.press('Alt+Shift+O')
  await expect(alice.getByTestId('outcomes-empty')).toContainText('Mark as action…')
  await alice.getByRole('button', { name: 'Close the outcomes' }).click()

  await alice.evaluate(
    (notes) => {
      window.editor.createShapes(notes as never)
    },
    [
      sticky('shape:act', 0, 'Book the offsite'),
      sticky('shape:dec', 260, 'Ship weekly'),
      sticky('shape:phone', 520, 'Write the FAQ'),
    ],
  )
  await waitForSync(alice)
  for (const page of [alice, bob]) {
    await expect
      .poll(() => page.evaluate(() => window.editor.getCurrentPageShapes().length))
      .toBe(3)
    await page.evaluate(() => {
      window.editor.zoomToFit({ immediate: true })
    })
  }

  // Bob marks an action from the context menu, for Alice, by Christmas Eve.
  await bob.evaluate(() => {
    window.editor.select('shape:act' as never)
  })
  let spot = await onScreen(bob, 'shape:act')
  await bob.mouse.click(spot.x, spot.y, { button: 'right' })
  await expect(bob.getByRole('menuitem', { name: 'Mark as decision' })).toHaveCount(0)
  await bob.getByRole('menuitem', { name: 'Mark as action…' }).click()
  const dialog = bob.getByTestId('action-dialog')
  await dialog.getByRole('button', { name: 'Alice', exact: true }).click()
  await dialog.getByLabel('Due date').fill('2026-12-24')
  await dialog.getByRole('button', { name: 'Mark as action' }).click()
  await expect
    .poll(() => outcomeOf('shape:act'))
    .toEqual({
      kind: 'action',
      owner: 'Alice',
      due: '2026-12-24',
    })
  const badge = (page: Page, id: string) =>
    page.locator(`[data-shape-id="${id}"] [data-testid="note-outcome"]`)
  for (const page of [alice, bob]) {
    await expect(badge(page, 'shape:act')).toHaveAttribute('data-outcome', 'action')
    await expect(badge(page, 'shape:act')).toHaveText(/Alice · 24 Dec/)
  }

  // Alice decides with the shortcut; Bob sees it and can neither move nor delete it.
  await alice.evaluate(() => {
    window.editor.select('shape:dec' as never)
  })
  await alice.keyboard.press('Alt+Shift+J')
  await expect.poll(() => outcomeOf('shape:dec')).toEqual({ kind: 'decision' })
  await expect(badge(bob, 'shape:dec')).toHaveText('Decision')
  const decidedX = await bob.evaluate(() => window.editor.getShape('shape:dec' as never)!.x)
  spot = await onScreen(bob, 'shape:dec')
  await bob.mouse.move(spot.x, spot.y)
  await bob.mouse.down()
  await bob.mouse.move(spot.x + 150, spot.y + 80, { steps: 8 })
  await bob.mouse.up()
  // Not moved, not even for a moment on Bob's screen.
  expect(await bob.evaluate(() => window.editor.getShape('shape:dec' as never)!.x)).toBe(decidedX)
  await bob.evaluate(() => {
    window.editor.select('shape:dec' as never)
    window.editor.deleteShapes(['shape:dec' as never])
  })
  expect(await bob.evaluate(() => !!window.editor.getShape('shape:dec' as never))).toBe(true)
  // Bob's menu offers him nothing for it.
  await bob.mouse.click(spot.x, spot.y, { button: 'right' })
  await expect(bob.getByRole('menuitem', { name: 'Remove mark' })).toHaveCount(0)
  await expect(bob.getByRole('menuitem', { name: 'Mark as action…' })).toHaveCount(0)
  await bob.keyboard.press('Escape')
  const stored = (await storedBoard<Stored>(server.url, roomId))['shape:dec']
  expect(stored?.x).toBe(decidedX)

  // The mark is one undo step for Alice.
  await alice.evaluate(() => {
    window.editor.undo()
  })
  await expect.poll(() => outcomeOf('shape:dec')).toBeUndefined()
  await alice.evaluate(() => {
    window.editor.redo()
  })
  await expect.poll(() => outcomeOf('shape:dec')).toEqual({ kind: 'decision' })

  // The panel lists both, with the owner and date; a click zooms to the sticky.
  await alice.getByTestId('outcomes-button').click()
  const panel = alice.getByTestId('outcomes-panel')
  await expect(panel.getByTestId('outcome-decision')).toHaveText(/Ship weekly/)
  await expect(panel.getByTestId('outcome-action')).toHaveText(/Book the offsite.*Alice.*due/s)
  await alice.evaluate(() => {
    window.editor.selectNone()
  })
  await panel.getByRole('button', { name: 'Book the offsite', exact: true }).click()
  await expect
    .poll(() => alice.evaluate(() => window.editor.getSelectedShapeIds()))
    .toEqual(['shape:act'])
  const axe = await new AxeBuilder({ page: alice })
    .include('[data-testid="outcomes-panel"]')
    .analyze()
  expect(axe.violations).toEqual([])

  // On a phone, Bob marks from the More menu.
  await bob.setViewportSize({ width: 390, height: 844 })
  await bob.evaluate(() => {
    window.editor.select('shape:phone' as never)
  })
  await bob.getByTestId('more-menu').click()
  await bob.getByRole('menuitem', { name: 'Mark as action…' }).click()
  await bob.getByTestId('action-dialog').getByRole('button', { name: 'Mark as action' }).click()
  await expect.poll(() => outcomeOf('shape:phone')).toEqual({ kind: 'action' })
  await expect(panel.getByTestId('outcome-action')).toHaveCount(2)

  // A reload keeps every mark.
  await bob.reload()
  await waitForSync(bob)
  await bob.evaluate(() => {
    window.editor.zoomToFit({ immediate: true })
  })
  await expect(badge(bob, 'shape:dec')).toHaveText('Decision')
  await expect(badge(bob, 'shape:act')).toHaveText(/Alice/)
  await expect(badge(bob, 'shape:phone')).toHaveText('Action')
})
