/**
 * The facilitator's workshop commands, shared by the step bar, the agenda panel and the
 * keyboard: move to a step, start or pause the timer, bring everyone here.
 */
import type { AgendaSection } from '../board/agenda'
import type { CanvasHandle } from '../canvas/handle'
import type { StepRef } from '../protocol/facilitation'
import { allSteps, stepAt } from './agenda-steps'
import { viewBounds } from './follow'
import type { Workshop } from './workshop.svelte'

export interface StepChange {
  agenda: AgendaSection[]
  /** A step change also moves everyone to the step's part of the board. */
  bringEveryone: boolean
  /** The step the workshop left, once the server has taken the change (for "After: <step>"). */
  onStepDone?: (title: string) => void
}

/** Moves the workshop to a step; resolves to whether the server took it. */
export async function goToStep(
  workshop: Workshop,
  step: StepRef,
  change: StepChange,
): Promise<boolean> {
  const left = stepAt(allSteps(change.agenda), workshop.view?.step ?? null)
  const moved = await workshop.act({ type: 'step', step, bringEveryone: change.bringEveryone })
  const sameStep = left?.ref.instance === step.instance && left.ref.index === step.index
  if (moved && left && !sameStep) change.onStepDone?.(left.title)
  return moved
}

/** The next step (the first, before the workshop has started); null after the last. */
export function nextStep(workshop: Workshop, agenda: AgendaSection[]) {
  const steps = allSteps(agenda)
  const current = stepAt(steps, workshop.view?.step ?? null)
  return current ? (steps[current.number] ?? null) : (steps[0] ?? null)
}

/** Starts the timer for the current step's minutes, or pauses or resumes it. */
export function toggleTimer(workshop: Workshop, agenda: AgendaSection[]): Promise<boolean> {
  const timer = workshop.view?.timer
  if (timer?.status === 'running') return workshop.act({ type: 'timer-pause' })
  if (timer?.status === 'paused') return workshop.act({ type: 'timer-resume' })
  const minutes = stepAt(allSteps(agenda), workshop.view?.step ?? null)?.minutes ?? 5
  return workshop.act({ type: 'timer-start', durationMs: Math.max(1, minutes) * 60_000 })
}

export function bringEveryoneHere(workshop: Workshop, canvas: CanvasHandle): Promise<boolean> {
  return workshop.act({ type: 'summon', bounds: viewBounds(canvas.editor) })
}
