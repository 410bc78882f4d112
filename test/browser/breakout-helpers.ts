/**
 * What the breakout specs share: a four framework jobs board made over HTTP (with its
 * secrets, for raw sockets), people who open it, raw participants with names, and the frames
 * and views as a page's editor has them.
 */
import AxeBuilder from '@axe-core/playwright'
import type { BrowserContextOptions, Page } from '@playwright/test'
import type { TLShapeId } from 'tldraw'
import { boardPagePath } from '../../src/protocol'
import { personInWorkshop, type WorkshopMember } from '../support/raw-workshop'
import { waitForSync } from './board-helpers'
import type { People } from './fixtures'

export const DESKTOP = { viewport: { width: 1440, height: 900 } }
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
}

export async function jobsBoard(serverUrl: string) {
  const roomId = freshId()
  const created = await fetch(`${serverUrl}/parties/board/${roomId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ templateId: 'four-framework-jobs' }),
  })
  if (created.status !== 201) throw new Error(`board not created: ${created.status}`)
  const board = (await created.json()) as Record<string, string>
  const page = `${serverUrl}${boardPagePath(roomId)}`
  return {
    roomId,
    facilitatorSecret: board.facilitatorSecret,
    participantKey: board.participantKey,
    facilitatorLink: `${page}#f=${board.facilitatorSecret}`,
    participantLink: `${page}#k=${board.participantKey}`,
  }
}

const freshId = () =>
  `r${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

/** A person key, as a browser's identity keeps one. */
export const personKey = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')

export async function openBoard(
  people: People,
  name: string,
  link: string,
  options: BrowserContextOptions = DESKTOP,
): Promise<Page> {
  const page = await people.join(name, options)
  await page.goto(link)
  await waitForSync(page)
  return page
}

/** A participant on a raw socket, named (as the app says its name once connected). */
export async function rawPerson(
  serverUrl: string,
  roomId: string,
  participantKey: string,
  name: string,
  key: string = personKey(),
): Promise<WorkshopMember & { key: string; name: string }> {
  const id = `person-${name.toLowerCase()}`.padEnd(15, '0')
  const member = await personInWorkshop(serverUrl, roomId, participantKey, key, id)
  await member.act({ type: 'name', name })
  return { ...member, key, name }
}

export const rawParticipants = (
  serverUrl: string,
  roomId: string,
  participantKey: string,
  names: readonly string[],
) => Promise.all(names.map((name) => rawPerson(serverUrl, roomId, participantKey, name)))

export interface FrameOnPage {
  id: string
  name: string
  x: number
  y: number
  w: number
  h: number
  isLocked: boolean
  background: boolean
  /** Shapes in it (children, and those on the page over it), by type. */
  inside: string[]
}

/** The frames on a page, top to bottom, with what is in each. */
export const framesOn = (page: Page): Promise<FrameOnPage[]> =>
  page.evaluate(() => {
    const editor = window.editor
    return editor
      .getCurrentPageShapesSorted()
      .filter((s) => s.type === 'frame')
      .map((frame) => {
        const b = editor.getShapePageBounds(frame)!
        const children = [...editor.getShapeAndDescendantIds([frame.id])].filter(
          (id) => id !== frame.id,
        )
        const over = editor
          .getCurrentPageShapes()
          .filter((s) => s.parentId === frame.parentId && s.id !== frame.id)
          .filter((s) => {
            const c = editor.getShapePageBounds(s)!.center
            return c.x > b.minX && c.x < b.maxX && c.y > b.minY && c.y < b.maxY
          })
          .filter((s) => s.type !== 'frame')
          .map((s) => s.id)
        return {
          id: frame.id,
          name: (frame.props as { name: string }).name,
          x: b.x,
          y: b.y,
          w: b.w,
          h: b.h,
          isLocked: frame.isLocked,
          background:
            (frame.meta as { switchback?: { background?: boolean } }).switchback?.background ===
            true,
          inside: [...children, ...over].map((id) => editor.getShape(id as TLShapeId)!.type).sort(),
        }
      })
  })

export const groupFrames = async (page: Page) =>
  (await framesOn(page)).filter((f) => /^Group \d+$/.test(f.name))

/** Whether the middle of this page's view is on the frame. */
export const viewIsOn = (page: Page, frameId: string) =>
  page.evaluate((id) => {
    const editor = window.editor
    const b = editor.getShapePageBounds(id as TLShapeId)
    const c = editor.getViewportPageBounds().center
    return !!b && c.x > b.minX && c.x < b.maxX && c.y > b.minY && c.y < b.maxY
  }, frameId)

/** Right-clicks the middle of a shape on the page's canvas. */
export async function rightClickShape(page: Page, shapeId: string) {
  const at = await page.evaluate((id) => {
    const editor = window.editor
    const point = editor.pageToViewport(editor.getShapePageBounds(id as TLShapeId)!.center)
    const container = editor.getContainer().getBoundingClientRect()
    return { x: container.x + point.x, y: container.y + point.y }
  }, shapeId)
  await page.mouse.click(at.x, at.y, { button: 'right' })
}

export const overlap = (
  a: { x: number; y: number; w: number; h: number },
  b: { x: number; y: number; w: number; h: number },
) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/**
 * axe-core's serious and critical violations in what we draw. Left out: tldraw's canvas, and
 * svelte-sonner's toasts (its rich colours are the whole app's, and accessibility.spec.ts
 * scans no toast either).
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .exclude('.tl-container')
    .exclude('[data-sonner-toaster]')
    .analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))
}
