import type { Page } from '@playwright/test'
import { expect, type People } from './fixtures'
import { waitInPage } from '../support/page-wait'

declare global {
  interface Window {
    editor: import('tldraw').Editor
  }
}

export interface ShapeSummary {
  id: string
  type: string
}

/** Opens /new as the facilitator and waits for the synced, editable board. */
export async function createBoardAsFacilitator(page: Page, serverUrl: string): Promise<string> {
  await page.goto(`${serverUrl}/new`)
  await page.waitForURL(/\/b\/[A-Za-z0-9_-]{22}/)
  await waitForSync(page)
  return new URL(page.url()).pathname.split('/')[2]
}

export async function waitForSync(page: Page) {
  await expect(page.getByTestId('connection')).toHaveText(/Saved/)
  await waitInPage(page, () => !!window.editor)
}

export async function shareLink(page: Page, kind: 'participant' | 'viewer' | 'facilitator') {
  await page.getByRole('button', { name: 'Share' }).click()
  const value = await page.getByTestId(`share-${kind}`).inputValue()
  await page.keyboard.press('Escape')
  return value
}

export async function shapesOn(page: Page): Promise<ShapeSummary[]> {
  return page.evaluate(() =>
    window.editor.getCurrentPageShapes().map((s) => ({ id: s.id, type: s.type })),
  )
}

/** Picks a tool from tldraw's toolbar and drags it across the canvas with the mouse. */
export async function drawWithMouse(
  page: Page,
  tool: 'rectangle' | 'ellipse',
  from: { x: number; y: number },
  to: { x: number; y: number },
) {
  if (tool === 'rectangle') await page.getByTestId('tools.rectangle').click()
  else {
    await page.getByTestId('tools.more-button').click()
    await page.getByTestId('tools.more.ellipse').click()
  }
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 })
  await page.mouse.move(to.x, to.y, { steps: 5 })
  await page.mouse.up()
  await page.keyboard.press('Escape')
}

export async function expectShapeTypes(page: Page, types: string[]) {
  await expect
    .poll(async () => (await shapesOn(page)).map((s) => s.type).sort())
    .toEqual([...types].sort())
}

/** The board as the server has it, through the backup endpoint. */
export async function serverShapes(serverUrl: string, roomId: string) {
  const response = await fetch(`${serverUrl}/parties/board/${roomId}`)
  const body = (await response.json()) as {
    store: Record<string, { id: string; typeName: string; type?: string }>
  }
  return Object.values(body.store).filter((r) => r.typeName === 'shape')
}

/** A new person who opens `link` and waits until the board is synced. */
export async function joinByLink(people: People, name: string, link: string): Promise<Page> {
  const page = await people.join(name)
  await page.goto(link)
  await waitForSync(page)
  return page
}

/** Alice creates a board; Bob joins it with the participant link. */
export async function facilitatorAndParticipant(people: People, serverUrl: string) {
  const alice = await people.join('Alice')
  const roomId = await createBoardAsFacilitator(alice, serverUrl)
  const bob = await joinByLink(people, 'Bob', await shareLink(alice, 'participant'))
  return { alice, bob, roomId }
}
