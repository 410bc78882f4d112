/**
 * The agenda as one list of steps, for stepping through a workshop: where the board is, what
 * comes next, and a timer's readable form. Pure.
 */
import type { AgendaSection, BoardStep } from '../board/agenda'
import type { StepRef } from '../protocol/facilitation'

export interface NumberedStep extends BoardStep {
  ref: StepRef
  /** 1-based, across every template on the board. */
  number: number
  sectionTitle: string
}

export function allSteps(agenda: AgendaSection[]): NumberedStep[] {
  const steps: NumberedStep[] = []
  for (const section of agenda) {
    section.steps.forEach((step, index) =>
      steps.push({
        ...step,
        ref: { instance: section.instance, index },
        number: steps.length + 1,
        sectionTitle: section.title,
      }),
    )
  }
  return steps
}

export function stepAt(steps: NumberedStep[], ref: StepRef | null): NumberedStep | null {
  if (!ref) return null
  return steps.find((s) => s.ref.instance === ref.instance && s.ref.index === ref.index) ?? null
}

/** "4:05", "0:09", "1:02:00"; negative times read as time over ("+0:42"). */
export function clock(ms: number): string {
  const over = ms < 0
  const total = Math.floor(Math.abs(ms) / 1000) + (over ? 0 : ms % 1000 > 0 ? 1 : 0)
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  const body =
    hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
  return over ? `+${body}` : body
}
