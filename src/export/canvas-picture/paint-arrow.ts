/**
 * tldraw's arrows, straight and curved: the body (cut around its label), the arrowheads and
 * their fills as tldraw's export draws them from `getArrowInfo`, replayed by `src/canvas/svg-paint.ts`;
 * the label through the shared text layout. Pattern-filled heads fall back (canvas does not
 * replay tldraw's SVG pattern).
 */
import type { TLArrowShape } from 'tldraw'
import type { Painter } from './paint-context'
import { labelPainter } from './paint-label'
import { paintShapeSvg } from './canvas-runtime'

export const paintArrow: Painter<TLArrowShape> = (shape, pc) => {
  if (shape.props.fill === 'pattern') return false
  return paintShapeSvg(pc.editor, shape, pc.ctx, pc.dark, labelPainter(pc.editor, shape.props.font))
}
