/**
 * tldraw's line shapes, straight or `spline: cubic`, with every dash style: tldraw's own path
 * (`PathBuilder` through the handles) and dash pattern, replayed by `src/canvas/svg-paint.ts`.
 */
import type { TLLineShape } from 'tldraw'
import type { Painter } from './paint-context'
import { paintShapeSvg } from './canvas-runtime'

export const paintLine: Painter<TLLineShape> = (shape, pc) =>
  paintShapeSvg(pc.editor, shape, pc.ctx, pc.dark)
