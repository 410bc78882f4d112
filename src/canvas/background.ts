/**
 * The template background on the client. The server is what enforces it (see
 * `src/server/roles.ts`); this only makes the editor say no at once instead of letting a
 * participant drag a zone that then snaps back.
 */
import type { Editor, TLShape } from 'tldraw'
import type { Role } from '../protocol'
import { isProtectedShape, readShapeMeta } from '../board/shape-meta'

/** For participants: edits and deletes of background or locked shapes do nothing. */
export function guardBackground(editor: Editor, role: Role): () => void {
  if (role === 'facilitator') return () => {}
  const stopChanges = editor.sideEffects.registerBeforeChangeHandler(
    'shape',
    (prev, next, source) => (source === 'user' && isProtectedShape(prev) ? prev : next),
  )
  const stopDeletes = editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) =>
    source === 'user' && isProtectedShape(shape) ? false : undefined,
  )
  return () => {
    stopChanges()
    stopDeletes()
  }
}

export function backgroundShapes(editor: Editor): TLShape[] {
  return editor.getCurrentPageShapes().filter((s) => readShapeMeta(s).background === true)
}

/** Locked when every background shape is; null when the board has no background. */
export function isBackgroundLocked(editor: Editor): boolean | null {
  const shapes = backgroundShapes(editor)
  if (shapes.length === 0) return null
  return shapes.every((s) => s.isLocked)
}

/** The facilitator unlocks the background to edit it, and locks it again. */
export function setBackgroundLocked(editor: Editor, locked: boolean) {
  const shapes = backgroundShapes(editor).filter((s) => s.isLocked !== locked)
  editor.run(
    () => editor.updateShapes(shapes.map((s) => ({ id: s.id, type: s.type, isLocked: locked }))),
    { ignoreShapeLock: true },
  )
}
