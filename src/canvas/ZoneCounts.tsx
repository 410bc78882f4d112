/**
 * Draws each zone's live sticky count on the canvas ("3 / 2"), and a warning tint and outline
 * on zones past their capacity. It is derived from the synced shapes, so everyone sees the
 * same thing the moment a sticky moves in or out; nothing is written to the board.
 */
import { useMemo } from 'react'
import { Box, useEditor, useValue, type Editor, type TLShape, type TLShapeId } from 'tldraw'
import {
  countStickiesInZones,
  zoneCountDescription,
  zoneCountLabel,
  type Zone,
} from '../board/zones'
import { META_KEY, isBackground, readShapeMeta } from '../board/shape-meta'

export function ZoneCounts() {
  const editor = useEditor()
  // Compared as text, so a change that moves no sticky across a zone's edge re-renders nothing.
  const key = useValue('zone counts', () => JSON.stringify(currentZoneCounts(editor)), [editor])
  const zones = useMemo(() => JSON.parse(key) as ReturnType<typeof currentZoneCounts>, [key])
  return (
    <>
      {zones.map((zone) => (
        <div
          key={zone.id}
          className="sb-zone"
          data-over={zone.over}
          style={{
            transform: `translate(${zone.bounds.x}px, ${zone.bounds.y}px)`,
            width: zone.bounds.w,
            height: zone.bounds.h,
          }}
        >
          <span
            className="sb-zone-count"
            data-testid="zone-count"
            data-zone={zone.element}
            data-over={zone.over}
            role="status"
            aria-label={zoneCountDescription(zone)}
          >
            {zone.over ? '⚠ ' : ''}
            {zoneCountLabel(zone)}
          </span>
        </div>
      ))}
    </>
  )
}

export function currentZoneCounts(editor: Editor) {
  const zones: (Zone & { element: string })[] = []
  for (const shape of editor.getCurrentPageShapes()) {
    // Most shapes are stickies without our meta: skip them before any parsing.
    if (!(shape.meta as { [META_KEY]?: { zone?: unknown } })[META_KEY]?.zone) continue
    const meta = readShapeMeta(shape)
    const bounds = editor.getShapePageBounds(shape)
    if (!meta.zone || !bounds) continue
    zones.push({
      id: shape.id,
      element: meta.element ?? shape.id,
      bounds: { x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h },
      capacity: meta.zone.capacity,
    })
  }
  // Only stickies that overlap a zone can count: the editor's spatial index finds them.
  const candidates = new Set<TLShapeId>()
  for (const zone of zones) {
    const { x, y, w, h } = zone.bounds
    for (const id of editor.getShapeIdsInsideBounds(new Box(x, y, w, h))) candidates.add(id)
  }
  const centres = [...candidates].flatMap((id) => {
    const shape = editor.getShape(id)
    const bounds = shape && isParticipantSticky(shape) && editor.getShapePageBounds(shape)
    return bounds ? [bounds.center] : []
  })
  return countStickiesInZones(zones, centres).map((count, i) => ({
    ...count,
    element: zones[i].element,
  }))
}

/** Prompts are notes too, but they belong to the template: only answers count. */
function isParticipantSticky(shape: TLShape) {
  return shape.type === 'note' && !isBackground(shape)
}
