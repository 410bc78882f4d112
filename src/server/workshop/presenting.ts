/**
 * Presenting frames as slides: which frames, in which order, and the slide on now. Pure (the
 * hub stores and sends); everyone sees the same presentation, so a reload, a late joiner and a
 * restart all come back to the slide that is on.
 *
 * The server checks what a client cannot be trusted with: that every slide is a frame on the
 * board now (`context.isFrame`; none given means no board, so nothing is), that no frame comes
 * twice, that the slide asked for exists, and who presents (the session's person, never a
 * name in the body). Who may send these at all is `roles.ts`'s (the facilitator alone).
 */
import type { FacilitationAction } from '../../protocol/facilitation'
import type { ActionContext, FacilitationState, Outcome } from './workshop-state'

export type PresentAction = Extract<FacilitationAction, { type: `present-${string}` }>

export function applyPresentAction(
  state: FacilitationState,
  action: PresentAction,
  context: ActionContext,
): Outcome {
  switch (action.type) {
    case 'present-start': {
      const { frames, index } = action
      if (new Set(frames).size !== frames.length) {
        return refused('A frame can be a slide only once in a presentation.')
      }
      const notFrame = frames.find((id) => !context.isFrame?.(id))
      if (notFrame !== undefined) return refused(`${notFrame} is not a frame on this board.`)
      if (index >= frames.length) return refused(outOfRange(index, frames.length))
      const { personId, name } = context.actor
      if (!personId) return refused('Presenting needs a named person to present.')
      return changed({
        ...state,
        presenting: {
          frames: [...frames],
          index,
          by: { personId, name },
          startedAt: context.now,
        },
      })
    }
    case 'present-go': {
      const presenting = state.presenting
      if (!presenting) return refused('Nothing is being presented: start presenting first.')
      if (action.index >= presenting.frames.length) {
        return refused(outOfRange(action.index, presenting.frames.length))
      }
      if (action.index === presenting.index) return { kind: 'unchanged' }
      return changed({ ...state, presenting: { ...presenting, index: action.index } })
    }
    case 'present-stop':
      return state.presenting ? changed({ ...state, presenting: null }) : { kind: 'unchanged' }
  }
}

function outOfRange(index: number, slides: number): string {
  return `There is no slide ${index + 1}: this presentation has ${slides}.`
}

function changed(state: FacilitationState): Outcome {
  return { kind: 'changed', state }
}

function refused(reason: string): Outcome {
  return { kind: 'refused', reason }
}
