/**
 * Stacks of near-duplicate stickies ("Stack duplicates" puts them in one, `meta.switchback.stack`):
 * a stack counts the stickies that share its id and still lie on its top sticky (their centre
 * inside it), so dragging one off takes it out of the count without anyone writing anything.
 * The count shows on the top sticky, on screen and in every export, and the report lists a
 * stack once, with how many it holds.
 */
import { boxContains, type Box } from './geometry'

export interface StackableNote {
  id: string
  /** The stack id, or null. */
  stack: string | null
  /** tldraw's fractional index among its siblings: the highest is drawn on top. */
  index: string
  bounds: Box
}

/** Each stack of two or more: its top sticky's id, and the ids it counts (top first). */
export function stacksOf(notes: readonly StackableNote[]): Map<string, string[]> {
  const byStack = new Map<string, StackableNote[]>()
  for (const note of notes) {
    if (note.stack === null) continue
    const members = byStack.get(note.stack)
    if (members) members.push(note)
    else byStack.set(note.stack, [note])
  }
  const stacks = new Map<string, string[]>()
  for (const members of byStack.values()) {
    if (members.length < 2) continue
    // Fractional indices sort as plain strings (ASCII order), as tldraw compares them.
    const top = members.reduce((a, b) => (b.index > a.index ? b : a))
    const counted = members.filter((note) => note === top || boxContains(top.bounds, centre(note)))
    if (counted.length < 2) continue
    stacks.set(top.id, [top.id, ...counted.filter((n) => n !== top).map((n) => n.id)])
  }
  return stacks
}

function centre(note: StackableNote) {
  return { x: note.bounds.x + note.bounds.w / 2, y: note.bounds.y + note.bounds.h / 2 }
}
