/**
 * What the workshop walkthroughs do to a board as a person would, through the page's own
 * editor: add a sticky in a template zone, read the stickies people wrote, find one by its
 * text and click it (a dot vote's click).
 */
import type { Page } from '@playwright/test'
import type { TLShapeId } from 'tldraw'

/** A sticky with `text` at (dx, dy) inside the template zone `zone`, written by this page. */
export async function addSticky(page: Page, zone: string, dx: number, dy: number, text: string) {
  await page.evaluate(
    ({ zone, dx, dy, text }) => {
      const editor = window.editor
      const element = editor
        .getCurrentPageShapes()
        .find(
          (s) => (s.meta as { switchback?: { element?: string } }).switchback?.element === zone,
        )!
      const bounds = editor.getShapePageBounds(element)!
      editor.createShape({
        type: 'note',
        x: bounds.x + dx,
        y: bounds.y + dy,
        props: {
          richText: {
            type: 'doc',
            content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
          },
        },
      })
    },
    { zone, dx, dy, text },
  )
}

/** The texts of the stickies people wrote (not the template's prompts), sorted. */
export const stickyTexts = (page: Page) =>
  page.evaluate(() =>
    window.editor
      .getCurrentPageShapes()
      .filter((s) => s.type === 'note' && !s.isLocked)
      .filter((s) => !(s.meta as { switchback?: { background?: boolean } }).switchback?.background)
      .map((s) => window.editor.getShapeUtil(s).getText(s) ?? '')
      .sort(),
  )

export const stickyId = (page: Page, text: string): Promise<string> =>
  page.evaluate((wanted) => {
    const editor = window.editor
    return editor
      .getCurrentPageShapes()
      .find((s) => s.type === 'note' && editor.getShapeUtil(s).getText(s) === wanted)!.id
  }, text)

export async function clickSticky(page: Page, text: string) {
  const id = await stickyId(page, text)
  const at = await page.evaluate((shapeId) => {
    const editor = window.editor
    const point = editor.pageToViewport(editor.getShapePageBounds(shapeId as TLShapeId)!.center)
    const container = editor.getContainer().getBoundingClientRect()
    return { x: container.x + point.x, y: container.y + point.y }
  }, id)
  await page.mouse.click(at.x, at.y)
}

export const showAll = (page: Page) =>
  page.evaluate(() => {
    window.editor.zoomToFit({ immediate: true })
  })
