/**
 * Where a shape is drawn, in its own coordinates, read from its record alone: the points whose
 * box bounds it (a box's corners, a line's vertices, a pen stroke's points). The frozen-frame
 * rule (`frozen.ts`) asks whether that box overlaps a frozen frame, on the server and in the
 * editor alike, so it cannot use tldraw's geometry (which needs an editor and fonts).
 *
 * A record a client sent is read before tldraw's schema has checked it, so every field is
 * read defensively: a value that is not a finite number counts as 0, and a stroke whose path
 * does not decode is taken at its origin. Nothing here throws.
 */
import { b64Vecs, type TLShape } from '@tldraw/tlschema'
import { NOTE_SIZE } from './geometry'

export interface Point {
  x: number
  y: number
}

/** tldraw's text sizes in page units (its font sizes × 16 px) and its line height. */
const TEXT_SIZES: Record<string, number> = { s: 18, m: 24, l: 36, xl: 44 }
const LINE_HEIGHT = 1.35
/** An average glyph's width in ems, to guess where a fixed-width text wraps. */
const GLYPH_EMS = 0.6
/** How deep the line count looks into rich text (deeper text is counted as one line). */
const MAX_TEXT_DEPTH = 8

/**
 * The points bounding the shape in its own coordinates. A group has none of its own (it is
 * drawn by its children, which are judged themselves); an unknown type is its origin.
 */
export function localOutline(shape: TLShape): Point[] {
  const props = (shape.props ?? {}) as Record<string, unknown>
  const scale = positive(props.scale, 1)
  switch (shape.type) {
    case 'group':
      return []
    case 'note':
      return box(NOTE_SIZE * scale, (NOTE_SIZE + num(props.growY)) * scale)
    case 'geo':
      return box(num(props.w), num(props.h) + num(props.growY))
    case 'text':
      return box(num(props.w) * scale, textHeight(props) * scale)
    case 'draw':
    case 'highlight':
      return strokePoints(props.segments, num(props.scaleX, 1), num(props.scaleY, 1))
    case 'line':
      return linePoints(props.points)
    case 'arrow':
      return arrowPoints(props)
    default:
      if (props.w !== undefined || props.h !== undefined) return box(num(props.w), num(props.h))
      return [{ x: 0, y: 0 }]
  }
}

function box(w: number, h: number): Point[] {
  return [
    { x: 0, y: 0 },
    { x: w, y: 0 },
    { x: 0, y: h },
    { x: w, y: h },
  ]
}

/**
 * A text's height, guessed (the server cannot lay text out): one line per paragraph, and a
 * fixed-width text's long paragraphs wrapped at an average glyph width.
 */
function textHeight(props: Record<string, unknown>): number {
  const size = TEXT_SIZES[String(props.size)] ?? TEXT_SIZES.m
  const width = positive(props.w, 1)
  const wraps = props.autoSize === false
  const doc = props.richText as { content?: unknown } | undefined
  const blocks = Array.isArray(doc?.content) ? doc.content : [doc]
  let lines = 0
  for (const block of blocks) {
    const chars = textLength(block, 0)
    lines += wraps ? Math.max(1, Math.ceil((chars * GLYPH_EMS * size) / width)) : 1
  }
  return Math.max(1, lines) * size * LINE_HEIGHT
}

/** The characters of text in a rich text node and its children, looked at so deep. */
function textLength(node: unknown, depth: number): number {
  if (!node || typeof node !== 'object' || depth > MAX_TEXT_DEPTH) return 0
  const { text, content } = node as { text?: unknown; content?: unknown }
  let length = typeof text === 'string' ? text.length : 0
  if (Array.isArray(content)) for (const child of content) length += textLength(child, depth + 1)
  return length
}

/** A pen stroke's points, scaled as tldraw draws them (`scaleX`, `scaleY`). */
function strokePoints(segments: unknown, scaleX: number, scaleY: number): Point[] {
  const points: Point[] = []
  if (!Array.isArray(segments)) return [{ x: 0, y: 0 }]
  for (const segment of segments) {
    const { path, dim } = (segment ?? {}) as { path?: unknown; dim?: unknown }
    if (typeof path !== 'string') continue
    try {
      for (const p of b64Vecs.decodePoints(path, dim === 3 ? 3 : dim === 2 ? 2 : undefined)) {
        points.push({ x: num(p.x) * scaleX, y: num(p.y) * scaleY })
      }
    } catch {
      // A path that does not decode: the stroke counts at its origin (below).
    }
  }
  return points.length > 0 ? points : [{ x: 0, y: 0 }]
}

function linePoints(points: unknown): Point[] {
  const out: Point[] = []
  if (points && typeof points === 'object') {
    for (const p of Object.values(points as Record<string, unknown>)) out.push(point(p))
  }
  return out.length > 0 ? out : [{ x: 0, y: 0 }]
}

/** An arrow's ends, and the point its bend pulls the middle to. */
function arrowPoints(props: Record<string, unknown>): Point[] {
  const start = point(props.start)
  const end = point(props.end)
  const dx = end.x - start.x
  const dy = end.y - start.y
  const length = Math.hypot(dx, dy) || 1
  const bend = num(props.bend)
  const middle = {
    x: (start.x + end.x) / 2 - (dy / length) * bend,
    y: (start.y + end.y) / 2 + (dx / length) * bend,
  }
  return [start, end, middle]
}

function point(value: unknown): Point {
  const { x, y } = (value ?? {}) as { x?: unknown; y?: unknown }
  return { x: num(x), y: num(y) }
}

function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

function positive(value: unknown, fallback: number): number {
  const n = num(value, fallback)
  return n > 0 ? n : fallback
}
