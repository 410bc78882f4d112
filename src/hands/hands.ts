/**
 * Raised hands in the browser: what the buttons say and what they ask of the server. The
 * server keeps the queue and decides; here are only words ("Hand up · 2nd", "waited 1:05")
 * and the one action a press sends.
 */
import type { HandsView } from '../protocol/big-rooms'
import type { Workshop } from '../facilitation/workshop.svelte'

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st… */
export function ordinal(n: number): string {
  const tens = n % 100
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th')
  return `${n}${suffix}`
}

/** How long a hand has waited, as a clock: "0:07", "12:30", "1:02:03". */
export function waited(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`
}

/** What this person's hand button says: "Raise hand", or "Hand up · 2nd". */
export function handLabel(hands: HandsView | undefined): string {
  const mine = hands?.mine ?? null
  return mine === null ? 'Raise hand' : `Hand up · ${ordinal(mine)}`
}

/** Raises this person's hand, or lowers it if it is up. */
export function toggleHand(workshop: Workshop): Promise<boolean> {
  const up = (workshop.view?.hands.mine ?? null) !== null
  return workshop.act({ type: up ? 'hand-lower' : 'hand-raise' })
}
