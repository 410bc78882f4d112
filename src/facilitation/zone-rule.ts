/**
 * Zone rules on the board: the facilitator turns a selected rectangle or ellipse into a zone
 * that counts the stickies inside it, with or without a limit.
 */
import type { Editor, TLShape } from 'tldraw'
import { META_KEY, readShapeMeta, type ZoneRule } from '../board/shape-meta'

/** The one selected shape that can be a zone, or null. */
export function selectedZoneCandidate(editor: Editor): TLShape | null {
  const selected = editor.getSelectedShapes()
  if (selected.length !== 1) return null
  const [shape] = selected
  if (shape.type !== 'geo') return null
  const geo = (shape.props as { geo: string }).geo
  return geo === 'rectangle' || geo === 'ellipse' ? shape : null
}

export function zoneRuleOf(shape: TLShape): ZoneRule | null {
  return readShapeMeta(shape).zone ?? null
}

/** Sets or (with null) removes the rule; background zones included, hence the lock bypass. */
export function setZoneRule(editor: Editor, shape: TLShape, rule: ZoneRule | null) {
  const rest = { ...readShapeMeta(shape) }
  delete rest.zone
  const meta = { ...shape.meta, [META_KEY]: rule ? { ...rest, zone: rule } : rest }
  editor.run(() => editor.updateShape({ id: shape.id, type: shape.type, meta }), {
    ignoreShapeLock: true,
  })
}
