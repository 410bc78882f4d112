/**
 * The arithmetic of breakouts, apart from the editor so it is unit-tested: how many groups a
 * choice makes ("12 people → 3 groups of 4"), and where copies of a frame go (a grid beside
 * the source, then one row for the gallery walk) without landing on anything already there.
 */
import type { Box } from '../board/geometry'
import { BIG_ROOM_LIMITS } from '../protocol/big-rooms'

/** Space between a frame and its copies, and between copies. */
export const GAP = 200

export type GroupChoice = { by: 'count'; groups: number } | { by: 'size'; size: number }

/** How many groups a choice makes for `people`, within the server's limits. */
export function groupCount(choice: GroupChoice, people: number): number {
  const wanted =
    choice.by === 'count' ? choice.groups : Math.ceil(people / Math.max(1, choice.size))
  return Math.min(BIG_ROOM_LIMITS.maxGroups, Math.max(BIG_ROOM_LIMITS.minGroups, wanted || 0))
}

/** "12 people → 3 groups of 4", "13 people → 3 groups of 4 or 5", "Nobody here yet → 3 groups". */
export function groupSummary(groups: number, people: number): string {
  const made = `${groups} groups`
  if (people === 0) return `Nobody here yet → ${made}`
  const who = people === 1 ? '1 person' : `${people} people`
  const small = Math.floor(people / groups)
  const big = Math.ceil(people / groups)
  if (small === 0) return `${who} → ${made}, some of them empty`
  return `${who} → ${made} of ${small === big ? small : `${small} or ${big}`}`
}

export const groupLabel = (index: number) => `Group ${index + 1}`

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.w + GAP / 2 &&
  b.x < a.x + a.w + GAP / 2 &&
  a.y < b.y + b.h + GAP / 2 &&
  b.y < a.y + a.h + GAP / 2

/**
 * Where `count` copies of `unit` (the source frame with what is on it) go: a grid of about
 * square proportions to the right of it, moved further right past anything in `taken` it
 * would touch. Returns each copy's box, in group order.
 */
export function gridBeside(unit: Box, count: number, taken: readonly Box[]): Box[] {
  const columns = Math.ceil(Math.sqrt(count))
  return clearOf(taken, unit.x + unit.w + GAP, unit.y, (x, y) =>
    Array.from({ length: count }, (_, i) => ({
      x: x + (i % columns) * (unit.w + GAP),
      y: y + Math.floor(i / columns) * (unit.h + GAP),
      w: unit.w,
      h: unit.h,
    })),
  )
}

/**
 * The gallery walk: `units` (each group's copy with what is on it) side by side in one row,
 * in order, starting to the right of `after`, moved right past anything in `taken`.
 */
export function rowAfter(after: Box, units: readonly Box[], taken: readonly Box[]): Box[] {
  return clearOf(taken, after.x + after.w + GAP, after.y, (x, y) => {
    let left = x
    return units.map((unit) => {
      const box = { x: left, y, w: unit.w, h: unit.h }
      left += unit.w + GAP
      return box
    })
  })
}

/** Lays boxes out from (x, y), moving right past whatever they would touch until none does. */
function clearOf(
  taken: readonly Box[],
  x: number,
  y: number,
  lay: (x: number, y: number) => Box[],
) {
  for (;;) {
    const boxes = lay(x, y)
    const hit = taken.filter((t) => boxes.some((b) => overlaps(b, t)))
    if (hit.length === 0) return boxes
    // Past the rightmost thing hit: each step moves right, so this ends.
    x = Math.max(...hit.map((t) => t.x + t.w)) + GAP
  }
}

/** The smallest box holding all of `boxes` (null for none). */
export function union(boxes: readonly Box[]): Box | null {
  if (boxes.length === 0) return null
  const x = Math.min(...boxes.map((b) => b.x))
  const y = Math.min(...boxes.map((b) => b.y))
  const maxX = Math.max(...boxes.map((b) => b.x + b.w))
  const maxY = Math.max(...boxes.map((b) => b.y + b.h))
  return { x, y, w: maxX - x, h: maxY - y }
}
