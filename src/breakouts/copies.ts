/**
 * The breakout groups' copies of a frame, as editor operations: what is "in" a frame (its
 * children, and what sits on the page over it: on a template, the frame is locked background,
 * so stickies land on the page), copying all of it once per group, and laying the copies in
 * one row for the gallery walk. Each is one undo step. tldraw's `Editor` is a type only here.
 */
import { nanoid } from 'nanoid'
import type { Editor, TLBinding, TLFrameShape, TLShape, TLShapeId } from 'tldraw'
import type { Box } from '../board/geometry'
import { META_KEY } from '../board/shape-meta'
import { gridBeside, groupLabel, rowAfter, union } from './plan'

const newShapeId = () => `shape:${nanoid()}` as TLShapeId
const newBindingId = () => `binding:${nanoid()}` as TLBinding['id']

export function isFrame(shape: TLShape | undefined): shape is TLFrameShape {
  return shape?.type === 'frame'
}

/**
 * The frame a context menu is about: the innermost frame where it opened (`at`: a template's
 * frames are locked, so a right-click selects nothing), else the one frame selected.
 */
export function frameInFocus(editor: Editor, at: { x: number; y: number }): TLShapeId | null {
  const under = editor.getShapesAtPoint(at, { hitInside: true }).find(isFrame)
  if (under) return under.id
  const selected = editor.getSelectedShapes()
  return selected.length === 1 && isFrame(selected[0]) ? selected[0].id : null
}

/** The frames on the current page, with the names they show, top to bottom. */
export function pageFrames(editor: Editor): { id: string; name: string }[] {
  return editor
    .getCurrentPageShapesSorted()
    .filter(isFrame)
    .map((frame) => ({ id: frame.id, name: frame.props.name.trim() || 'Frame' }))
}

/**
 * The frame and everything in it, parents before children: its descendants, and the shapes on
 * the page whose middle lies on it (stickies over a locked frame), with theirs.
 */
export function frameContent(editor: Editor, frameId: TLShapeId): TLShape[] {
  const frame = editor.getShape(frameId)
  const bounds = editor.getShapePageBounds(frameId)
  if (!isFrame(frame) || !bounds) return []
  const area = bounds.w * bounds.h
  const over = editor.getSortedChildIdsForParent(frame.parentId).filter((id) => {
    if (id === frameId) return false
    const b = editor.getShapePageBounds(id)
    if (!b || b.w * b.h >= area) return false
    return bounds.containsPoint(b.center)
  })
  const ids = editor.getShapeAndDescendantIds([frameId, ...over])
  // getShapeAndDescendantIds keeps parents before their children.
  return [...ids].flatMap((id) => editor.getShape(id) ?? [])
}

function contentBounds(editor: Editor, shapes: readonly TLShape[]): Box | null {
  return union(shapes.flatMap((s) => editor.getShapePageBounds(s.id) ?? []))
}

/** Everything on the page but `except`, as boxes (what copies must not land on). */
function takenBoxes(editor: Editor, except: ReadonlySet<string>): Box[] {
  return editor
    .getCurrentPageShapes()
    .filter((s) => s.parentId === editor.getCurrentPageId() && !except.has(s.id))
    .flatMap((s) => editor.getShapePageBounds(s.id) ?? [])
}

/**
 * A copy's meta: template background stays background (still locked) and zone rules stay;
 * outcome marks, stacks and a freeze belong to the source's stickies, not the group's.
 */
const DROPPED = ['outcome', 'stack', 'frozen'] as const

function copiedMeta(meta: TLShape['meta']): TLShape['meta'] {
  const own = meta[META_KEY]
  if (!own || typeof own !== 'object' || Array.isArray(own)) return meta
  const kept = { ...(own as Record<string, unknown>) }
  for (const key of DROPPED) delete kept[key]
  return { ...meta, [META_KEY]: kept } as TLShape['meta']
}

export interface Copies {
  groups: { frameId: string; label: string }[]
  /** Takes the copies off the board again (a refused start), leaving no undo step behind. */
  undo(): void
}

/**
 * Copies the frame with everything in it once per group ("Group 1"…), beside it and clear of
 * everything on the page, as one undo step. Arrows between copied shapes are copied bound.
 */
export function copyFrame(editor: Editor, frameId: TLShapeId, count: number): Copies | null {
  const content = frameContent(editor, frameId)
  const unit = contentBounds(editor, content)
  if (content.length === 0 || !unit) return null
  const inContent = new Set<string>(content.map((s) => s.id))
  const boxes = gridBeside(unit, count, takenBoxes(editor, inContent))
  const bindings = content
    .flatMap((s) => editor.getBindingsFromShape(s.id, 'arrow'))
    .filter((b) => inContent.has(b.toId))
  const mark = editor.markHistoryStoppingPoint('breakout copies')
  const groups: Copies['groups'] = []
  editor.run(
    () => {
      boxes.forEach((box, i) => {
        const ids = new Map(content.map((s) => [s.id as string, newShapeId()]))
        const dx = box.x - unit.x
        const dy = box.y - unit.y
        const label = groupLabel(i)
        const shapes = content.map((shape) => {
          const copied = inContent.has(shape.parentId)
          const copy = {
            ...shape,
            id: ids.get(shape.id)!,
            parentId: copied ? ids.get(shape.parentId)! : shape.parentId,
            x: copied ? shape.x : shape.x + dx,
            y: copied ? shape.y : shape.y + dy,
            meta: copiedMeta(shape.meta),
            // On the page, each copy goes above everything (in the source's order).
            index: copied ? shape.index : undefined,
          }
          if (shape.id === frameId) copy.props = { ...(shape as TLFrameShape).props, name: label }
          return copy
        })
        editor.createShapes(shapes as TLShape[])
        editor.createBindings(
          bindings.map((b) => ({
            ...b,
            id: newBindingId(),
            fromId: ids.get(b.fromId)!,
            toId: ids.get(b.toId)!,
          })),
        )
        groups.push({ frameId: ids.get(frameId)!, label })
      })
    },
    { ignoreShapeLock: true },
  )
  return { groups, undo: () => editor.bailToMark(mark) }
}

/**
 * The gallery walk: each copy with what is on it now, side by side in one row right of the
 * source (clear of everything else), as one undo step. Returns the row's bounds.
 */
export function layGallery(
  editor: Editor,
  source: string,
  frameIds: readonly string[],
): Box | null {
  const units = frameIds.flatMap((id) => {
    const content = frameContent(editor, id as TLShapeId)
    const bounds = contentBounds(editor, content)
    return bounds ? [{ content, bounds }] : []
  })
  if (units.length === 0) return null
  const moving = new Set<string>(units.flatMap((u) => u.content.map((s) => s.id)))
  const sourceBounds =
    contentBounds(editor, frameContent(editor, source as TLShapeId)) ?? units[0].bounds
  const row = rowAfter(
    sourceBounds,
    units.map((u) => u.bounds),
    takenBoxes(editor, moving),
  )
  editor.markHistoryStoppingPoint('breakout gallery')
  editor.run(
    () => {
      units.forEach((unit, i) => {
        const dx = row[i].x - unit.bounds.x
        const dy = row[i].y - unit.bounds.y
        if (dx === 0 && dy === 0) return
        editor.updateShapes(
          unit.content
            .filter((s) => !moving.has(s.parentId))
            .map((s) => ({ id: s.id, type: s.type, x: s.x + dx, y: s.y + dy })),
        )
      })
    },
    { ignoreShapeLock: true },
  )
  return union(row)
}
