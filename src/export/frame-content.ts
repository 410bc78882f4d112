/**
 * What a picture of a frame shows. tldraw draws a frame with its children only, but a sticky
 * can sit over a frame without being its child (created by a script, or moved in while the
 * frame was locked): it is in the frame to the people looking at it, so it is in the picture.
 */
import type { Editor, TLFrameShape, TLShapeId } from 'tldraw'

export function frameContent(editor: Editor, frame: TLFrameShape): TLShapeId[] {
  const area = editor.getShapePageBounds(frame)
  if (!area) return [frame.id]
  const over = editor.getCurrentPageShapes().filter((shape) => {
    if (shape.type === 'frame' || shape.parentId !== editor.getCurrentPageId()) return false
    const centre = editor.getShapePageBounds(shape)?.center
    return !!centre && area.containsPoint(centre)
  })
  return [frame.id, ...over.map((shape) => shape.id)]
}
