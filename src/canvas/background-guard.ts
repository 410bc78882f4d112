/**
 * The template background, guarded on a participant's side. The server is what enforces it (see
 * `src/server/roles.ts`); this only makes the editor say no at once instead of letting a
 * participant drag a zone that then snaps back.
 */
import type { Editor } from 'tldraw'
import type { Role } from '../protocol'
import { isProtectedShape } from '../board/shape-meta'

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
