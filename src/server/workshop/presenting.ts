/**
 * Presenting frames as slides: which frames, in which order, and the slide on now. Pure (the
 * hub stores and sends); everyone sees the same presentation.
 *
 * STUB laid down with the contract: the presenting branch builds it.
 */
import type { FacilitationAction } from '../../protocol/facilitation'
import type { ActionContext, FacilitationState, Outcome } from './facilitation-state'

export type PresentAction = Extract<FacilitationAction, { type: `present-${string}` }>

export function applyPresentAction(
  _state: FacilitationState,
  _action: PresentAction,
  _context: ActionContext,
): Outcome {
  return { kind: 'refused', reason: 'Presenting is not built yet.' }
}
