/**
 * The workshop's state and how each facilitation action changes it: pure, so every rule
 * (timer arithmetic on the server's clock, steps that must exist, the ready check resetting
 * on a step change) is unit-tested without a room. Who may send which action is decided in
 * `roles.ts`, before this runs.
 */
import { z } from 'zod'
import {
  FACILITATION_LIMITS,
  stepLogSchema,
  stepRefSchema,
  timerSchema,
  type FacilitationAction,
  type StepRef,
  type TimerState,
} from '../../protocol/facilitation'
import { cursorModeChoiceSchema } from '../../protocol/cursors'
import { breakoutStateSchema, presentingSchema, raisedHandSchema } from '../../protocol/big-rooms'
import type { AgendaSection } from '../../board/agenda'
import { applyBreakoutAction } from './breakouts'
import { applyHandAction } from './hands'
import { applyPresentAction } from './presenting'

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

/** The actions that change the shared state; the rest (summon, react, following) do not. */
export function applyAction(
  state: FacilitationState,
  action: FacilitationAction,
  context: ActionContext,
): Outcome {
  const { now, actor, agenda } = context
  switch (action.type) {
    case 'step': {
      const step = findStep(agenda, action.step)
      if (!step) return refused('There is no such step on this board’s agenda.')
      const next = {
        ...state,
        step: action.step,
        stepLog: logStep(state, action.step, now),
        done: [],
      }
      return {
        kind: 'changed',
        state: next,
        summonFocus: action.bringEveryone ? (step.focus ?? null) : undefined,
      }
    }
    case 'timer-start':
      return changed({ ...state, timer: running(now, action.durationMs, action.durationMs) })
    case 'timer-pause':
      if (state.timer.status !== 'running') return refused('The timer is not running.')
      return changed({
        ...state,
        timer: {
          status: 'paused',
          remainingMs: Math.max(0, state.timer.endsAt - now),
          durationMs: state.timer.durationMs,
        },
      })
    case 'timer-resume':
      if (state.timer.status !== 'paused') return refused('The timer is not paused.')
      return changed({
        ...state,
        timer: running(now, state.timer.remainingMs, state.timer.durationMs),
      })
    case 'timer-add-minute':
      return addMinute(state, now)
    case 'timer-stop':
      if (state.timer.status === 'idle') return { kind: 'unchanged' }
      return changed({ ...state, timer: { status: 'idle' } })
    case 'follow-start':
      if (!actor.personId) return refused('Following needs a named person to follow.')
      return changed({ ...state, follow: { personId: actor.personId, name: actor.name } })
    case 'follow-stop':
      return state.follow ? changed({ ...state, follow: null }) : { kind: 'unchanged' }
    case 'ready': {
      if (!actor.personId) return refused('Only a named participant can say they are done.')
      const has = state.done.includes(actor.personId)
      if (has === action.done) return { kind: 'unchanged' }
      const done = action.done
        ? [...state.done, actor.personId]
        : state.done.filter((id) => id !== actor.personId)
      return changed({ ...state, done })
    }
    case 'set-cursor-mode':
      if (state.cursorMode === action.mode) return { kind: 'unchanged' }
      return changed({ ...state, cursorMode: action.mode })
    case 'summon':
    case 'following':
    case 'react':
    case 'name':
      return { kind: 'unchanged' }
    case 'vote-start':
    case 'vote':
    case 'vote-end':
    case 'vote-cancel':
      // Decided by `vote.ts` (the hub sends them there); never here.
      return refused('Votes are not part of the workshop state.')
    case 'private-start':
    case 'private-reveal':
    case 'private-discard':
    case 'private-end':
      return refused('Not built yet.')
    case 'breakout-start':
    case 'breakout-move':
    case 'breakout-pick':
    case 'breakout-message':
    case 'breakout-send':
    case 'breakout-end':
      return applyBreakoutAction(state, action, context)
    case 'present-start':
    case 'present-go':
    case 'present-stop':
      return applyPresentAction(state, action, context)
    case 'hand-raise':
    case 'hand-lower':
    case 'hand-lower-for':
    case 'hands-clear':
      return applyHandAction(state, action, context)
  }
}

/** The step log with this step begun at `now`; choosing the step it is on changes nothing. */
function logStep(state: FacilitationState, step: StepRef, now: number) {
  const current = state.step
  if (current && current.instance === step.instance && current.index === step.index) {
    return state.stepLog
  }
  return [...state.stepLog, { step, at: now }].slice(-FACILITATION_LIMITS.maxStepLog)
}

/** The step a reference names, if the board's agenda has it. */
export function findStep(agenda: AgendaSection[], ref: StepRef) {
  return agenda.find((section) => section.instance === ref.instance)?.steps[ref.index] ?? null
}

/** Milliseconds left on the timer at `now` (negative once over time); null when idle. */
export function timeLeft(timer: TimerState, now: number): number | null {
  if (timer.status === 'running') return timer.endsAt - now
  if (timer.status === 'paused') return timer.remainingMs
  return null
}

function addMinute(state: FacilitationState, now: number): Outcome {
  const { timer } = state
  const add = FACILITATION_LIMITS.addTimerMs
  if (timer.status === 'idle') return refused('No timer is set: start one first.')
  const left = timeLeft(timer, now) ?? 0
  if (Math.max(0, left) + add > FACILITATION_LIMITS.maxTimerMs) {
    return refused('The timer is at its longest already.')
  }
  if (timer.status === 'running') {
    // Over time, a minute counts from now: "add a minute" means one more minute to go.
    const endsAt = Math.max(timer.endsAt, now) + add
    return changed({ ...state, timer: { ...timer, endsAt, durationMs: timer.durationMs + add } })
  }
  return changed({
    ...state,
    timer: { ...timer, remainingMs: timer.remainingMs + add, durationMs: timer.durationMs + add },
  })
}

function running(now: number, remainingMs: number, durationMs: number): TimerState {
  return { status: 'running', endsAt: now + remainingMs, durationMs }
}

function changed(state: FacilitationState): Outcome {
  return { kind: 'changed', state }
}

function refused(reason: string): Outcome {
  return { kind: 'refused', reason }
}
