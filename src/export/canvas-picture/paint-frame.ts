/**
 * tldraw's frames as its export draws them: the body (fill and 1px outline) and the heading
 * (the rounded tab with the frame's name, laid out by `editor.textMeasure.measureTextSpans`),
 * replayed by `src/canvas/svg-paint.ts`, then a frozen frame's outline and badge (`paint-marks.ts`).
 */
import type { TLFrameShape } from 'tldraw'
import type { Painter } from './paint-context'
import { paintMarks } from './paint-marks'
import { paintShapeSvg } from './canvas-runtime'

export const paintFrame: Painter<TLFrameShape> = (shape, pc) => {
  if (!paintShapeSvg(pc.editor, shape, pc.ctx, pc.dark)) return false
  return paintMarks(pc.editor, shape, pc.ctx)
}
