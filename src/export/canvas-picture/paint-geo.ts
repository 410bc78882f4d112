/**
 * tldraw's geo shapes (rectangles, ellipses, clouds...): the body as tldraw's export builds it
 * (its path, fill, dash and hand-drawn wobble, replayed by `src/canvas/svg-paint.ts`), the label, and a
 * zone's count (`paint-marks.ts`). A pattern fill is tldraw's SVG pattern, which canvas does
 * not replay: that shape falls back.
 */
import type { TLGeoShape } from 'tldraw'
import type { Painter } from './paint-context'
import { labelPainter } from './paint-label'
import { paintMarks } from './paint-marks'
import { paintShapeSvg } from './canvas-runtime'

export const paintGeo: Painter<TLGeoShape> = (shape, pc) => {
  if (shape.props.fill === 'pattern') return false
  if (!paintShapeSvg(pc.editor, shape, pc.ctx, pc.dark, labelPainter(pc.editor, shape.props.font)))
    return false
  return paintMarks(pc.editor, shape, pc.ctx)
}
