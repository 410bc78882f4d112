/**
 * Locking and unlocking the template background: the facilitator unlocks it to change the
 * canvas, and locks it again. (Participants' edits of it are refused by the server, and
 * stopped early on their side by `src/canvas/background-guard.ts`.)
 */
import type { Editor, TLShape } from 'tldraw'
import { readShapeMeta } from '../board/shape-meta'

function backgroundShapes(editor: Editor): TLShape[] {
  return editor.getCurrentPageShapes().filter((s) => readShapeMeta(s).background === true)
}

/** Locked when every background shape is; null when the board has no background. */
export function isBackgroundLocked(editor: Editor): boolean | null {
  const shapes = backgroundShapes(editor)
  if (shapes.length === 0) return null
  return shapes.every((s) => s.isLocked)
}

export function setBackgroundLocked(editor: Editor, locked: boolean) {
  const shapes = backgroundShapes(editor).filter((s) => s.isLocked !== locked)
  editor.run(
    () => editor.updateShapes(shapes.map((s) => ({ id: s.id, type: s.type, isLocked: locked }))),
    { ignoreShapeLock: true },
  )
}
