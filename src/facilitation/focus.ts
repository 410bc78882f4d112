/** Bringing a part of the board into view: an agenda step's focus (a frame or a zone). */
import type { Editor, TLShapeId } from 'tldraw'

/** The least zoom at which a sticky's words can be read on any screen. */
const READABLE_ZOOM = 0.5
const MARGIN = 16

/** Zooms this person's view to the shape, with a margin; nothing if it is not on the board. */
export function zoomToShape(editor: Editor, shapeId: string) {
  const bounds = editor.getShapePageBounds(shapeId as TLShapeId)
  if (bounds) editor.zoomToBounds(bounds, { inset: 48, animation: { duration: 300 } })
}

/**
 * Opens the board on a step's part of it, readable: the whole of it where the screen is big
 * enough, else (a phone) its top-left corner at a zoom where the words can be read.
 */
export function openOnShape(editor: Editor, shapeId: string) {
  const bounds = editor.getShapePageBounds(shapeId as TLShapeId)
  if (!bounds) return
  editor.zoomToBounds(bounds, { inset: MARGIN })
  if (editor.getZoomLevel() >= READABLE_ZOOM) return
  const z = READABLE_ZOOM
  editor.setCamera({ x: MARGIN / z - bounds.x, y: MARGIN / z - bounds.y, z })
}
