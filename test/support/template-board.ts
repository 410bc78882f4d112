/**
 * Opens `/new?template=<id>` in a browser page and waits until every shape of the template
 * is drawn. Shared by the thumbnails tool, the template benchmark and the browser tests.
 */
import type { BrowserContext, Page } from '@playwright/test'
import { waitInPage } from './page-wait'

/** Skips the name prompt: the page (or every page of a context) opens as a returning person. */
export async function setIdentity(target: Page | BrowserContext, name: string) {
  await target.addInitScript(
    (identity) => {
      if (!localStorage.getItem('switchback:identity')) {
        localStorage.setItem('switchback:identity', JSON.stringify(identity))
      }
    },
    { id: `${name}-identity`, name, color: '#1971c2' },
  )
}

/**
 * Goes to `/new?template=<id>` and resolves once the board shows `shapeCount` shapes, each with
 * an element in the DOM. Returns the milliseconds from navigation to that point, and to the
 * moment the board was created and its page opened.
 */
export async function openTemplateBoard(
  page: Page,
  serverUrl: string,
  templateId: string,
  shapeCount: number,
): Promise<{ drawnMs: number; createdMs: number }> {
  const started = Date.now()
  await page.goto(`${serverUrl}/new?template=${encodeURIComponent(templateId)}`)
  await page.waitForURL(/\/b\//)
  const createdMs = Date.now() - started
  await waitInPage(
    page,
    (count: number) => {
      const editor = window.editor
      if (!editor) return false
      const ids = [...editor.getCurrentPageShapeIds()]
      if (ids.length < count) return false
      // Drawn: every shape has its element in the canvas.
      return ids.every((id) => document.querySelector('[data-shape-id="' + id + '"]'))
    },
    shapeCount,
    60_000,
  )
  return { drawnMs: Date.now() - started, createdMs }
}
