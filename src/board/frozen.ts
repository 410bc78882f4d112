/**
 * What a frozen frame holds. The facilitator freezes a frame when its step is done; what is in
 * it is then read-only for everyone else. "In it" means two things on a board:
 *
 * - its descendants (tldraw parents a shape dropped on an unlocked frame to it), and
 * - shapes lying over it: a template's frames are locked background, and tldraw never parents
 *   anything to a locked frame, so the stickies placed on a template sit on the page. A shape
 *   lies over the frame when its centre (its anchor, below) is inside the frame's box, as a
 *   zone counts a sticky (`zones.ts`).
 *
 * A shape that holds a frozen frame (its ancestor) is read-only too: moving it would move the
 * frozen content. The server (`src/server/roles.ts`) and the participant's editor
 * (`src/canvas/frozen-guard.ts`) decide with this same function, from the records alone, so
 * the editor refuses exactly what the server would and nothing snaps back.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { RECORD_RULES } from '../protocol'
import { NOTE_SIZE } from './geometry'
import { isFrozen } from './shape-meta'

/** A synchronous lookup of the board's records as they stand (the room's storage, the store). */
export interface RecordLookup {
  get(id: string): TLRecord | undefined
}

/** Where a shape's own coordinates land on its page: p_page = rotate(p, r) + (x, y). */
interface PageTransform {
  pageId: string
  x: number
  y: number
  r: number
}

/** Whether the shape is a frame the facilitator froze. */
export function isFrozenFrame(shape: { type?: unknown; meta: unknown }): boolean {
  return shape.type === 'frame' && isFrozen(shape)
}

/**
 * The id of the frozen frame that holds `shape` (it is under it, over it, or holds it), or
 * null. `frozenIds` are the ids of the board's frozen shapes (the others are skipped); the
 * frame itself is not held by itself (its own `frozen` mark protects it).
 */
export function frozenFrameHolding(
  board: RecordLookup,
  shape: TLShape,
  frozenIds: Iterable<string>,
): string | null {
  let anchor: { pageId: string; x: number; y: number } | null | undefined
  for (const id of frozenIds) {
    if (id === shape.id) continue
    const frame = board.get(id)
    if (frame?.typeName !== 'shape' || !isFrozenFrame(frame)) continue
    if (hasAncestor(board, shape, id) || hasAncestor(board, frame, shape.id)) return id
    anchor ??= pageAnchor(board, shape)
    if (anchor && frameContains(board, frame, anchor)) return id
  }
  return null
}

/** The ids of the frozen frames among `shapes` (the editor's page, or a scan of a board). */
export function frozenFrameIds(shapes: Iterable<TLShape>): string[] {
  const ids: string[] = []
  for (const shape of shapes) if (isFrozenFrame(shape)) ids.push(shape.id)
  return ids
}

/** Whether `ancestorId` is one of the shape's parents, grandparents… */
function hasAncestor(board: RecordLookup, shape: TLShape, ancestorId: string): boolean {
  let parentId: string = shape.parentId
  for (let depth = 0; depth < RECORD_RULES.maxShapeDepth; depth++) {
    if (parentId === ancestorId) return true
    const parent = board.get(parentId)
    if (parent?.typeName !== 'shape') return false
    parentId = parent.parentId
  }
  return false
}

/**
 * The shape's centre in its own coordinates, from its record: boxes have `w` and `h`, a
 * sticky is NOTE_SIZE × its scale; anything else (arrows, lines, drawings, groups) is
 * anchored at its origin.
 */
function localAnchor(shape: TLShape): { x: number; y: number } {
  const props = shape.props as { w?: unknown; h?: unknown; scale?: unknown }
  if (shape.type === 'note') {
    const scale = typeof props.scale === 'number' ? props.scale : 1
    return { x: (NOTE_SIZE * scale) / 2, y: (NOTE_SIZE * scale) / 2 }
  }
  if (typeof props.w === 'number' && typeof props.h === 'number') {
    return { x: props.w / 2, y: props.h / 2 }
  }
  return { x: 0, y: 0 }
}

/** The shape's anchor on its page, or null when its parents do not lead to a page. */
function pageAnchor(board: RecordLookup, shape: TLShape) {
  const transform = pageTransform(board, shape)
  return transform && { pageId: transform.pageId, ...apply(transform, localAnchor(shape)) }
}

/** The shape's transform to its page, composed through its parents. */
function pageTransform(board: RecordLookup, shape: TLShape): PageTransform | null {
  let t = { x: shape.x, y: shape.y, r: shape.rotation }
  let parentId: string = shape.parentId
  for (let depth = 0; depth < RECORD_RULES.maxShapeDepth; depth++) {
    const parent = board.get(parentId)
    if (parent?.typeName === 'page') return { pageId: parent.id, ...t }
    if (parent?.typeName !== 'shape') return null
    const origin = apply({ x: parent.x, y: parent.y, r: parent.rotation }, t)
    t = { ...origin, r: parent.rotation + t.r }
    parentId = parent.parentId
  }
  return null
}

function apply(t: { x: number; y: number; r: number }, p: { x: number; y: number }) {
  const cos = Math.cos(t.r)
  const sin = Math.sin(t.r)
  return { x: t.x + p.x * cos - p.y * sin, y: t.y + p.x * sin + p.y * cos }
}

/** Whether a page point lies inside the frame's box (rotated frames included). */
function frameContains(
  board: RecordLookup,
  frame: TLShape,
  point: { pageId: string; x: number; y: number },
): boolean {
  const t = pageTransform(board, frame)
  if (!t || t.pageId !== point.pageId) return false
  const { w, h } = frame.props as { w: number; h: number }
  const dx = point.x - t.x
  const dy = point.y - t.y
  const cos = Math.cos(-t.r)
  const sin = Math.sin(-t.r)
  const x = dx * cos - dy * sin
  const y = dx * sin + dy * cos
  return x >= 0 && x <= w && y >= 0 && y <= h
}
