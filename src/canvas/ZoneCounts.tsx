/**
 * Draws each zone's live sticky count on the canvas ("3 / 2"), and a warning tint and outline
 * on zones past their capacity. It is derived from the synced shapes, so everyone sees the
 * same thing the moment a sticky moves in or out; nothing is written to the board.
 */
import { useEditor, useValue, type Editor, type TLShape } from 'tldraw'
import {
  countStickiesInZones,
  zoneCountDescription,
  zoneCountLabel,
  type Zone,
} from '../facilitation/zones'
import { readShapeMeta } from '../templates/shape-meta'

export function ZoneCounts() {
  const editor = useEditor()
  const zones = useValue('zone counts', () => currentZoneCounts(editor), [editor])
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

function currentZoneCounts(editor: Editor) {
  const zones: (Zone & { element: string })[] = []
  const centres: { x: number; y: number }[] = []
  for (const shape of editor.getCurrentPageShapes()) {
    const meta = readShapeMeta(shape)
    const bounds = editor.getShapePageBounds(shape)
    if (!bounds) continue
    if (meta.zone) {
      zones.push({
        id: shape.id,
        element: meta.element ?? shape.id,
        bounds: { x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h },
        capacity: meta.zone.capacity,
      })
    } else if (isParticipantSticky(shape, meta.background)) {
      centres.push(bounds.center)
    }
  }
  return countStickiesInZones(zones, centres).map((count, i) => ({
    ...count,
    element: zones[i].element,
  }))
}

/** Prompts are notes too, but they belong to the template: only answers count. */
function isParticipantSticky(shape: TLShape, background: boolean | undefined) {
  return shape.type === 'note' && background !== true
}
