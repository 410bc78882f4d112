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
