/**
 * Raised hands: the queue's order, kept by the server, and what each session sees of it. Pure
 * (the hub stores and sends). A person raises and lowers only their own hand: the action names
 * nobody, and the actor is who the server admitted. The order and the times are the server's
 * (its clock, the order actions reached it), never the client's.
 *
 * A hand whose person has left goes down by itself, but not at once. In Zoom or Butter a hand
 * goes down when its owner leaves the call, and a facilitator expects the same: nobody is
 * called on who is not there. A browser tab, though, drops its socket on a reload, a laptop
 * lid or a train tunnel, and losing one's place for that would be unfair; so the hand stays
 * while any of its person's sockets is on the board, and goes down once none has been for
 * `HAND_AWAY_MS` (the hub keeps who is away and asks `lowerHands`).
 */
import type { FacilitationAction } from '../../protocol/facilitation'
import { BIG_ROOM_LIMITS, type HandsView, type RaisedHand } from '../../protocol/big-rooms'
import type { ActionContext, FacilitationState, Outcome } from './workshop-state'

export type HandAction = Extract<
  FacilitationAction,
  { type: 'hand-raise' | 'hand-lower' | 'hand-lower-for' | 'hands-clear' }
>

/** How long a hand stays up with none of its person's sockets on the board: a reload, a blip. */
export const HAND_AWAY_MS = 60_000

export function applyHandAction(
  state: FacilitationState,
  action: HandAction,
  context: ActionContext,
): Outcome {
  const { personId, name } = context.actor
  switch (action.type) {
    case 'hand-raise': {
      if (!personId) return refused('Only a named person can raise a hand: reload the board.')
      const at = state.hands.findIndex((hand) => hand.personId === personId)
      if (at >= 0) {
        // Raising again (a second tab, a double press) keeps the place; a new name is taken.
        if (state.hands[at]!.name === name) return { kind: 'unchanged' }
        const hands = state.hands.map((hand, i) => (i === at ? { ...hand, name } : hand))
        return changed({ ...state, hands })
      }
      if (state.hands.length >= BIG_ROOM_LIMITS.maxHands) {
        return refused(`${BIG_ROOM_LIMITS.maxHands} hands are up already: wait for a turn.`)
      }
      const hand: RaisedHand = { personId, name, raisedAt: context.now }
      return changed({ ...state, hands: [...state.hands, hand] })
    }
    case 'hand-lower':
      return personId ? lower(state, (hand) => hand.personId === personId) : { kind: 'unchanged' }
    case 'hand-lower-for':
      // Already down (another facilitator was quicker, or they lowered it): nothing to do.
      return lower(state, (hand) => hand.personId === action.personId)
    case 'hands-clear':
      return lower(state, () => true)
  }
}

/** The state with the hands `away` says to lower taken down, or null when none is. */
export function lowerHands(
  state: FacilitationState,
  away: (personId: string) => boolean,
): FacilitationState | null {
  const outcome = lower(state, (hand) => away(hand.personId))
  return outcome.kind === 'changed' ? outcome.state : null
}

/**
 * The people whose view of the hands a change from `before` to `after` may touch: everyone in
 * either queue (a place moved, or the count they see). Nobody else's view changes, so in a
 * 200-person room a hand going up is sent to the facilitators and the hands up, not to all.
 */
export function handsTouched(before: FacilitationState, after: FacilitationState): Set<string> {
  return new Set([...before.hands, ...after.hands].map((hand) => hand.personId))
}

/**
 * Raised hands as one session sees them. The queue (names, times) is the facilitator's. A
 * participant sees their place, and the count only while their own hand is up ("2nd of 5"):
 * were it in everyone's view, every hand raised anywhere would send a state to every session.
 */
export function handsView(
  state: FacilitationState,
  who: { personId: string | null; facilitator: boolean },
): HandsView {
  const at = who.personId === null ? -1 : state.hands.findIndex((h) => h.personId === who.personId)
  const mine = at < 0 ? null : at + 1
  return {
    queue: who.facilitator ? state.hands : [],
    mine,
    count: who.facilitator || mine !== null ? state.hands.length : null,
  }
}

function lower(state: FacilitationState, down: (hand: RaisedHand) => boolean): Outcome {
  const hands = state.hands.filter((hand) => !down(hand))
  if (hands.length === state.hands.length) return { kind: 'unchanged' }
  return changed({ ...state, hands })
}

function changed(state: FacilitationState): Outcome {
  return { kind: 'changed', state }
}

function refused(reason: string): Outcome {
  return { kind: 'refused', reason }
}
