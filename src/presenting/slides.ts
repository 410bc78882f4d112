/**
 * Which frames a presentation walks through by default, and how a slide is put on screen.
 * The agenda's order first (each step's focus frame, once, as the agenda lists them), since a
 * workshop's board is laid out for its steps; a board without an agenda in frames goes in
 * reading order (rows top to bottom, left to right), as the slide export does.
 */
import type { Editor, TLFrameShape, TLShapeId } from 'tldraw'
import type { AgendaSection } from '../board/agenda'
import { readingOrder, type Box } from '../board/geometry'
import { allSteps } from '../facilitation/agenda-steps'

export interface SlideFrame {
  id: string
  name: string
}

/** A frame on the page now, as a slide ("Frame" when it has no name). */
function frameOn(editor: Editor, id: string): SlideFrame | null {
  const shape = editor.getShape(id as TLShapeId)
  if (shape?.type !== 'frame') return null
  const name = (shape as TLFrameShape).props.name.trim()
  return { id, name: name || 'Frame' }
}

/** The page's outermost frames in reading order (a frame inside another is on its slide). */
export function pageFrames(editor: Editor): SlideFrame[] {
  const frames: { frame: SlideFrame; bounds: Box }[] = []
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.type !== 'frame') continue
    if (editor.getShapeAncestors(shape).some((a) => a.type === 'frame')) continue
    const bounds = editor.getShapePageBounds(shape)
    const frame = frameOn(editor, shape.id)
    if (bounds && frame) frames.push({ frame, bounds })
  }
  return readingOrder(frames, (f) => f.bounds).map((f) => f.frame)
}

/** The agenda's focus frames in agenda order, each once (a zone focus is not a slide). */
export function agendaFrames(editor: Editor, agenda: AgendaSection[]): SlideFrame[] {
  const seen = new Set<string>()
  const frames: SlideFrame[] = []
  for (const step of allSteps(agenda)) {
    if (!step.focus || seen.has(step.focus)) continue
    seen.add(step.focus)
    const frame = frameOn(editor, step.focus)
    if (frame) frames.push(frame)
  }
  return frames
}

/**
 * What the chooser offers: the default slides (the agenda's frames, else the page's), ticked,
 * then the page's other frames, unticked, so one can be added.
 */
export function slideChoices(
  editor: Editor,
  agenda: AgendaSection[],
): { frame: SlideFrame; on: boolean }[] {
  const page = pageFrames(editor)
  const fromAgenda = agendaFrames(editor, agenda)
  const chosen = fromAgenda.length > 0 ? fromAgenda : page
  const ids = new Set(chosen.map((f) => f.id))
  return [
    ...chosen.map((frame) => ({ frame, on: true })),
    ...page.filter((f) => !ids.has(f.id)).map((frame) => ({ frame, on: false })),
  ]
}

/** A slide's frame's name, or null when the frame is no longer on the page. */
export function slideName(editor: Editor, id: string): string | null {
  return frameOn(editor, id)?.name ?? null
}

/**
 * Room left around a slide on screen, in screen pixels: clear of tldraw's menus and the slide
 * bar on a laptop, and no more than a sliver of a phone's width.
 */
const slideInset = (editor: Editor) =>
  Math.round(Math.max(16, Math.min(64, editor.getViewportScreenBounds().w * 0.04)))

/** How long putting a slide on screen animates (a break-away is not read meanwhile). */
export const SLIDE_MOVE_MS = 300

/** Fits the frame on this screen (whatever its size): false when it is not on the page. */
export function showSlide(editor: Editor, id: string, animate = true): boolean {
  const bounds = editor.getShapePageBounds(id as TLShapeId)
  if (!bounds) return false
  editor.stopFollowingUser()
  editor.zoomToBounds(bounds, {
    inset: slideInset(editor),
    ...(animate ? { animation: { duration: SLIDE_MOVE_MS } } : {}),
  })
  return true
}

/**
 * Calls `onMove` when this person moves their own view: a wheel or pinch at any time (even while
 * a slide is being put on screen, which it then interrupts), or any other camera change while no
 * slide is being put on screen (`settling()` false): a drag with the hand, a zoom key.
 */
export function watchOwnMoves(
  editor: Editor,
  settling: () => boolean,
  onMove: () => void,
): () => void {
  const stopCamera = editor.store.listen(
    ({ changes }) => {
      if (settling()) return
      const moved = Object.values(changes.updated).some(([, to]) => to.typeName === 'camera')
      if (moved) onMove()
    },
    { scope: 'session' },
  )
  const onEvent = (info: { type: string }) => {
    if (info.type === 'wheel' || info.type === 'pinch') onMove()
  }
  editor.on('event', onEvent)
  return () => {
    stopCamera()
    editor.off('event', onEvent)
  }
}
