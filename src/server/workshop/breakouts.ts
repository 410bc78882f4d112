/**
 * Breakout groups: the server's rules for starting, changing and ending them, and what each
 * session sees of them. Pure (the hub in `facilitation.ts` stores and sends), so every rule is
 * unit-tested without a room. Who may send which action is decided in `roles.ts` first.
 *
 * STUB laid down with the contract: the breakouts branch builds it.
 */
import type { FacilitationAction } from '../../protocol/facilitation'
import type { BreakoutView } from '../../protocol/big-rooms'
import type { ActionContext, FacilitationState, Outcome } from './facilitation-state'

export type BreakoutAction = Extract<FacilitationAction, { type: `breakout-${string}` }>

export function applyBreakoutAction(
  _state: FacilitationState,
  _action: BreakoutAction,
  _context: ActionContext,
): Outcome {
  return { kind: 'refused', reason: 'Breakouts are not built yet.' }
}

/** Breakouts as one session sees them (`personId` null: a nameless session). */
export function breakoutView(
  _state: FacilitationState,
  _who: { personId: string | null; facilitator: boolean },
): BreakoutView | null {
  return null
}
