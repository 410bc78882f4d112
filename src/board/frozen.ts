/**
 * What a frozen frame holds. The facilitator freezes a frame when its step is done; what is in
 * it is then read-only for everyone else. "In it" means two things on a board:
 *
 * - its descendants (tldraw parents a shape dropped on an unlocked frame to it), and
 * - shapes lying over it: a template's frames are locked background, and tldraw never parents
 *   anything to a locked frame, so the stickies placed on a template sit on the page. A shape
 *   lies over the frame when the box it is drawn in (`shape-outline.ts`: a sticky's square, a
 *   rectangle, a text, a pen stroke's points) overlaps the frame's box on the page, edges
 *   touching not counted. Its anchor is not enough: a rectangle or a stroke that starts
 *   outside may cover the frame.
 *
 * A shape that holds a frozen frame (its ancestor) is read-only too: moving it would move the
 * frozen content. And a write is judged by every shape it carries: a group is held when any
 * shape under it is (`frozenFrameHoldingTree`), so moving, rotating or deleting a group moves
 * or orphans what it holds. The server (`src/server/rules/roles.ts`, on the board before and after a
 * push) and the participant's editor (`src/canvas/background-guard.ts`) decide with these same
 * functions, from the records alone, so the editor refuses what the server would.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { RECORD_RULES } from '../protocol'
import { localOutline, type Point } from './shape-outline'
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
  let outline: { pageId: string; points: Point[] } | null | undefined
  for (const id of frozenIds) {
    if (id === shape.id) continue
    const frame = board.get(id)
    if (frame?.typeName !== 'shape' || !isFrozenFrame(frame)) continue
    if (hasAncestor(board, shape, id) || hasAncestor(board, frame, shape.id)) return id
    outline ??= pageOutline(board, shape)
    if (outline && frameOverlaps(board, frame, outline)) return id
  }
  return null
}

/**
 * The frozen frame that holds `shape` or any shape under it, or null: what moving, rotating
 * or deleting the shape would carry. `childIds` lists a shape's children on the same board
 * as `board` (both may be the board as a push would leave it).
 */
export function frozenFrameHoldingTree(
  board: RecordLookup,
  shape: TLShape,
  frozenIds: Iterable<string>,
  childIds: (id: string) => Iterable<string>,
): string | null {
  const frozen = [...frozenIds]
  if (frozen.length === 0) return null
  const seen = new Set<string>()
  const stack = [shape]
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (seen.has(next.id)) continue
    seen.add(next.id)
    const holding = frozenFrameHolding(board, next, frozen)
    if (holding) return holding
    for (const childId of childIds(next.id)) {
      const child = board.get(childId)
      if (child?.typeName === 'shape') stack.push(child)
    }
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

/** The shape's outline on its page, or null when its parents do not lead to a page. */
function pageOutline(board: RecordLookup, shape: TLShape) {
  const transform = pageTransform(board, shape)
  if (!transform) return null
  return { pageId: transform.pageId, points: localOutline(shape).map((p) => apply(transform, p)) }
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

/**
 * Whether the box around the page points overlaps the frame's box (rotated frames included:
 * the points are taken into the frame's coordinates first). Edges touching do not count, so
 * a sticky beside the frame is not in it.
 */
function frameOverlaps(
  board: RecordLookup,
  frame: TLShape,
  outline: { pageId: string; points: Point[] },
): boolean {
  const t = pageTransform(board, frame)
  if (!t || t.pageId !== outline.pageId || outline.points.length === 0) return false
  const { w, h } = frame.props as { w: number; h: number }
  const cos = Math.cos(-t.r)
  const sin = Math.sin(-t.r)
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const point of outline.points) {
    const dx = point.x - t.x
    const dy = point.y - t.y
    const x = dx * cos - dy * sin
    const y = dx * sin + dy * cos
    minX = Math.min(minX, x)
    maxX = Math.max(maxX, x)
    minY = Math.min(minY, y)
    maxY = Math.max(maxY, y)
  }
  // A single point (a shape known only by its origin) is in the frame when inside or on it.
  if (minX === maxX && minY === maxY) return minX >= 0 && minX <= w && minY >= 0 && minY <= h
  return minX < w && maxX > 0 && minY < h && maxY > 0
}
