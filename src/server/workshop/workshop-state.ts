/**
 * The workshop's stored state and the terms every rule is written in: who acts, what an action
 * is decided with, and what it comes to. Its own module so the rules of each part (the
 * workshop's in `facilitation-state.ts`, breakouts, presenting, hands) share them without
 * importing one another.
 */
import { z } from 'zod'
import { stepLogSchema, stepRefSchema, timerSchema } from '../../protocol/facilitation'
import { cursorModeChoiceSchema } from '../../protocol/cursors'
import { breakoutStateSchema, presentingSchema, raisedHandSchema } from '../../protocol/big-rooms'
import type { AgendaSection } from '../../board/agenda'

/** What the server keeps (one storage value): small, whatever the room's size. */
export const facilitationStateSchema = z.strictObject({
  step: stepRefSchema.nullable(),
  /** When each step began (a state stored before it existed reads none). */
  stepLog: stepLogSchema.default([]),
  timer: timerSchema,
  /** The facilitator people are asked to follow: their person id and name. */
  follow: z.strictObject({ personId: z.string(), name: z.string() }).nullable(),
  /** Person ids done with the current step. */
  done: z.array(z.string()),
  /** Crowd mode as the facilitator chose it (a state stored before it existed reads `auto`). */
  cursorMode: cursorModeChoiceSchema.default('auto'),
  /** Breakout groups under way (big-rooms.ts); a state stored before they existed reads none. */
  breakouts: breakoutStateSchema.nullable().default(null),
  /** The frames being presented as slides. */
  presenting: presentingSchema.nullable().default(null),
  /** Raised hands, first raised first. */
  hands: z.array(raisedHandSchema).default([]),
})
export type FacilitationState = z.infer<typeof facilitationStateSchema>

export const INITIAL_STATE: FacilitationState = {
  step: null,
  stepLog: [],
  timer: { status: 'idle' },
  follow: null,
  done: [],
  cursorMode: 'auto',
  breakouts: null,
  presenting: null,
  hands: [],
}

/** Who acts, as the server knows them (never as the client says). */
export interface Actor {
  personId: string | null
  name: string
}

/** What an action is decided with: the server's clock, who acts, and the board as it stands. */
export interface ActionContext {
  now: number
  actor: Actor
  agenda: AgendaSection[]
  /** Whether a shape id is a frame on the board now (none: no board records, nothing is). */
  isFrame?(shapeId: string): boolean
  /** The participants on the board now (breakouts assign them), each person once. */
  present?: readonly Actor[]
  /** A number in [0, 1) (default Math.random): the breakouts' shuffle, fixed in tests. */
  random?(): number
}

export type Outcome =
  | {
      kind: 'changed'
      state: FacilitationState
      summonFocus?: string | null
      /** Sends each of these people (all their sessions) to a shape of their own (their group's copy). */
      summonEach?: readonly { personId: string; focus: string }[]
    }
  | { kind: 'unchanged' }
  | { kind: 'refused'; reason: string }
