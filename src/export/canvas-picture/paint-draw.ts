/**
 * tldraw's freehand strokes (draw and highlighter): the ink outline tldraw's export builds from
 * the stroke points (perfect-freehand), replayed by `src/canvas/svg-paint.ts`. Pattern fills fall back.
 */
import type { TLDrawShape, TLHighlightShape } from 'tldraw'
import type { Painter } from './paint-context'
import { paintShapeSvg } from './canvas-runtime'

export const paintDraw: Painter<TLDrawShape | TLHighlightShape> = (shape, pc) => {
  if ('fill' in shape.props && shape.props.fill === 'pattern') return false
  return paintShapeSvg(pc.editor, shape, pc.ctx, pc.dark)
}
