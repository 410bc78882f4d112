/** Bringing a part of the board into view: an agenda step's focus (a frame or a zone). */
import type { Editor, TLShapeId } from 'tldraw'

/** Zooms this person's view to the shape, with a margin; nothing if it is not on the board. */
export function zoomToShape(editor: Editor, shapeId: string) {
  const bounds = editor.getShapePageBounds(shapeId as TLShapeId)
  if (bounds) editor.zoomToBounds(bounds, { inset: 48, animation: { duration: 300 } })
}
