/**
 * tldraw's geo and frame shapes, with the marks of `export-marks.ts` (zone counts, frozen
 * frames) added to their SVG export (`toSvg`), so an image made by `editor.toImage` shows them
 * as the board does. On screen nothing changes: the board draws those marks as overlays.
 */
import {
  DefaultFontFaces,
  FrameShapeUtil,
  GeoShapeUtil,
  type SvgExportContext,
  type TLFontFace,
  type TLFrameShape,
  type TLGeoShape,
  type TLShape,
} from 'tldraw'
import {
  exportMarks,
  LOCK_BODY,
  LOCK_SHACKLE,
  LOCK_STROKE,
  mayHaveMarks,
  type MarkPart,
} from './export-marks'

export class GeoWithMarksUtil extends GeoShapeUtil {
  override toSvg(shape: TLGeoShape, ctx: SvgExportContext) {
    return withMarks(super.toSvg(shape, ctx), exportMarks(this.editor, shape))
  }
  override getFontFaces(shape: TLGeoShape) {
    return withMarkFont(shape, super.getFontFaces(shape))
  }
}

export class FrameWithMarksUtil extends FrameShapeUtil {
  override toSvg(shape: TLFrameShape, ctx: SvgExportContext) {
    return withMarks(super.toSvg(shape, ctx), exportMarks(this.editor, shape))
  }
  override getFontFaces(shape: TLFrameShape) {
    return withMarkFont(shape, super.getFontFaces(shape))
  }
}

/**
 * The marks' bold face, so tldraw's export embeds it (and the canvas picture loads it): without
 * it the exported SVG would fake the weight from the regular face.
 */
function withMarkFont(shape: TLShape, faces: TLFontFace[]): TLFontFace[] {
  return mayHaveMarks(shape) ? [...faces, DefaultFontFaces.tldraw_sans.normal.bold] : faces
}

function withMarks(body: ReturnType<GeoShapeUtil['toSvg']>, parts: MarkPart[]) {
  if (parts.length === 0) return body
  return (
    <>
      {body}
      <MarksSvg parts={parts} />
    </>
  )
}

/** The parts of `export-marks.ts` as SVG, in the shape's own coordinates. */
export function MarksSvg({ parts }: { parts: MarkPart[] }) {
  if (parts.length === 0) return null
  return <g data-export-marks="">{parts.map((part, i) => markSvg(part, i))}</g>
}

function markSvg(part: MarkPart, key: number) {
  switch (part.kind) {
    case 'rect':
      return (
        <rect
          key={key}
          x={part.x}
          y={part.y}
          width={part.w}
          height={part.h}
          rx={part.radius}
          ry={part.radius}
          fill={part.fill ?? 'none'}
          stroke={part.stroke ?? 'none'}
          strokeWidth={part.strokeWidth}
        />
      )
    case 'text':
      return (
        <text
          key={key}
          x={part.x}
          y={part.y}
          fontSize={part.fontSize}
          fontWeight={part.fontWeight}
          fontFamily={part.fontFamily}
          fill={part.fill}
          textAnchor="middle"
          dominantBaseline="alphabetic"
        >
          {part.text}
        </text>
      )
    case 'lock': {
      const s = part.size / 24
      return (
        <g
          key={key}
          transform={`translate(${part.x}, ${part.y}) scale(${s})`}
          fill="none"
          stroke={part.stroke}
          strokeWidth={LOCK_STROKE}
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          <rect
            x={LOCK_BODY.x}
            y={LOCK_BODY.y}
            width={LOCK_BODY.w}
            height={LOCK_BODY.h}
            rx={LOCK_BODY.r}
            ry={LOCK_BODY.r}
          />
          <path d={LOCK_SHACKLE} />
        </g>
      )
    }
  }
}
