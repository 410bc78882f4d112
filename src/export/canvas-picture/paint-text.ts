/**
 * tldraw's text shapes: the rich text at the place, size and alignment tldraw's export gives it
 * (`RichTextSVG` inside its ink margin), laid out by the shared text layout.
 */
import type { TLTextShape } from 'tldraw'
import type { Painter } from './paint-context'
import { labelPainter } from './paint-label'
import { paintShapeSvg } from './canvas-runtime'

export const paintText: Painter<TLTextShape> = (shape, pc) =>
  paintShapeSvg(pc.editor, shape, pc.ctx, pc.dark, labelPainter(pc.editor, shape.props.font))
