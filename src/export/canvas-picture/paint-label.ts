/**
 * Rich-text labels (geo labels, text shapes, arrow labels), painted where tldraw's SVG export
 * puts them (`RichTextSVG`: a box, padding, alignment, font), with the shared text layout so
 * lines break where the board shows them.
 */
import type { LabelPainter } from '../../canvas/svg-paint'

/** Until the shared text layout lands, labels go to `toImage` with their shape. */
export const paintLabel: LabelPainter = () => false
