/**
 * Breakouts as commands: what the dialog, the panel, the group bar and the keyboard run. The
 * copies are made on this client (they are board shapes, synced like any other) and the
 * server is then asked to start breakouts on them; it decides, and a refusal takes the copies
 * off again and says why.
 */
import { toast } from 'svelte-sonner'
import type { TLShapeId } from 'tldraw'
import type { CanvasHandle } from '../canvas/handle'
import type { BreakoutAssign, BreakoutView } from '../protocol/big-rooms'
import type { FacilitationView } from '../protocol/facilitation'
import { openOnShape } from '../facilitation/focus'
import { goTo } from '../facilitation/follow'
import type { Workshop } from '../facilitation/workshop.svelte'
import type { Template } from '../protocol/template-format'
import { placeTemplate } from '../templates/place-template'
import { copyFrame, layGallery } from './copies'

/** How long a start waits for its copies to reach the server (they go over the board's socket). */
const COPIES_ARRIVE_MS = 4000
const RETRY_MS = 300

export interface StartChoice {
  source: string
  groups: number
  assign: BreakoutAssign
}

/** Copies the frame once per group and starts breakouts on the copies; true when started. */
export async function startBreakouts(
  canvas: CanvasHandle,
  workshop: Workshop,
  choice: StartChoice,
): Promise<boolean> {
  const copies = copyFrame(canvas.editor, choice.source as TLShapeId, choice.groups)
  if (!copies) {
    toast.error('Breakouts need a frame on the board to copy.')
    return false
  }
  const action = {
    type: 'breakout-start',
    source: choice.source,
    groups: copies.groups,
    assign: choice.assign,
  } as const
  // The copies travel over the board's socket, the start over HTTP: a start that arrives first
  // hears that its frames are not there yet, so it is asked again for a moment.
  const deadline = Date.now() + COPIES_ARRIVE_MS
  let refused = await workshop.attempt(action)
  while (refused !== null && /frame/i.test(refused) && Date.now() < deadline) {
    await new Promise((wake) => setTimeout(wake, RETRY_MS))
    refused = await workshop.attempt(action)
  }
  if (refused !== null) {
    copies.undo()
    toast.error('Breakouts did not start', { description: refused })
    return false
  }
  const how = choice.assign === 'random' ? 'everyone was put in a group' : 'people pick a group'
  toast.success(`${copies.groups.length} breakout groups started`, { description: how })
  return true
}

/**
 * Ends breakouts: the server brings everyone back, the copies go side by side in one row for
 * a gallery walk, and everyone is brought to see them.
 */
export async function endBreakouts(canvas: CanvasHandle, workshop: Workshop): Promise<boolean> {
  const breakouts = workshop.view?.breakouts
  if (!breakouts) return false
  const frames = breakouts.groups.map((g) => g.frameId)
  if (!(await workshop.act({ type: 'breakout-end' }))) return false
  const row = layGallery(canvas.editor, breakouts.source, frames)
  if (row) {
    goTo(canvas.editor, row)
    await workshop.act({ type: 'summon', bounds: row })
  }
  toast.success('Breakouts ended', { description: 'The groups’ work is side by side: walk it.' })
  return true
}

/** Shows a group's copy: the whole of it where the screen allows, else readable (a phone). */
export const visitGroup = (canvas: CanvasHandle, group: { frameId: string }) =>
  openOnShape(canvas.editor, group.frameId)

/** This person's group, or null. */
export function myGroup(breakouts: BreakoutView | null | undefined) {
  if (!breakouts || breakouts.mine === null) return null
  const group = breakouts.groups[breakouts.mine]
  return group ? { ...group, index: breakouts.mine } : null
}

/** Where a board opens during breakouts: this person's group's copy (null: the usual place). */
export function openingFrame(view: FacilitationView): string | null {
  return myGroup(view.breakouts)?.frameId ?? null
}

export async function sendMessage(workshop: Workshop, text: string): Promise<boolean> {
  const sent = await workshop.act({ type: 'breakout-message', text })
  if (sent) toast.success('Sent to every group', { description: text })
  return sent
}

export async function sendEveryone(workshop: Workshop): Promise<boolean> {
  const sent = await workshop.act({ type: 'breakout-send' })
  if (sent) toast.success('Everyone was sent to their group')
  return sent
}

/**
 * Breakouts on a template: it is placed beside the board (with its steps on the agenda, as
 * from the Templates menu), and its frame is copied once per group. A start the server refuses
 * leaves the placed template on the board, as a placement from the menu would.
 */
export async function startFromTemplate(
  canvas: CanvasHandle,
  workshop: Workshop,
  template: Template,
  choice: Omit<StartChoice, 'source'>,
): Promise<boolean> {
  const placed = placeTemplate(canvas.editor, template)
  const pageId = canvas.editor.getCurrentPageId()
  const frame = placed.shapes.find((s) => s.type === 'frame' && s.parentId === pageId)
  if (!frame) {
    toast.error(`${template.title} has no frame to copy.`)
    return false
  }
  return startBreakouts(canvas, workshop, { ...choice, source: frame.id })
}
