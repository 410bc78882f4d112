/**
 * The canvas picture's zone counts and frozen-frame marks: the parts `export-marks.ts` works
 * out for a shape (the same ones tldraw's SVG export draws through `export-marks-svg.tsx`),
 * drawn in the shape's own coordinates.
 */
import type { Editor, TLShape } from 'tldraw'
import {
  exportMarks,
  LOCK_BODY,
  LOCK_SHACKLE,
  LOCK_STROKE,
  type MarkPart,
} from '../../canvas/export-marks'

/** Draws the marks of `shape`, if it has any. */
export function paintMarks(editor: Editor, shape: TLShape, ctx: CanvasRenderingContext2D) {
  const parts = exportMarks(editor, shape)
  if (parts.length === 0) return
  ctx.save()
  ctx.setLineDash([])
  ctx.globalAlpha = 1
  for (const part of parts) paintPart(ctx, part)
  ctx.restore()
}

function paintPart(ctx: CanvasRenderingContext2D, part: MarkPart) {
  switch (part.kind) {
    case 'rect': {
      const path = new Path2D()
      path.roundRect(part.x, part.y, part.w, part.h, part.radius)
      if (part.fill) {
        ctx.fillStyle = part.fill
        ctx.fill(path)
      }
      if (part.stroke && part.strokeWidth > 0) {
        ctx.strokeStyle = part.stroke
        ctx.lineWidth = part.strokeWidth
        ctx.stroke(path)
      }
      return
    }
    case 'text':
      ctx.font = `${part.fontWeight} ${part.fontSize}px ${part.fontFamily}`
      ctx.textAlign = 'center'
      ctx.textBaseline = 'alphabetic'
      ctx.fillStyle = part.fill
      ctx.fillText(part.text, part.x, part.y)
      return
    case 'lock': {
      ctx.save()
      ctx.translate(part.x, part.y)
      ctx.scale(part.size / 24, part.size / 24)
      ctx.strokeStyle = part.stroke
      ctx.lineWidth = LOCK_STROKE
      ctx.lineCap = 'round'
      ctx.lineJoin = 'round'
      const body = new Path2D()
      body.roundRect(LOCK_BODY.x, LOCK_BODY.y, LOCK_BODY.w, LOCK_BODY.h, LOCK_BODY.r)
      ctx.stroke(body)
      ctx.stroke(new Path2D(LOCK_SHACKLE))
      ctx.restore()
      return
    }
  }
}
