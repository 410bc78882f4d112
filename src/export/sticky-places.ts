/**
 * Where a sticky is, as the deck's sticky lists and the workshop report both say it: the frame
 * it is in (its outermost frame ancestor, else the frame its centre lies in), the zone it is in
 * (the smallest one its centre lies in), and the frame an agenda step is about. One home, so a
 * sticky that the deck lists under "Jobs › Mismatches" is there in the report too.
 */
import type { BoardStep } from '../board/agenda'
import { boxContains, type Box } from '../board/geometry'

const centre = (b: Box) => ({ x: b.x + b.w / 2, y: b.y + b.h / 2 })

interface Placed {
  bounds: Box
  /** The outermost frame the shape is a child of, if any. */
  frameId: string | null
}

/** The frame a sticky (or zone) is in: its own frame ancestor, else the one under its centre. */
export function frameAt<F extends { id: string; bounds: Box }>(
  item: Placed,
  frames: readonly F[],
): F | null {
  const own = item.frameId ? frames.find((f) => f.id === item.frameId) : undefined
  if (own) return own
  const c = centre(item.bounds)
  return frames.find((f) => boxContains(f.bounds, c)) ?? null
}

/** The zones a sticky's centre lies in, smallest first (the first is the one it is listed in). */
export function zonesAt<Z extends { bounds: Box }>(
  item: { bounds: Box },
  zones: readonly Z[],
): Z[] {
  const c = centre(item.bounds)
  // A stable sort: of two zones as big, the first given wins, as it always has in the deck.
  return zones
    .filter((z) => boxContains(z.bounds, c))
    .map((z, i) => ({ z, i }))
    .sort((a, b) => a.z.bounds.w * a.z.bounds.h - b.z.bounds.w * b.z.bounds.h || a.i - b.i)
    .map(({ z }) => z)
}

/** A shape an agenda step focuses on: where it is, and the frames around it (innermost first). */
export interface FocusedShape {
  bounds: Box
  frameIds: string[]
}

/** The frame a step's focus is, or lies in (by its frame ancestors, else by its centre). */
export function stepFrame<F extends { id: string; bounds: Box }>(
  step: BoardStep,
  frames: readonly F[],
  shapes: Readonly<Record<string, FocusedShape>>,
): F | null {
  if (!step.focus) return null
  const direct = frames.find((f) => f.id === step.focus)
  if (direct) return direct
  const shape = shapes[step.focus]
  if (!shape) return null
  const ancestor = frames.find((f) => shape.frameIds.includes(f.id))
  if (ancestor) return ancestor
  if (shape.frameIds.length > 0) return null
  const c = centre(shape.bounds)
  return frames.find((f) => boxContains(f.bounds, c)) ?? null
}
