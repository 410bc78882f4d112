/**
 * Rectangles and sizes on the board, shared by everything that measures it: template
 * rendering, zone counts, the slide deck. tldraw's own `Box` class stays inside `src/canvas`;
 * this plain shape is what crosses between modules (tldraw calls the same shape `BoxModel`).
 */

/** A rectangle: page units on the board, inches on a slide. */
export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** tldraw's sticky note is 200 × 200 at scale 1. */
export const NOTE_SIZE = 200

export function boxContains(box: Box, point: { x: number; y: number }): boolean {
  return (
    point.x >= box.x && point.x <= box.x + box.w && point.y >= box.y && point.y <= box.y + box.h
  )
}

const centre = (b: Box) => ({ x: b.x + b.w / 2, y: b.y + b.h / 2 })

/**
 * Rows top to bottom, then left to right. Items whose vertical centres are within half a
 * height (the larger of the two) of a row's first item are in that row.
 */
export function readingOrder<T>(items: readonly T[], boxOf: (item: T) => Box): T[] {
  const byY = [...items].sort((a, b) => centre(boxOf(a)).y - centre(boxOf(b)).y)
  const rows: T[][] = []
  for (const item of byY) {
    const row = rows[rows.length - 1]
    const anchor = row && boxOf(row[0])
    const box = boxOf(item)
    if (anchor && Math.abs(centre(box).y - centre(anchor).y) <= Math.max(anchor.h, box.h) / 2) {
      row.push(item)
    } else {
      rows.push([item])
    }
  }
  return rows.flatMap((row) =>
    row.sort((a, b) => {
      const dx = centre(boxOf(a)).x - centre(boxOf(b)).x
      return dx !== 0 ? dx : centre(boxOf(a)).y - centre(boxOf(b)).y
    }),
  )
}
