/**
 * Frozen frames in the editor: which frames are frozen, what they hold (the same decision as
 * the server's, from `src/board/frozen.ts`), and the facilitator's freeze and unfreeze.
 */
import type { Editor, TLShape, TLShapeId } from 'tldraw'
import { frozenFrameHoldingTree, isFrozenFrame } from '../board/frozen'
import { META_KEY, readShapeMeta } from '../board/shape-meta'

/** The ids of the board's frozen frames (every page), from tldraw's incremental query. */
export function frozenFrames(editor: Editor): () => string[] {
  const frames = editor.store.query.records('shape', () => ({ type: { eq: 'frame' as const } }))
  return () => frames.get().flatMap((frame) => (isFrozenFrame(frame) ? [frame.id] : []))
}

/**
 * The frozen frame holding the shape or any shape under it, or null, read from the store with
 * `shape` as given: a group about to move is judged with its children where they would go, as
 * the server judges the push.
 */
export function frozenFrameOf(editor: Editor, shape: TLShape, frozenIds: string[]): string | null {
  if (frozenIds.length === 0) return null
  const board = { get: (id: string) => (id === shape.id ? shape : editor.store.get(id as never)) }
  const childIds = (id: string) => editor.getSortedChildIdsForParent(id as TLShapeId)
  return frozenFrameHoldingTree(board, shape, frozenIds, childIds)
}

/**
 * Freezes or unfreezes a frame, as one undo step. Template frames are locked background,
 * hence the lock bypass; the server lets only the facilitator do it.
 */
export function setFrameFrozen(editor: Editor, frameId: string, frozen: boolean) {
  const frame = editor.getShape(frameId as TLShapeId)
  if (frame?.type !== 'frame') return
  const rest = { ...readShapeMeta(frame) }
  delete rest.frozen
  const meta = { ...frame.meta, [META_KEY]: frozen ? { ...rest, frozen: true } : rest }
  editor.markHistoryStoppingPoint(frozen ? 'freeze frame' : 'unfreeze frame')
  editor.run(() => editor.updateShape({ id: frame.id, type: 'frame', meta }), {
    ignoreShapeLock: true,
  })
}

/** The frame a shape is in: its nearest frame ancestor, else the topmost frame under its centre. */
export function frameOf(editor: Editor, shape: TLShape): TLShape | null {
  if (shape.type === 'frame') return shape
  const ancestor = editor.findShapeAncestor(shape, (s) => s.type === 'frame')
  if (ancestor) return ancestor
  const bounds = editor.getShapePageBounds(shape)
  return bounds ? frameAt(editor, bounds.center) : null
}

/** The topmost frame under a page point, locked template frames included. */
export function frameAt(editor: Editor, point: { x: number; y: number }): TLShape | null {
  const shapes = editor.getShapesAtPoint(point, { hitInside: true, margin: 0 })
  return shapes.find((s) => s.type === 'frame') ?? null
}

/**
 * The frame a freeze command means: the selected frame, else the frame the selection is in,
 * else the frame under `point` (where the context menu opened). Null when there is none.
 */
export function frameToFreeze(editor: Editor, point?: { x: number; y: number }): TLShape | null {
  const selected = editor.getSelectedShapes()
  if (selected.length > 0) {
    const frame = frameOf(editor, selected[0])
    if (frame) return frame
  }
  return point ? frameAt(editor, point) : null
}
