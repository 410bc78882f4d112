/**
 * Rich-text labels (geo labels, text shapes, arrow labels), painted where tldraw's SVG export
 * puts them (`RichTextSVG`: its box, padding, alignment and font), laid out by the shared text
 * layout so lines break where the board shows them. tldraw's export gives labels a thin
 * outline in the background colour (a text shadow); the canvas picture leaves it out, which is
 * within the pixel test's tolerance.
 */
import type { Editor, TLDefaultFontStyle } from 'tldraw'
import type { LabelPainter, RichTextSvgProps } from '../../canvas/svg-paint'
import { layoutText, paintText, type TextAlign } from './text-layout'

const ALIGNS: Record<string, TextAlign> = {
  start: 'start',
  center: 'middle',
  middle: 'middle',
  end: 'end',
  'start-legacy': 'start-legacy',
  'middle-legacy': 'middle-legacy',
  'end-legacy': 'end-legacy',
}

/** A label painter for a shape whose labels are in `font`. */
export function labelPainter(editor: Editor, font: TLDefaultFontStyle): LabelPainter {
  return (ctx, props: RichTextSvgProps) => {
    const align = ALIGNS[String(props.textAlign)]
    if (!align || !props.richText) return false
    const { bounds } = props
    const layout = layoutText(editor, {
      richText: props.richText,
      font,
      fontSize: props.fontSize,
      lineHeight: props.lineHeight,
      width: bounds.w,
      height: bounds.h,
      align,
      verticalAlign: props.verticalAlign,
      padding: props.padding,
    })
    paintText(ctx, layout, { color: props.labelColor, x: bounds.minX, y: bounds.minY })
    return true
  }
}
