/**
 * The one layout both slide writers follow: the slide size, the type scale, the colours and
 * where everything goes, in inches on a 13.333 × 7.5 in (16:9) slide. The PPTX writer places
 * native text boxes at these boxes; the DOM view (for the PDF) scales them to 1920 × 1080 px.
 *
 * Text wrapping is estimated with Arial's (= Helvetica's) advance widths, the font the PPTX
 * names, so the summary lists can be paginated without a browser. Pure, no DOM.
 */
import type { Box } from '../board/geometry'

export const SLIDE = { w: 13.333, h: 7.5 } as const
/** The DOM view renders a slide at this size; 1 in = 144 px, 1 pt = 2 px. */
export const SLIDE_PX = { w: 1920, h: 1080 } as const
export const PX_PER_IN = SLIDE_PX.w / SLIDE.w

export type { Box }

/** The app's palette (src/app/theme.css), as hex without the leading '#'. */
export const COLORS = {
  ink: '1C1F24',
  inkSoft: '4B5260',
  inkFaint: '7A8190',
  line: 'E3E6EC',
  surface: 'FFFFFF',
  surfaceSoft: 'F6F7F9',
  accent: '2F5BEA',
  accentSoft: 'E8EEFD',
} as const

/** The PPTX names one font; the DOM slides use the app's own font stack. */
export const PPTX_FONT = 'Arial'
export const DOM_FONT =
  "ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

export interface TextStyle {
  /** Font size in points. */
  size: number
  /** Line height in points (set exactly in both writers). */
  lineHeight: number
  bold: boolean
  /** Hex without '#'. */
  color: string
  align: 'left' | 'right' | 'center'
  /** Upper case with letter spacing (in points): the small labels above titles. */
  caps?: boolean
  letterSpacing?: number
}

const style = (
  size: number,
  lineHeight: number,
  color: string,
  extra: Partial<TextStyle> = {},
): TextStyle => ({ size, lineHeight, color, bold: false, align: 'left', ...extra })

/** The type scale. */
export const TYPE = {
  display: style(44, 52, COLORS.ink, { bold: true }),
  subtitle: style(20, 28, COLORS.inkSoft),
  kicker: style(11, 14, COLORS.accent, { bold: true, caps: true, letterSpacing: 1.5 }),
  title: style(28, 34, COLORS.ink, { bold: true }),
  heading: style(15, 20, COLORS.ink, { bold: true }),
  description: style(11, 14, COLORS.inkFaint),
  item: style(14, 19, COLORS.ink),
  footer: style(10, 12, COLORS.inkFaint),
  brand: style(12, 16, COLORS.inkSoft, { bold: true }),
  empty: style(16, 22, COLORS.inkFaint, { align: 'center' }),
} as const

const MARGIN_X = 0.7
const CONTENT_W = SLIDE.w - 2 * MARGIN_X

/** Boxes shared by every content slide (frame and summary slides). */
export const CHROME = {
  kicker: { x: MARGIN_X, y: 0.45, w: CONTENT_W, h: 0.2 },
  title: { x: MARGIN_X, y: 0.7, w: CONTENT_W, h: 0.66 },
  body: { x: MARGIN_X, y: 1.6, w: CONTENT_W, h: 5.2 },
  footerLeft: { x: MARGIN_X, y: 7.05, w: CONTENT_W - 1.5, h: 0.17 },
  footerRight: { x: SLIDE.w - MARGIN_X - 1.4, y: 7.05, w: 1.4, h: 0.17 },
} as const satisfies Record<string, Box>

/** The title slide. */
export const COVER = {
  x: 1.0,
  w: 6.9,
  rule: { w: 0.8, h: 0.07 },
  /** The title block (rule, title, date, participants) is centred on this line. */
  centreY: 3.55,
  logo: { x: 1.0, y: 6.55, w: 0.34, h: 0.34 },
  brand: { x: 1.48, y: 6.63, w: 4, h: 0.2 },
  /** Decorative stickies on the right: centre, size and tilt. */
  stickies: [
    { x: 9.35, y: 1.55, size: 1.9, rotate: -4, color: 'FED49A' },
    { x: 10.95, y: 2.95, size: 1.9, rotate: 3, color: '9BC4FD' },
    { x: 9.15, y: 3.9, size: 1.9, rotate: 2, color: '98D08A' },
    { x: 10.75, y: 5.15, size: 1.5, rotate: -3, color: 'F7A5A1' },
  ],
} as const

/** The sticky lists on summary slides: three columns in the body. */
export const LIST = {
  columns: 3,
  columnGap: 0.4,
  swatch: 0.17,
  /** From the swatch's left edge to the item text. */
  textInset: 0.3,
  /** Space above an item, above a group (unless it starts a column), below a heading. */
  itemGap: 0.11,
  groupGap: 0.3,
  headingGap: 0.1,
  /** Room between a heading's colour bar and its text. */
  headingBar: 0.06,
  headingInset: 0.16,
} as const

/**
 * A vote slide's ranked rows, left to right: the rank, the sticky's colour, its text (two lines
 * at most), a bar as long as its share of the most votes, and the count.
 */
export const VOTE = {
  rank: { x: CHROME.body.x, w: 0.45 },
  swatch: { x: CHROME.body.x + 0.5, size: 0.2 },
  text: { x: CHROME.body.x + 0.85, w: 6.55 },
  bar: { x: CHROME.body.x + 7.65, w: 3.0, h: 0.2 },
  count: { x: CHROME.body.x + 10.73, w: CHROME.body.w - 10.73 },
  /** Lines of a sticky's text; longer ones end in an ellipsis. */
  maxLines: 2,
  rowGap: 0.16,
  /** Rows on the slide at most; the rest are counted in a line under them (all in the notes). */
  maxRows: 10,
} as const

/**
 * The "Decisions" and "Actions" slides: numbered rows, each with a hairline under it. A
 * decision has a green check square and where it sits below its text; an action has its owner
 * and due date in columns of their own, under a header row.
 */
export const OUTCOME = {
  number: { x: CHROME.body.x, w: 0.45 },
  check: { x: CHROME.body.x, size: 0.26 },
  /** A decision's text and where it sits. */
  decision: { x: CHROME.body.x + 0.5, w: CHROME.body.w - 0.5 },
  action: { x: CHROME.body.x + 0.5, w: 7.1 },
  owner: { x: CHROME.body.x + 7.9, w: 2.5 },
  due: { x: CHROME.body.x + 10.6, w: CHROME.body.w - 10.6 },
  header: { h: 0.24 },
  /** Above and below a row's hairline. */
  rowPad: 0.13,
  /** Lines of a row's text; longer ones end in an ellipsis (the notes hold it whole). */
  maxLines: 3,
  ownerLines: 2,
  /** The check square's green, and the muted "No owner". */
  good: '0E7A55',
} as const

export const LIST_COLUMN_W = (CHROME.body.w - (LIST.columns - 1) * LIST.columnGap) / LIST.columns

export function listColumnBox(index: number): Box {
  return {
    x: CHROME.body.x + index * (LIST_COLUMN_W + LIST.columnGap),
    y: CHROME.body.y,
    w: LIST_COLUMN_W,
    h: CHROME.body.h,
  }
}

export const pt = (points: number) => points / 72

/** A box of `w` × `h` (any unit) fitted inside `box`, aspect kept, centred ("contain"). */
export function fitContain(box: Box, w: number, h: number): Box {
  if (!(w > 0) || !(h > 0)) return box
  const scale = Math.min(box.w / w, box.h / h)
  const fw = w * scale
  const fh = h * scale
  return { x: box.x + (box.w - fw) / 2, y: box.y + (box.h - fh) / 2, w: fw, h: fh }
}

// Arial / Helvetica advance widths for ' ' to '~', in thousandths of an em.
// prettier-ignore
const REGULAR = [280,280,350,550,550,890,660,190,330,330,390,580,280,330,280,280,550,550,550,550,550,550,550,550,550,550,280,280,580,580,580,550,1010,660,660,720,720,660,610,780,720,280,500,660,550,830,720,780,660,780,720,660,610,720,660,940,660,660,610,280,280,280,470,550,330,550,550,500,550,550,280,550,550,220,220,500,220,830,550,550,550,550,330,500,280,550,500,720,500,500,500,330,260,330,580]
// prettier-ignore
const BOLD = [280,330,470,550,550,890,720,240,330,330,390,580,280,330,280,280,550,550,550,550,550,550,550,550,550,550,330,330,580,580,580,610,970,720,720,720,720,660,610,780,720,280,550,720,610,830,720,780,660,780,720,660,610,720,660,940,660,660,610,330,280,330,580,550,330,550,610,550,610,550,330,610,610,280,280,550,280,890,610,610,610,610,390,550,330,610,550,780,550,550,500,390,280,390,580]
const PUNCTUATION: Record<string, number> = {
  '‘': 220,
  '’': 220,
  '“': 330,
  '”': 330,
  '…': 1000,
  '–': 550,
  '—': 1000,
  '•': 350,
  '·': 280,
  '€': 550,
}
/** A little more than the measured widths: wrap a line early rather than late. */
const SAFETY = 1.04

export type FontSpec = Pick<TextStyle, 'size' | 'bold' | 'letterSpacing'>
/** The width of a text in inches, set in a style: the metrics of the font a writer uses. */
export type Measure = (text: string, font: FontSpec) => number

function charWidth(ch: string, bold: boolean): number {
  const code = ch.codePointAt(0)!
  if (code >= 32 && code < 127) return (bold ? BOLD : REGULAR)[code - 32]
  if (PUNCTUATION[ch] !== undefined) return PUNCTUATION[ch]
  // Accented Latin letters are as wide as their base letter.
  const base = ch.normalize('NFD')[0]
  if (base !== ch && base.codePointAt(0)! < 127) return charWidth(base, bold)
  // CJK, emoji and other wide scripts: a full em; everything else, a generous average.
  if (code >= 0x1100) return 1000
  return 650
}

/** Arial's metrics: the font the PPTX names, and the default. */
export const arialMeasure: Measure = (text, font) => {
  let em = 0
  for (const ch of text) em += charWidth(ch, font.bold)
  return (em / 1000) * pt(font.size) + letterSpacing(text, font)
}

/** Extra width from letter spacing, in inches. */
export const letterSpacing = (text: string, font: FontSpec) =>
  font.letterSpacing ? pt(font.letterSpacing) * [...text].length : 0

/** The width of `text` in inches, set in `font`, with a little to spare. */
export function textWidth(text: string, font: FontSpec, measure: Measure = arialMeasure) {
  return measure(text, font) * SAFETY
}

/**
 * Greedy word wrap, as text boxes do it: each paragraph (line break) starts a line, words go
 * on the line while they fit, and a word wider than the line is broken where it must be.
 */
export function wrapText(
  text: string,
  width: number,
  style: TextStyle,
  measure: Measure = arialMeasure,
): string[] {
  const fits = (t: string) => textWidth(t, style, measure) <= width
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word
      if (fits(candidate)) {
        line = candidate
        continue
      }
      if (line) lines.push(line)
      // A word too long for a line on its own (a URL…) is cut into pieces that fit.
      let rest = word
      while (!fits(rest)) {
        const chars = [...rest]
        let cut = 1
        while (cut < chars.length && fits(chars.slice(0, cut + 1).join(''))) cut++
        lines.push(chars.slice(0, cut).join(''))
        rest = chars.slice(cut).join('')
      }
      line = rest
    }
    lines.push(line)
  }
  return lines
}

export interface FittedText {
  style: TextStyle
  lines: string[]
  /** The text did not fit: the last line was cut and ends in an ellipsis. */
  truncated: boolean
}

/**
 * The largest of `sizes` at which `text` takes at most `maxLines` lines of `width`; at the
 * smallest size, lines past `maxLines` are cut and the last one ends in an ellipsis.
 */
export function fitText(
  text: string,
  width: number,
  base: TextStyle,
  sizes: readonly number[],
  maxLines: number,
  measure: Measure = arialMeasure,
): FittedText {
  for (const size of sizes) {
    const scaled = { ...base, size, lineHeight: (base.lineHeight * size) / base.size }
    const lines = wrapText(text, width, scaled, measure)
    if (lines.length <= maxLines) return { style: scaled, lines, truncated: false }
  }
  const size = sizes[sizes.length - 1]
  const scaled = { ...base, size, lineHeight: (base.lineHeight * size) / base.size }
  const lines = wrapText(text, width, scaled, measure).slice(0, maxLines)
  let last = lines[maxLines - 1]
  while (last.length > 1 && textWidth(`${last}…`, scaled, measure) > width) {
    last = last.slice(0, -1)
  }
  lines[maxLines - 1] = `${last.trimEnd()}…`
  return { style: scaled, lines, truncated: true }
}

/** The height in inches of `lines` lines set in `style`. */
export const linesHeight = (lines: number, style: TextStyle) => pt(lines * style.lineHeight)

/** The logo mark (src/app/Logo.svelte): a rounded square and a rising line, in 32 × 32 units. */
export const LOGO = {
  radius: 8 / 32,
  stroke: 3 / 32,
  points: [
    [8, 23],
    [14, 16],
    [18, 20],
    [24, 11],
  ],
} as const

/** One group of a sticky list: a zone (or "Elsewhere in the frame") and its stickies. */
export interface ListGroup {
  heading: string
  description: string
  /** The zone's colour for the bar beside the heading (hex without '#'); null for none. */
  color: string | null
  items: { text: string; color: string }[]
}

export type ListEntry =
  | {
      kind: 'heading'
      /** The whole entry: heading and description. */
      box: Box
      text: string
      description: string
      color: string | null
      /** Repeats the heading of a group that goes on in this column. */
      continued: boolean
      textBox: Box
      descriptionBox: Box | null
      group: number
    }
  | {
      kind: 'sticky'
      box: Box
      text: string
      /** Hex without '#'. */
      color: string
      /** Null on the second and later pieces of a sticky too long for one column. */
      swatch: Box | null
      textBox: Box
      group: number
    }

/** One summary slide's worth of list: up to `LIST.columns` columns of entries. */
export type ListPage = ListEntry[][]

/**
 * Lays the groups out in columns, top to bottom and then left to right, and starts another
 * page when the columns are full. A heading never ends a column; a group that goes on in the
 * next column repeats its heading there ("(continued)"); a sticky too long for a whole column
 * is cut between lines. A list that fits on one slide is balanced: its columns are as short
 * as they can be, with each group whole in one column where that works.
 */
export function paginateList(
  groups: readonly ListGroup[],
  measure: Measure = arialMeasure,
): ListPage[] {
  const full = layoutList(groups, measure, CHROME.body.h, false)
  if (full.pages.length !== 1) return full.pages
  for (const keepGroups of [true, false]) {
    const fits = (height: number) => {
      const layout = layoutList(groups, measure, height, keepGroups)
      const ok =
        layout.pages.length === 1 && layout.cuts === 0 && (!keepGroups || layout.continued === 0)
      return ok ? layout : null
    }
    let best = fits(CHROME.body.h)
    if (!best) continue
    let low = 0
    let high: number = CHROME.body.h
    while (high - low > 0.01) {
      const middle = (low + high) / 2
      const layout = fits(middle)
      if (layout) {
        best = layout
        high = middle
      } else {
        low = middle
      }
    }
    return best.pages
  }
  return full.pages
}

/** The list in columns `height` inches tall; with `keepGroups`, a group that fits in a column is not split. */
function layoutList(
  groups: readonly ListGroup[],
  measure: Measure,
  height: number,
  keepGroups: boolean,
): { pages: ListPage[]; cuts: number; continued: number } {
  const lineH = linesHeight(1, TYPE.item)
  // Too short for a repeated heading and two lines: nothing could be placed (and no progress
  // made), so it does not fit.
  if (height < linesHeight(1, TYPE.heading) + LIST.headingGap + 2 * lineH) {
    return { pages: [], cuts: 0, continued: 0 }
  }
  const pages: ListPage[] = []
  let cuts = 0
  let continued = 0
  const bottom = CHROME.body.y + height
  let columnIndex = -1
  let column: ListEntry[] = []
  let y = 0
  const newColumn = () => {
    columnIndex++
    // Every column holds at least one line, so a list of n lines needs at most n columns.
    if (columnIndex > maxColumns) throw new Error('The sticky list could not be laid out')
    if (columnIndex % LIST.columns === 0) pages.push([])
    column = []
    pages[pages.length - 1].push(column)
    y = CHROME.body.y
  }
  const columnBox = () => listColumnBox(columnIndex % LIST.columns)
  const gapBefore = (kind: ListEntry['kind']) => {
    const previous = column[column.length - 1]
    if (!previous) return 0
    if (kind === 'heading') return LIST.groupGap
    return previous.kind === 'heading' ? LIST.headingGap : LIST.itemGap
  }
  const itemWidth = LIST_COLUMN_W - LIST.textInset

  const measureHeading = (group: ListGroup, continued: boolean) => {
    const width = LIST_COLUMN_W - LIST.headingInset
    const text = continued ? `${group.heading} (continued)` : group.heading
    const lines = wrapText(text, width, TYPE.heading, measure)
    const descriptionLines =
      continued || !group.description
        ? []
        : wrapText(group.description, width, TYPE.description, measure)
    const textH = linesHeight(lines.length, TYPE.heading)
    const descriptionH = linesHeight(descriptionLines.length, TYPE.description)
    return { text, textH, descriptionH, h: textH + descriptionH }
  }
  const placeHeading = (group: ListGroup, index: number, continued: boolean) => {
    // A group without a heading (the only group, when a frame has no zones) is a plain list.
    if (!group.heading) return
    const m = measureHeading(group, continued)
    y += gapBefore('heading')
    const box = columnBox()
    const x = box.x + LIST.headingInset
    const w = box.w - LIST.headingInset
    column.push({
      kind: 'heading',
      box: { x: box.x, y, w: box.w, h: m.h },
      text: m.text,
      description: continued ? '' : group.description,
      color: group.color,
      continued,
      textBox: { x, y, w, h: m.textH },
      descriptionBox: m.descriptionH > 0 ? { x, y: y + m.textH, w, h: m.descriptionH } : null,
      group: index,
    })
    y += m.h
  }
  const roomFor = (kind: ListEntry['kind']) =>
    Math.floor((bottom - y - gapBefore(kind) + 1e-9) / lineH)

  const itemLines = (text: string) => wrapText(text, itemWidth, TYPE.item, measure)
  // Lines a sticky may take before it has to be cut: a column under a repeated heading.
  const columnLines = Math.floor((height - linesHeight(1, TYPE.heading) - LIST.headingGap) / lineH)

  const maxColumns =
    groups.reduce(
      (sum, group) => sum + group.items.reduce((n, item) => n + itemLines(item.text).length, 0),
      0,
    ) + 1
  newColumn()
  groups.forEach((group, index) => {
    if (group.items.length === 0) return
    const heading = group.heading ? measureHeading(group, false).h + LIST.headingGap : 0
    const lines = group.items.map((item) => itemLines(item.text).length)
    const whole =
      heading +
      linesHeight(
        lines.reduce((sum, n) => sum + n, 0),
        TYPE.item,
      ) +
      (lines.length - 1) * LIST.itemGap
    const firstItem = linesHeight(Math.min(lines[0], 2), TYPE.item)
    const needed =
      gapBefore('heading') + (keepGroups && whole <= height ? whole : heading + firstItem)
    if (column.length > 0 && y + needed > bottom + 1e-9) newColumn()
    placeHeading(group, index, false)

    for (const item of group.items) {
      let lines = itemLines(item.text)
      let piece = 0
      while (lines.length > 0) {
        const room = roomFor('sticky')
        // A sticky moves to the next column whole, unless it is too long for any column, or
        // this column has nothing but its group's heading yet (moving would not help).
        const fresh = !column.some((entry) => entry.kind === 'sticky')
        const mustCut = lines.length > columnLines || fresh
        if (!fresh && (room < 1 || (room < lines.length && !mustCut))) {
          newColumn()
          placeHeading(group, index, true)
          if (group.heading) continued++
          continue
        }
        const take = Math.max(1, Math.min(room, lines.length))
        if (take < lines.length) cuts++
        y += gapBefore('sticky')
        const box = columnBox()
        const h = linesHeight(take, TYPE.item)
        const swatchTop = y + (lineH - LIST.swatch) / 2 + 0.01
        column.push({
          kind: 'sticky',
          box: { x: box.x, y, w: box.w, h },
          text: take === lines.length && piece === 0 ? item.text : lines.slice(0, take).join(' '),
          color: item.color,
          swatch: piece === 0 ? { x: box.x, y: swatchTop, w: LIST.swatch, h: LIST.swatch } : null,
          textBox: { x: box.x + LIST.textInset, y, w: box.w - LIST.textInset, h },
          group: index,
        })
        y += h
        lines = lines.slice(take)
        piece++
      }
    }
  })
  return { pages: pages.filter((page) => page.some((c) => c.length > 0)), cuts, continued }
}
