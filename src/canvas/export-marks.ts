/**
 * What an exported image shows over zones and frozen frames, the way the board shows it on
 * screen (`ZoneCounts.tsx`, `FrozenFrames.tsx` and their CSS): the zone's count pill ("3 / 2",
 * red past its capacity, with the red outline and tint), and a frozen frame's outline and
 * "Frozen" badge over its top-right corner, and the lock on each sticky a frozen frame holds.
 * Worked out once here, in the shape's own
 * coordinates, as a few plain parts; both export paths draw these same parts (tldraw's SVG
 * export through the shape util overrides in `export-marks-svg.tsx`, the canvas picture through
 * `paint-marks.ts`), so the two pictures cannot disagree on a count or a position.
 *
 * The frozen badge is drawn at its size on screen at 100 % zoom (on screen it keeps its size at
 * any zoom); the board's soft shadows are left out of exports.
 *
 * A sticky's own badges (an action or decision, a stack's count) are parts too, and the board
 * draws those very parts on screen as well (`note-badges.tsx`), so screen, SVG export and the
 * canvas picture all show the same pill in the same place.
 */
import type { Editor, TLShape } from 'tldraw'
import { zoneCountLabel } from '../board/zones'
import { NOTE_SIZE } from '../board/geometry'
import { isBackground, isFrozen, readShapeMeta } from '../board/shape-meta'
import { frozenFrameOf, frozenFrames } from './freeze'
import { currentZoneCounts } from './ZoneCounts'
import { noteOutcomeOf, type NoteOutcome } from './note-outcomes'

export type MarkPart =
  | {
      kind: 'rect'
      x: number
      y: number
      w: number
      h: number
      radius: number
      fill: string | null
      stroke: string | null
      strokeWidth: number
    }
  | {
      kind: 'text'
      /** The middle of the text's line, and its alphabetic baseline (both paths draw on it). */
      x: number
      y: number
      text: string
      fontSize: number
      fontWeight: number
      fontFamily: string
      fill: string
    }
  | {
      /** Lucide's lock, in a `size`-wide square at x, y, stroked in `stroke`. */
      kind: 'lock'
      x: number
      y: number
      size: number
      stroke: string
    }

export const MARK_FONT = "'tldraw_sans', system-ui, sans-serif"
const DANGER = '#e03131'
const FROZEN_BLUE = '#1d4ed8'

/** Whether `shape` is a zone or a frozen frame, without counting anything. */
export function mayHaveMarks(shape: TLShape): boolean {
  if (shape.type === 'frame') return isFrozen(shape)
  return shape.type === 'geo' && readShapeMeta(shape).zone !== undefined
}

/** The marks an export draws on `shape` (a zone or a frozen frame); none for other shapes. */
export function exportMarks(editor: Editor, shape: TLShape): MarkPart[] {
  if (shape.type === 'frame' && isFrozen(shape)) return frozenFrameMarks(shape)
  if (shape.type === 'geo') return zoneMarks(editor, shape)
  if (shape.type === 'note') {
    return [...frozenNoteMarks(editor, shape), ...noteBadgeParts(noteOutcomeOf(editor, shape.id))]
  }
  return []
}

const ACTION_GREEN = '#2b8a3e'
const DECISION_VIOLET = '#6741d9'
const STACK_INK = '#1d1d1f'
/** The badges' row: top left, clear of the vote result disc top right (44 px + margins). */
const BADGE = { x: 8, y: 8, h: 24, gap: 4, pad: 9, fontSize: 13, weight: 600, maxRow: 134 }
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** "2026-12-24" as "24 Dec": short, and the same in every locale and both export paths. */
export function shortDate(due: string): string {
  const [, month, day] = due.split('-').map(Number)
  return `${day} ${MONTHS[month - 1] ?? ''}`.trim()
}

/** "Priya Sharma" as "PS": at most three letters. */
export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 3)
    .map((word) => [...word][0]!.toUpperCase())
    .join('')
}

/**
 * The pills a sticky's outcome and stack show, top left: "Action · Ana · 24 Dec" (without the
 * word, then with the owner's initials, when the row would not fit), "Decision", "×5". The
 * green pill says "action" by itself; the Outcomes panel has the whole name.
 */
export function noteBadgeParts(of: NoteOutcome | null): MarkPart[] {
  if (!of) return []
  const pills: { text: string; fill: string }[] = []
  const stack = of.stack >= 2 ? `×${of.stack}` : null
  const stackW = stack ? pillWidth(stack) + BADGE.gap : 0
  if (of.outcome?.kind === 'decision') pills.push({ text: 'Decision', fill: DECISION_VIOLET })
  else if (of.outcome?.kind === 'action') {
    const { owner, due } = of.outcome
    const date = due ? shortDate(due) : null
    const tries = [
      ['Action', owner, date],
      [owner, date],
      ['Action', owner && initials(owner), date],
      [owner && initials(owner), date],
    ].map((parts) => parts.filter(Boolean).join(' · '))
    const text =
      tries.find((t) => t && pillWidth(t) + stackW <= BADGE.maxRow) ?? tries.at(-1) ?? 'Action'
    pills.push({ text: text || 'Action', fill: ACTION_GREEN })
  }
  if (stack) pills.push({ text: stack, fill: STACK_INK })
  const parts: MarkPart[] = []
  let x = BADGE.x
  for (const pill of pills) {
    const w = pillWidth(pill.text)
    parts.push(rect(x, BADGE.y, w, BADGE.h, BADGE.h / 2, pill.fill, null, 0))
    parts.push({
      kind: 'text',
      x: x + w / 2,
      y: baseline(BADGE.y + BADGE.h / 2, BADGE.weight, BADGE.fontSize),
      text: pill.text,
      fontSize: BADGE.fontSize,
      fontWeight: BADGE.weight,
      fontFamily: MARK_FONT,
      fill: '#ffffff',
    })
    x += w + BADGE.gap
  }
  return parts
}

function pillWidth(text: string): number {
  return Math.ceil(textWidth(text, BADGE.weight, BADGE.fontSize)) + BADGE.pad * 2
}

/**
 * A sticky held by a frozen frame: the lock in a blue disc, bottom left, as on screen
 * (`.sb-frozen-note`: 34 px at 8 px from the corner of the note's first 200 × 200).
 * Template prompts get none, as on screen.
 */
function frozenNoteMarks(editor: Editor, shape: TLShape): MarkPart[] {
  if (isBackground(shape)) return []
  const frozen = frozenIdsOf(editor)()
  if (frozen.length === 0 || frozenFrameOf(editor, shape, frozen) === null) return []
  const disc = 34
  const y = NOTE_SIZE - 8 - disc
  return [
    rect(8, y, disc, disc, disc / 2, 'rgba(29, 78, 216, 0.85)', null, 0),
    { kind: 'lock', x: 8 + 7, y: y + 7, size: disc - 14, stroke: '#ffffff' },
  ]
}

function zoneMarks(editor: Editor, shape: TLShape): MarkPart[] {
  if (!readShapeMeta(shape).zone) return []
  const zone = currentZoneCounts(editor).find((z) => z.id === shape.id)
  const bounds = editor.getShapeGeometry(shape).bounds
  if (!zone) return []
  const { w, h } = bounds
  const parts: MarkPart[] = []
  if (zone.over) {
    // `outline: 6px; outline-offset: 2px` around a 4px-rounded box, with a 10 % red tint.
    parts.push(rect(0, 0, w, h, 4, 'rgba(224, 49, 49, 0.1)', null, 0))
    parts.push(rect(-5, -5, w + 10, h + 10, 9, null, DANGER, 6))
  }
  const text = `${zone.over ? '⚠ ' : ''}${zoneCountLabel(zone)}`
  const fontSize = 22
  const lineHeight = fontSize * 1.3
  const pillW = textWidth(text, 600, fontSize) + 28
  const pillH = lineHeight + 8
  const x = w - 16 - pillW
  const y = h - 16 - pillH
  const background = zone.over ? DANGER : 'rgba(255, 255, 255, 0.85)'
  parts.push(rect(x, y, pillW, pillH, pillH / 2, background, null, 0))
  parts.push({
    kind: 'text',
    x: x + pillW / 2,
    y: baseline(y + pillH / 2, 600, fontSize),
    text,
    fontSize,
    fontWeight: 600,
    fontFamily: MARK_FONT,
    fill: zone.over ? '#ffffff' : '#1d1d1d',
  })
  return parts
}

function frozenFrameMarks(shape: TLShape): MarkPart[] {
  const { w, h } = shape.props as { w: number; h: number }
  const fontSize = 13
  const label = 'Frozen'
  const icon = 14
  const badgeW = 8 + icon + 5 + textWidth(label, 600, fontSize) + 10
  const badgeH = 18 + 6
  const x = w - badgeW
  const y = -6 - badgeH
  return [
    // `outline: 3px` just outside the frame.
    rect(-1.5, -1.5, w + 3, h + 3, 0, null, 'rgba(29, 78, 216, 0.55)', 3),
    rect(x, y, badgeW, badgeH, badgeH / 2, FROZEN_BLUE, null, 0),
    { kind: 'lock', x: x + 8, y: y + (badgeH - icon) / 2, size: icon, stroke: '#ffffff' },
    {
      kind: 'text',
      x: x + 8 + icon + 5 + textWidth(label, 600, fontSize) / 2,
      y: baseline(y + badgeH / 2, 600, fontSize),
      text: label,
      fontSize,
      fontWeight: 600,
      fontFamily: MARK_FONT,
      fill: '#ffffff',
    },
  ]
}

/** One incremental query of the frozen frames per editor, not one per sticky exported. */
const frozenQueries = new WeakMap<Editor, () => string[]>()
function frozenIdsOf(editor: Editor): () => string[] {
  let query = frozenQueries.get(editor)
  if (!query) {
    query = frozenFrames(editor)
    frozenQueries.set(editor, query)
  }
  return query
}

function rect(
  x: number,
  y: number,
  w: number,
  h: number,
  radius: number,
  fill: string | null,
  stroke: string | null,
  strokeWidth: number,
): MarkPart {
  return { kind: 'rect', x, y, w, h, radius, fill, stroke, strokeWidth }
}

let measurer: CanvasRenderingContext2D | null = null

function measure(text: string, weight: number, size: number): TextMetrics | null {
  measurer ??= document.createElement('canvas').getContext('2d')
  if (!measurer) return null
  measurer.font = `${weight} ${size}px ${MARK_FONT}`
  return measurer.measureText(text)
}

/** The text's width in the page's font, as both export paths will draw it. */
function textWidth(text: string, weight: number, size: number): number {
  return measure(text, weight, size)?.width ?? text.length * size * 0.6
}

/**
 * The alphabetic baseline that centres a line of this font on `middle`, as CSS centres a line
 * in its box: the same number for the SVG and the canvas, so neither has its own idea of a
 * "central" baseline.
 */
function baseline(middle: number, weight: number, size: number): number {
  const m = measure('Hg', weight, size)
  if (!m) return middle + size * 0.35
  return middle + (m.fontBoundingBoxAscent - m.fontBoundingBoxDescent) / 2
}

/** Lucide's "lock" (ISC licence) in its 24-unit box: the body and the shackle. */
export const LOCK_BODY = { x: 3, y: 11, w: 18, h: 11, r: 2 }
export const LOCK_SHACKLE = 'M7 11V7a5 5 0 0 1 10 0v4'
export const LOCK_STROKE = 2.25
