/**
 * The canvas picture's zone counts and frozen-frame marks: the parts `export-marks.ts` works
 * out for a shape (the same ones tldraw's SVG export draws through `export-marks-svg.tsx`),
 * drawn in the shape's own coordinates.
 */
import type { Editor, TLShape } from 'tldraw'
import type { MarkPart } from '../../canvas/export-marks'
import { exportMarks, lockIcon } from './canvas-runtime'

/** Draws the marks of `shape`, if it has any; false when they could not be worked out. */
export function paintMarks(editor: Editor, shape: TLShape, ctx: CanvasRenderingContext2D): boolean {
  const parts = exportMarks(editor, shape)
  if (parts === null) return false
  if (parts.length === 0) return true
  ctx.save()
  ctx.setLineDash([])
  ctx.globalAlpha = 1
  for (const part of parts) paintPart(ctx, part)
  ctx.restore()
  return true
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
      const lock = lockIcon()
      if (!lock) return
      ctx.save()
      ctx.translate(part.x, part.y)
      ctx.scale(part.size / 24, part.size / 24)
      ctx.strokeStyle = part.stroke
      ctx.lineWidth = lock.stroke
      ctx.lineCap = 'round'
      ctx.lineJoin = 'round'
      const body = new Path2D()
      body.roundRect(lock.body.x, lock.body.y, lock.body.w, lock.body.h, lock.body.r)
      ctx.stroke(body)
      ctx.stroke(new Path2D(lock.shackle))
      ctx.restore()
      return
    }
  }
}
