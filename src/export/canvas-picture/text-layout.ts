/**
 * Text for the fast image path, laid out by the browser exactly as tldraw's own export lays it
 * out, then drawn with `fillText`. tldraw's `toSvg` puts a label's rich text HTML
 * (`renderHtmlFromRichText`) in a `foreignObject` with a flex wrapper and padding; we build the
 * same elements inside the editor's container (so tldraw's `.tl-rich-text` rules apply: list
 * indents, paragraph heights) and read where each word landed with DOM ranges, as
 * `editor.textMeasure.measureTextSpans` does for plain text. Lines therefore break where the
 * board shows them. Many texts are laid out in one pass (`layoutTexts`): every box goes into the
 * page at once, the browser lays them out once, and only then are they read.
 */
import type { Editor, TLDefaultFontStyle, TLFontFace, TLRichText, TLShapeId, TLTheme } from 'tldraw'
import { richTextHtml } from '../../canvas/rich-text-html'

export type TextAlign = 'start' | 'middle' | 'end' | 'start-legacy' | 'middle-legacy' | 'end-legacy'

export interface TextRequest {
  /** Rich text (notes, geo labels, text shapes) or plain text (frame titles); one of the two. */
  richText?: TLRichText
  text?: string
  font: TLDefaultFontStyle
  fontSize: number
  /** tldraw's unitless multiplier (the theme's 1.35); resolved to whole pixels as tldraw does. */
  lineHeight: number
  /** The box the text sits in, padding included. */
  width: number
  /** The box's height; vertical alignment needs it. Omit for a box as tall as its text. */
  height?: number
  align: TextAlign
  verticalAlign?: 'start' | 'middle' | 'end'
  padding?: number
  /** Wrap at the box's width (default), or keep each paragraph on one line. */
  wrap?: boolean
}

/** A piece of one line in one font, its baseline at `y`, in the box's coordinates. */
export interface TextRun {
  text: string
  x: number
  y: number
  /** A CSS font shorthand for `ctx.font`. */
  font: string
  /** The run's own colour when the text sets one (links, marks); null: the label's colour. */
  color: string | null
  underline: boolean
  strike: boolean
  /** Width as the browser laid it out (for decorations). */
  width: number
  fontSize: number
}

export interface TextLayout {
  runs: TextRun[]
  /** List markers ("•", "1."), drawn like runs. */
  markers: TextRun[]
  /** The top of each line, in order: what the line-break test compares. */
  lineTops: number[]
  /** The words on each line, in order (for tests and debugging). */
  lines: string[]
  /** The text's own size (without padding). */
  width: number
  height: number
}

const EMPTY_LAYOUT: TextLayout = {
  runs: [],
  markers: [],
  lineTops: [],
  lines: [],
  width: 0,
  height: 0,
}

const JUSTIFY: Record<TextAlign, string> = {
  start: 'flex-start',
  'start-legacy': 'flex-start',
  middle: 'center',
  'middle-legacy': 'center',
  end: 'flex-end',
  'end-legacy': 'flex-end',
}
const TEXT_ALIGN: Record<TextAlign, string> = {
  start: 'start',
  'start-legacy': 'start',
  middle: 'center',
  'middle-legacy': 'center',
  end: 'end',
  'end-legacy': 'end',
}
const ALIGN_ITEMS = { start: 'flex-start', middle: 'center', end: 'flex-end' } as const

/** Lays one text out (see `layoutTexts` for many at once). */
export function layoutText(editor: Editor, request: TextRequest): TextLayout {
  return layoutTexts(editor, [request])[0] ?? EMPTY_LAYOUT
}

/** Lays many texts out with one layout of the page. */
export function layoutTexts(editor: Editor, requests: readonly TextRequest[]): TextLayout[] {
  if (requests.length === 0) return []
  const doc = editor.getContainer().ownerDocument
  const host = doc.createElement('div')
  host.className = 'tl-html-container'
  // Out of sight but laid out: ranges measure hidden elements, not `display: none` ones.
  host.style.cssText =
    'position:absolute;left:0;top:0;visibility:hidden;pointer-events:none;contain:layout style;'
  const theme = editor.getCurrentTheme()
  const boxes: HTMLDivElement[] = []
  for (const request of requests) {
    const box = buildBox(doc, request, fontFamily(theme, request.font), editor)
    boxes.push(box)
    host.appendChild(box)
  }
  editor.getContainer().appendChild(host)
  try {
    // Every read happens after every write: one layout for all of them.
    return boxes.map((box) => readBox(box))
  } finally {
    host.remove()
  }
}

function buildBox(doc: Document, request: TextRequest, family: string, editor: Editor) {
  const padding = request.padding ?? 0
  const box = doc.createElement('div')
  box.className = 'tl-rich-text tl-rich-text-svg tl-text__no-outline'
  box.style.cssText = `position:absolute;left:0;top:0;width:${request.width}px;${
    request.height === undefined ? '' : `height:${request.height}px;`
  }`
  const wrapper = doc.createElement('div')
  wrapper.style.display = 'flex'
  wrapper.style.fontFamily = family
  wrapper.style.height = '100%'
  wrapper.style.justifyContent = JUSTIFY[request.align]
  wrapper.style.alignItems = ALIGN_ITEMS[request.verticalAlign ?? 'start']
  wrapper.style.padding = `${padding}px`
  wrapper.style.boxSizing = 'border-box'
  const inner = doc.createElement('div')
  const s = inner.style
  s.fontSize = `${request.fontSize}px`
  s.lineHeight = `${lineHeightPx(request.fontSize, request.lineHeight)}px`
  s.setProperty('--tl-rich-text-heading-line-height', String(request.lineHeight))
  s.textAlign = TEXT_ALIGN[request.align]
  s.width = '100%'
  s.overflowWrap = 'break-word'
  s.wordWrap = 'break-word'
  s.whiteSpace = request.wrap === false ? 'pre' : 'pre-wrap'
  s.textShadow = 'none'
  s.tabSize = 'var(--tl-tab-size, 2)'
  if (request.richText) inner.innerHTML = richTextHtml(editor, request.richText)
  else inner.textContent = request.text ?? ''
  wrapper.appendChild(inner)
  box.appendChild(wrapper)
  return box
}

/** tldraw's `getFontFamily`: the theme's family for a font style, else its CSS variable. */
export function fontFamily(theme: TLTheme, font: string): string {
  return theme.fonts[font as keyof TLTheme['fonts']]?.fontFamily ?? `var(--tl-font-${font})`
}

/** tldraw's `resolveLineHeightPx`: whole pixels, as every tldraw text path uses. */
export function lineHeightPx(fontSize: number, lineHeight: number): number {
  return Math.round(fontSize * lineHeight)
}

const WORDS = /\S+\s*|\s+/g

interface Measured {
  text: string
  left: number
  top: number
  right: number
  height: number
}

function readBox(box: HTMLDivElement): TextLayout {
  const origin = box.getBoundingClientRect()
  const inner = box.firstElementChild!.firstElementChild as HTMLElement
  const innerRect = inner.getBoundingClientRect()
  const runs: TextRun[] = []
  const markers: TextRun[] = []
  const range = box.ownerDocument.createRange()
  const styles = new Map<Element, RunStyle>()
  const styleOf = (el: Element) => {
    let style = styles.get(el)
    if (!style) {
      style = runStyle(el, inner)
      styles.set(el, style)
    }
    return style
  }
  const walker = box.ownerDocument.createTreeWalker(inner, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? ''
    if (text === '' || !node.parentElement) continue
    const style = styleOf(node.parentElement)
    const pieces: Measured[] = []
    for (const match of text.matchAll(WORDS)) {
      measureToken(range, node, match.index, match[0], pieces)
    }
    for (const piece of pieces) {
      const top = piece.top - origin.top
      const last = runs[runs.length - 1]
      // One run per line and font: fewer `fillText` calls, same glyphs.
      if (
        last &&
        last.font === style.font &&
        last.color === style.color &&
        last.underline === style.underline &&
        last.strike === style.strike &&
        Math.abs(last.y - style.ascent - top) < 0.5 &&
        Math.abs(last.x + last.width - (piece.left - origin.left)) < 0.5
      ) {
        last.text += piece.text
        last.width = piece.right - origin.left - last.x
        continue
      }
      if (piece.text.trim() === '') continue
      runs.push({
        text: piece.text,
        x: piece.left - origin.left,
        y: top + style.ascent,
        font: style.font,
        color: style.color,
        underline: style.underline,
        strike: style.strike,
        width: piece.right - piece.left,
        fontSize: style.fontSize,
      })
    }
  }
  for (const li of inner.querySelectorAll('li')) {
    const marker = listMarker(li, range, origin, styleOf(li))
    if (marker) markers.push(marker)
  }
  const lineTops: number[] = []
  const lines: string[] = []
  for (const run of runs) {
    const top = Math.round(run.y)
    const at = lineTops.findIndex((t) => Math.abs(t - top) <= 1)
    if (at === -1) {
      lineTops.push(top)
      lines.push(run.text.trim())
    } else lines[at] = `${lines[at]} ${run.text.trim()}`.trim()
  }
  return {
    runs,
    markers,
    lineTops,
    lines,
    width: innerRect.width,
    height: innerRect.height,
  }
}

/** A token's rect, or its characters' when the browser broke it across lines. */
function measureToken(range: Range, node: Node, start: number, token: string, out: Measured[]) {
  range.setStart(node, start)
  range.setEnd(node, start + token.length)
  const rects = range.getClientRects()
  if (rects.length === 1) {
    const r = rects[0]
    out.push({ text: token, left: r.left, top: r.top, right: r.right, height: r.height })
    return
  }
  // Split over lines (a long word broken by overflow-wrap, or a space that ends a line):
  // measure it grapheme by grapheme like tldraw's measureTextSpans does.
  let current: Measured | null = null
  let i = 0
  for (const ch of Array.from(token)) {
    range.setStart(node, start + i)
    range.setEnd(node, start + i + ch.length)
    i += ch.length
    const all = range.getClientRects()
    const r = all[all.length - 1]
    if (!r) continue
    if (current && Math.abs(current.top - r.top) < 0.5) {
      current.text += ch
      current.right = r.right
    } else {
      if (current) out.push(current)
      current = { text: ch, left: r.left, top: r.top, right: r.right, height: r.height }
    }
  }
  if (current) out.push(current)
}

interface RunStyle {
  font: string
  fontSize: number
  ascent: number
  color: string | null
  underline: boolean
  strike: boolean
}

let metricsCtx: CanvasRenderingContext2D | null = null
const ascents = new Map<string, number>()

function runStyle(el: Element, inner: HTMLElement): RunStyle {
  const cs = getComputedStyle(el)
  const fontSize = parseFloat(cs.fontSize)
  const font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`
  let ascent = ascents.get(font)
  if (ascent === undefined) {
    metricsCtx ??= document.createElement('canvas').getContext('2d')!
    metricsCtx.font = font
    ascent = metricsCtx.measureText('Hg').fontBoundingBoxAscent
    ascents.set(font, ascent)
  }
  const innerColor = getComputedStyle(inner).color
  const decorations = decorationsOf(el, inner)
  return {
    font,
    fontSize,
    ascent,
    color: cs.color === innerColor ? null : cs.color,
    underline: decorations.includes('underline'),
    strike: decorations.includes('line-through'),
  }
}

/** Decorations propagate from ancestors in CSS, so collect them up to the label. */
function decorationsOf(el: Element, inner: HTMLElement) {
  const found: string[] = []
  for (let at: Element | null = el; at && at !== inner; at = at.parentElement) {
    found.push(getComputedStyle(at).textDecorationLine)
  }
  return found.join(' ')
}

/**
 * The marker of a list item, placed as Chromium places an outside marker: its text ("• " or
 * "1. ") ends where the item's first line starts.
 */
function listMarker(li: HTMLLIElement, range: Range, origin: DOMRect, style: RunStyle) {
  const first = firstTextRect(li, range)
  if (!first) return null
  const list = li.parentElement
  const ordered = list?.tagName === 'OL'
  let text = '• '
  if (ordered) {
    const start = Number((list as HTMLOListElement).start || 1)
    const index = Array.prototype.indexOf.call(list!.children, li) as number
    text = `${start + index}. `
  }
  metricsCtx ??= document.createElement('canvas').getContext('2d')!
  metricsCtx.font = style.font
  const width = metricsCtx.measureText(text).width
  const liLeft = li.getBoundingClientRect().left - origin.left
  return {
    text,
    x: liLeft - width,
    y: first.top - origin.top + style.ascent,
    font: style.font,
    color: null,
    underline: false,
    strike: false,
    width,
    fontSize: style.fontSize,
  } satisfies TextRun
}

function firstTextRect(li: HTMLLIElement, range: Range) {
  const walker = li.ownerDocument.createTreeWalker(li, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent) continue
    range.selectNodeContents(node)
    const rect = range.getClientRects()[0]
    if (rect) return rect
  }
  return null
}

export interface PaintTextOptions {
  /** The label's colour; runs with their own colour (links) keep theirs. */
  color: string
  /** Where the layout's box sits in the context's coordinates. */
  x?: number
  y?: number
}

/** Draws a layout into `ctx` (already in the shape's coordinates). */
export function paintText(
  ctx: CanvasRenderingContext2D,
  layout: TextLayout,
  { color, x = 0, y = 0 }: PaintTextOptions,
) {
  ctx.textBaseline = 'alphabetic'
  ctx.textAlign = 'left'
  for (const run of layout.markers) paintRun(ctx, run, color, x, y)
  for (const run of layout.runs) paintRun(ctx, run, color, x, y)
}

function paintRun(
  ctx: CanvasRenderingContext2D,
  run: TextRun,
  color: string,
  x: number,
  y: number,
) {
  if (ctx.font !== run.font) ctx.font = run.font
  const fill = run.color ?? color
  ctx.fillStyle = fill
  ctx.fillText(run.text, x + run.x, y + run.y)
  if (run.underline || run.strike) {
    const thickness = Math.max(1, run.fontSize / 16)
    const w = run.width
    if (run.underline) ctx.fillRect(x + run.x, y + run.y + thickness * 1.5, w, thickness)
    if (run.strike) ctx.fillRect(x + run.x, y + run.y - run.fontSize * 0.3, w, thickness)
  }
}

/**
 * Loads every font face the shapes use (tldraw's self-hosted fonts, bold and italic faces of
 * rich text included) before anything is measured or drawn: a canvas draws with whatever font
 * is there when `fillText` runs, and a late font would move every line.
 */
export async function loadFonts(editor: Editor, ids: Iterable<TLShapeId>): Promise<void> {
  const faces = new Map<string, TLFontFace>()
  for (const id of ids) {
    for (const face of editor.fonts.getShapeFontFaces(id)) {
      faces.set(`${face.family}|${face.weight ?? ''}|${face.style ?? ''}`, face)
    }
  }
  await Promise.all([...faces.values()].map((face) => editor.fonts.ensureFontIsLoaded(face)))
  await document.fonts.ready
}
