/**
 * The template background and frozen frames, guarded on a participant's side. The server is
 * what enforces both (see `src/server/rules/roles.ts`); this only makes the editor say no at once
 * instead of letting a participant drag a zone, or a sticky in a frozen frame, that then
 * snaps back.
 *
 * What a frozen frame holds is read-only here as it is on the server (`src/board/frozen.ts`):
 * the editor treats it as locked (no editing, erasing or brushing it into a selection), and a
 * change that would alter it, move something into or out of it, or delete it does nothing. A
 * shape created in it (a sticky put down on it, a paste) is taken away in the same step, so
 * nothing reaches the server, and the participant is told why.
 *
 * A sticky marked a decision is the facilitator's in the same way (the server's outcome
 * rules, `src/server/rules/outcome-rules.ts`): locked here, so it cannot be edited, moved,
 * deleted or unmarked.
 */
import type { Editor, TLShape } from 'tldraw'
import { toast } from 'svelte-sonner'
import { FROZEN_NOTICE, type Role } from '../protocol'
import { isProtectedShape } from '../board/shape-meta'
import { isDecided } from '../board/outcome-marks'
import { frozenFrameOf, frozenFrames } from './freeze'

/** For participants (and viewers): protected shapes and frozen frames' content stay as they are. */
export function guardBackground(editor: Editor, role: Role): () => void {
  if (role === 'facilitator') return () => {}
  const frozenIds = frozenFrames(editor)
  const frozen = (shape: TLShape) => frozenFrameOf(editor, shape, frozenIds()) !== null
  /** Protected, or a decision: what this person may not change at all. */
  const kept = (shape: TLShape) => isProtectedShape(shape) || isDecided(shape)
  const refused = () => toast.error(FROZEN_NOTICE, { id: 'frozen' })
  /** Set while the guard itself takes away a shape created in a frozen frame. */
  let removing = false

  const stopChanges = editor.sideEffects.registerBeforeChangeHandler(
    'shape',
    (prev, next, source) => {
      if (source !== 'user') return next
      if (kept(prev)) return prev
      if (frozen(prev) || frozen(next)) return prev
      return next
    },
  )
  const stopDeletes = editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) => {
    if (source !== 'user' || removing) return
    return kept(shape) || frozen(shape) ? false : undefined
  })
  const stopCreates = editor.sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
    if (source !== 'user' || !frozen(shape)) return
    removing = true
    try {
      editor.deleteShape(shape.id)
    } finally {
      removing = false
    }
    refused()
  })
  // tldraw asks this before editing, erasing, cropping or brush-selecting a shape, and skips
  // locked shapes in `updateShapes`: what a frozen frame holds is locked for this person.
  const isLocked = editor.isShapeOrAncestorLocked.bind(editor)
  editor.isShapeOrAncestorLocked = (shape) => {
    if (isLocked(shape)) return true
    const record = shape === undefined ? undefined : editor.getShape(shape)
    return record !== undefined && (isDecided(record) || frozen(record))
  }
  return () => {
    stopChanges()
    stopDeletes()
    stopCreates()
    editor.isShapeOrAncestorLocked = isLocked
  }
}
