/**
 * Zone rules on the board: the facilitator turns a selected rectangle or ellipse into a zone
 * that counts the stickies inside it, with or without a limit. (The counting itself is in
 * `src/board/zones.ts`; the counts are drawn by `src/canvas/ZoneCounts.tsx`.)
 */
import type { Editor, TLShape, TLShapeId } from 'tldraw'
import { META_KEY, readShapeMeta, type ZoneRule } from '../board/shape-meta'

/** The shape whose zone rule is being edited, and its rule now. */
export interface ZoneEdit {
  id: string
  rule: ZoneRule | null
}

/** The one selected rectangle or ellipse and its rule, or null. */
export function selectedZone(editor: Editor): ZoneEdit | null {
  const selected = editor.getSelectedShapes()
  if (selected.length !== 1) return null
  const [shape] = selected
  if (shape.type !== 'geo') return null
  const geo = (shape.props as { geo: string }).geo
  if (geo !== 'rectangle' && geo !== 'ellipse') return null
  return { id: shape.id, rule: readShapeMeta(shape).zone ?? null }
}

/** Sets or (with null) removes the rule; background zones included, hence the lock bypass. */
export function setZoneRule(editor: Editor, shapeId: string, rule: ZoneRule | null) {
  const shape: TLShape | undefined = editor.getShape(shapeId as TLShapeId)
  if (!shape) return
  const rest = { ...readShapeMeta(shape) }
  delete rest.zone
  const meta = { ...shape.meta, [META_KEY]: rule ? { ...rest, zone: rule } : rest }
  editor.run(() => editor.updateShape({ id: shape.id, type: shape.type, meta }), {
    ignoreShapeLock: true,
  })
}
