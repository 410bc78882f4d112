/**
 * The workshop's state and how each facilitation action changes it: pure, so every rule
 * (timer arithmetic on the server's clock, steps that must exist, the ready check resetting
 * on a step change) is unit-tested without a room. Who may send which action is decided in
 * `roles.ts`, before this runs.
 */
import {
  FACILITATION_LIMITS,
  type FacilitationAction,
  type StepRef,
  type TimerState,
} from '../../protocol/facilitation'
import type { AgendaSection } from '../../board/agenda'
import { applyBreakoutAction } from './breakouts'
import { applyHandAction } from './hands'
import { applyPresentAction } from './presenting'
import type { ActionContext, FacilitationState, Outcome } from './workshop-state'

export {
  INITIAL_STATE,
  facilitationStateSchema,
  type ActionContext,
  type Actor,
  type FacilitationState,
  type Outcome,
} from './workshop-state'

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
