/**
 * Who may mark a sticky an action or a decision (`meta.switchback.outcome`,
 * src/board/outcome-marks.ts), judged on every shape write by the shape rule of `roles.ts`:
 *
 * - a mark sits only on a sticky (a note shape), and only a mark `outcomeMarkSchema` reads;
 * - a participant may add, change or remove an **action** mark (on a sticky they may edit at
 *   all: the shape rule refuses locked, background and frozen ones after this);
 * - only the facilitator adds, changes or removes a **decision**, and a decided sticky is
 *   read-only for everyone else: no edit, move or delete (the participant's editor treats it
 *   as locked too, `src/canvas/background-guard.ts`, so nothing snaps back);
 * - viewers write nothing (the shape rule refuses them before asking).
 *
 * The marks are compared raw, so an unchanged mark (even a malformed one from an older board)
 * never blocks an edit of the sticky's text, while a new or changed one must be sound.
 */
import type { Role } from '../../protocol'
import { isDecided, outcomeMarkSchema, rawOutcomeMark } from '../../board/outcome-marks'

interface ShapeWrite {
  type: 'create' | 'update' | 'delete'
  prev: { type: string; meta: unknown } | null
  next: { type: string; meta: unknown } | null
}

export const OUTCOME_REFUSALS = {
  decided: 'That sticky is a decision: only the facilitator can change, move or delete it.',
  decision: 'Only the facilitator can mark a sticky as a decision, or take the mark off.',
  notSticky: 'Only stickies can be marked as an action or a decision.',
  invalid:
    'That mark was not saved: an action has an owner of at most 60 characters and a due date like 2026-12-24, a decision nothing else.',
} as const

/** Why this write of a shape breaks the outcome rules, or null when it keeps them. */
export function outcomeProblem(role: Role, write: ShapeWrite): string | null {
  const facilitator = role === 'facilitator'
  const { prev, next } = write
  if (!facilitator && prev && isDecided(prev)) return OUTCOME_REFUSALS.decided
  const before = prev ? rawOutcomeMark(prev) : undefined
  const after = next ? rawOutcomeMark(next) : undefined
  if (!next || JSON.stringify(before) === JSON.stringify(after)) return null
  if (after !== undefined) {
    if (next.type !== 'note') return OUTCOME_REFUSALS.notSticky
    if (!outcomeMarkSchema.safeParse(after).success) return OUTCOME_REFUSALS.invalid
  }
  // Adding, changing or removing a decision (prev decided was handled above).
  if (!facilitator && (isDecided(next) || (prev && isDecided(prev)))) {
    return OUTCOME_REFUSALS.decision
  }
  return null
}
