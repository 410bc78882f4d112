/**
 * Marking stickies as actions and decisions, in the editor: which selected stickies this person
 * may mark, writing or taking off the mark (`meta.switchback.outcome`, `withOutcomeMark`) as one
 * undo step, and the names an action's owner is picked from. The server's outcome rules
 * (`src/server/rules/outcome-rules.ts`) decide for real; this only offers what they allow, so
 * a mark never snaps back: a participant marks actions on stickies they may edit, and only the
 * facilitator marks, changes or removes a decision.
 */
import type { Editor, TLShape, TLShapeId } from 'tldraw'
import type { Role } from '../protocol'
import {
  isDecided,
  readOutcomeMark,
  withOutcomeMark,
  MAX_OWNER_LENGTH,
  type OutcomeMark,
} from '../board/outcome-marks'
import { isProtectedShape, noteAuthor } from '../board/shape-meta'

/** Whether this role may set or take off `mark` (kind) on `shape` at all. */
export function mayMark(editor: Editor, role: Role, shape: TLShape, kind: OutcomeMark['kind']) {
  if (shape.type !== 'note' || role === 'viewer') return false
  if (role === 'facilitator') return true
  if (kind === 'decision') return false
  // The participant's editor treats frozen and decided stickies as locked (background-guard.ts).
  return !isProtectedShape(shape) && !isDecided(shape) && !editor.isShapeOrAncestorLocked(shape)
}

/** The selected stickies. */
export function selectedNotes(editor: Editor): TLShape[] {
  return editor.getSelectedShapes().filter((shape) => shape.type === 'note')
}

export interface MarkResult {
  /** Stickies written. */
  marked: number
  /** Selected stickies this person may not mark (locked, frozen, a decision). */
  skipped: number
}

/**
 * Sets `mark` (null: takes it off) on the stickies of `ids` this role may change, one undo
 * step. Taking a mark off needs the right to the mark there now (a decision's: the facilitator's).
 */
export function setOutcomeMark(
  editor: Editor,
  role: Role,
  ids: readonly string[],
  mark: OutcomeMark | null,
): MarkResult {
  const shapes = ids.flatMap((id) => editor.getShape(id as TLShapeId) ?? [])
  const notes = shapes.filter((shape) => shape.type === 'note')
  const mayChange = notes.filter((shape) => {
    const now = readOutcomeMark(shape)
    if (mark && !mayMark(editor, role, shape, mark.kind)) return false
    if (now && !mayMark(editor, role, shape, now.kind)) return false
    return mark !== null || now !== null || isDecided(shape)
  })
  const writes = mayChange.filter(
    (shape) => JSON.stringify(readOutcomeMark(shape)) !== JSON.stringify(mark),
  )
  if (writes.length > 0) {
    editor.markHistoryStoppingPoint(mark ? `mark as ${mark.kind}` : 'remove mark')
    editor.run(
      () =>
        editor.updateShapes(
          writes.map((shape) => ({
            id: shape.id,
            type: shape.type,
            meta: withOutcomeMark(shape.meta, mark) as TLShape['meta'],
          })),
        ),
      // The facilitator marks template stickies too; a participant's locked ones were left out.
      { ignoreShapeLock: role === 'facilitator' },
    )
  }
  return { marked: mayChange.length, skipped: notes.length - mayChange.length }
}

/** The action mark of the first selected sticky that has one: what the dialog starts from. */
export function currentAction(editor: Editor, ids: readonly string[]) {
  for (const id of ids) {
    const shape = editor.getShape(id as TLShapeId)
    const mark = shape && readOutcomeMark(shape)
    if (mark?.kind === 'action') return mark
  }
  return null
}

/**
 * Whom an action can be given to: the people on the board now, then the authors of revealed
 * stickies and the owners already used on the board, each name once (case aside), sorted.
 */
export function ownerSuggestions(editor: Editor, present: readonly string[]): string[] {
  const names = new Map<string, string>()
  const add = (name: string | null | undefined) => {
    const clean = name?.trim().slice(0, MAX_OWNER_LENGTH)
    if (clean && clean !== 'Anonymous' && !names.has(clean.toLowerCase())) {
      names.set(clean.toLowerCase(), clean)
    }
  }
  present.forEach(add)
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.type !== 'note') continue
    add(noteAuthor(shape))
    const mark = readOutcomeMark(shape)
    if (mark?.kind === 'action') add(mark.owner)
  }
  return [...names.values()].sort((a, b) => a.localeCompare(b))
}
