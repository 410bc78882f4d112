/**
 * Raised hands: the queue's order, kept by the server, and what each session sees of it. Pure
 * (the hub stores and sends). A person raises and lowers only their own hand: the action names
 * nobody, and the actor is who the server admitted.
 *
 * STUB laid down with the contract: the hands branch builds it.
 */
import type { FacilitationAction } from '../../protocol/facilitation'
import type { HandsView } from '../../protocol/big-rooms'
import type { ActionContext, FacilitationState, Outcome } from './facilitation-state'

export type HandAction = Extract<
  FacilitationAction,
  { type: 'hand-raise' | 'hand-lower' | 'hand-lower-for' | 'hands-clear' }
>

export function applyHandAction(
  _state: FacilitationState,
  _action: HandAction,
  _context: ActionContext,
): Outcome {
  return { kind: 'refused', reason: 'Raised hands are not built yet.' }
}

/** Raised hands as one session sees them: the queue is the facilitator's. */
export function handsView(
  state: FacilitationState,
  who: { personId: string | null; facilitator: boolean },
): HandsView {
  const at = who.personId === null ? -1 : state.hands.findIndex((h) => h.personId === who.personId)
  return {
    queue: who.facilitator ? state.hands : [],
    mine: at < 0 ? null : at + 1,
    count: state.hands.length,
  }
}
