/**
 * tldraw's sticky note on a canvas, as its `toSvg` draws it (NoteShapeUtil in tldraw 5.4): the
 * fill by colour, the two-layer drop shadow of its SVG filter (light mode only), the rich text
 * label with its font size adjustment and `growY`, and the marks `noteUtilWithBadges`
 * (src/canvas/note-badges.tsx) adds to exports: the vote result disc and the author label.
 * The context is already in the note's own unscaled coordinates (`props.scale` applied), as
 * tldraw's export applies it around `toSvg`.
 */
import type { Editor, TLNoteShape } from 'tldraw'
import { NOTE_SIZE } from '../../board/geometry'
import { noteAuthor } from '../../board/shape-meta'
import type { PaintContext, Painter } from './paint-context'
import { layoutTexts, paintText, type TextLayout, type TextRequest } from './text-layout'
import { paintMarks } from './paint-marks'

/** tldraw's note label: 16 px padding, the theme's base size × these per size. */
const LABEL_PADDING = 16
const LABEL_FONT_SIZES = { s: 1.125, m: 1.375, l: 1.625, xl: 2 } as const
const NOTE_ALIGN = {
  start: 'start',
  middle: 'middle',
  end: 'end',
  'start-legacy': 'start',
  'end-legacy': 'end',
  'middle-legacy': 'middle',
} as const

/** The result disc and author label exactly as note-badges.tsx's `toSvg` draws them. */
const RESULT_RADIUS = 22
const BADGE_FONT = 'system-ui, sans-serif'

type Colours = PaintContext['theme']

function colourValue(colors: Colours, color: string, variant: 'noteFill' | 'noteText' | 'fill') {
  const entry = (colors as unknown as Record<string, unknown>)[color]
  if (!entry || typeof entry === 'string') return color
  return (entry as Record<string, string>)[variant]
}

function labelRequest(editor: Editor, shape: TLNoteShape): TextRequest | null {
  const { richText, size, font, align, verticalAlign, fontSizeAdjustment, growY } = shape.props
  if (isEmptyRichText(richText)) return null
  const theme = editor.getCurrentTheme()
  return {
    richText,
    font,
    fontSize: (fontSizeAdjustment ?? 1) * theme.fontSize * LABEL_FONT_SIZES[size],
    lineHeight: theme.lineHeight,
    width: NOTE_SIZE,
    height: NOTE_SIZE + growY,
    align: NOTE_ALIGN[align],
    verticalAlign,
    padding: LABEL_PADDING,
  }
}

function isEmptyRichText(richText: TLNoteShape['props']['richText']) {
  const content = richText.content as { content?: unknown[] }[] | undefined
  if (!content || content.length === 0) return true
  return content.length === 1 && (!content[0].content || content[0].content.length === 0)
}

/** Labels laid out ahead of painting, all in one layout of the page, by shape. */
const prepared = new WeakMap<TLNoteShape, TextLayout | null>()
/** Shadow sprites by note height and image scale. */
const shadows = new Map<string, HTMLCanvasElement>()

/** Lays every note's label out at once and makes the shadow sprites, before painting. */
export async function prepareNotes(shapes: readonly TLNoteShape[], pc: PaintContext) {
  const requests: TextRequest[] = []
  const owners: TLNoteShape[] = []
  for (const shape of shapes) {
    const request = labelRequest(pc.editor, shape)
    if (request) {
      requests.push(request)
      owners.push(shape)
    } else prepared.set(shape, null)
  }
  layoutTexts(pc.editor, requests).forEach((layout, i) => prepared.set(owners[i], layout))
  if (pc.dark) return
  const wanted = new Set<string>()
  for (const shape of shapes) wanted.add(shadowKey(shape, pc.scale))
  await Promise.all(
    [...wanted].filter((key) => !shadows.has(key)).map((key) => makeShadow(key, pc.scale)),
  )
}

function shadowKey(shape: TLNoteShape, scale: number) {
  return `${NOTE_SIZE + shape.props.growY}|${scale * shape.props.scale}`
}

/**
 * tldraw's note shadow filter, without its source graphic, rasterised once per size: the
 * shadow depends only on the note's outline, never on its colour.
 */
async function makeShadow(key: string, scale: number) {
  const [heightText, pixelScaleText] = key.split('|')
  const h = Number(heightText)
  const w = NOTE_SIZE
  const k = Number(pixelScaleText) || scale
  // The filter region: x -10 %, y -10 %, 130 % wide, 150 % tall.
  const rx = -0.1 * w
  const ry = -0.1 * h
  const rw = 1.3 * w
  const rh = 1.5 * h
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${rw * k}" height="${rh * k}" viewBox="${rx} ${ry} ${rw} ${rh}">` +
    `<filter id="s" x="-10%" y="-10%" width="130%" height="150%">` +
    `<feMorphology in="SourceAlpha" operator="erode" radius="3" result="erode1"/>` +
    `<feGaussianBlur in="erode1" stdDeviation="3" result="blur1"/>` +
    `<feOffset in="blur1" dy="3" result="offsetBlur1"/>` +
    `<feComponentTransfer in="offsetBlur1" result="shadow1"><feFuncA type="linear" slope="0.5"/></feComponentTransfer>` +
    `<feMorphology in="SourceAlpha" operator="erode" radius="10" result="erode2"/>` +
    `<feGaussianBlur in="erode2" stdDeviation="6" result="blur2"/>` +
    `<feOffset in="blur2" dy="6" result="offsetBlur2"/>` +
    `<feComponentTransfer in="offsetBlur2" result="shadow2"><feFuncA type="linear" slope="0.5"/></feComponentTransfer>` +
    `<feMerge><feMergeNode in="shadow1"/><feMergeNode in="shadow2"/></feMerge>` +
    `</filter><rect rx="1" width="${w}" height="${h}" fill="#000" filter="url(#s)"/></svg>`
  const image = new Image()
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
  await image.decode()
  // Rasterised once into pixels: an SVG image is filtered again on every drawImage, which
  // was most of a 500-sticky export in a profile.
  const sprite = document.createElement('canvas')
  sprite.width = Math.ceil(rw * k)
  sprite.height = Math.ceil(rh * k)
  sprite.getContext('2d')!.drawImage(image, 0, 0, rw * k, rh * k)
  shadows.set(key, sprite)
}

export const paintNote: Painter<TLNoteShape> = (shape, pc) => {
  const { editor, ctx, theme } = pc
  const { color, labelColor, growY, textLastEditedBy, richText } = shape.props
  // tldraw's own attribution label is HTML we do not draw: leave such a note to toImage.
  if (
    textLastEditedBy &&
    !isEmptyRichText(richText) &&
    editor.getAttributionDisplayName(textLastEditedBy)
  ) {
    return false
  }
  const layout = prepared.has(shape)
    ? prepared.get(shape)!
    : (() => {
        const request = labelRequest(editor, shape)
        return request ? layoutTexts(editor, [request])[0] : null
      })()
  const h = NOTE_SIZE + growY
  const fill = colourValue(theme, color, 'noteFill')
  if (!pc.dark) {
    const shadow = shadows.get(shadowKey(shape, pc.scale))
    if (!shadow) return false
    ctx.drawImage(shadow, -0.1 * NOTE_SIZE, -0.1 * h, 1.3 * NOTE_SIZE, 1.5 * h)
  }
  ctx.fillStyle = fill
  ctx.beginPath()
  ctx.roundRect(0, 0, NOTE_SIZE, h, 1)
  ctx.fill()
  // tldraw draws the filtered rect (shadow + fill) and then the fill again: the fill's
  // antialiased edge is drawn twice, so draw it twice too.
  if (!pc.dark) ctx.fill()
  if (layout) {
    const text =
      labelColor === 'black'
        ? colourValue(theme, color, 'noteText')
        : colourValue(theme, labelColor, 'fill')
    paintText(ctx, layout, { color: text })
  }
  paintBadges(shape, pc)
  // A lock when a frozen frame holds it (B's `paint-marks.ts`, the same parts as toSvg's).
  return paintMarks(editor, shape, ctx)
}

function paintBadges(shape: TLNoteShape, { ctx, badges }: PaintContext) {
  const result = badges.results[shape.id]
  if (result !== undefined) {
    const cx = NOTE_SIZE - RESULT_RADIUS - 6
    const cy = RESULT_RADIUS + 6
    ctx.fillStyle = '#1d1d1f'
    ctx.beginPath()
    ctx.arc(cx, cy, RESULT_RADIUS, 0, Math.PI * 2)
    ctx.fill()
    ctx.fillStyle = '#ffffff'
    ctx.font = `700 20px ${BADGE_FONT}`
    ctx.textAlign = 'center'
    // SVG's dominant-baseline "central": the middle between the font's ascent and descent.
    ctx.textBaseline = 'alphabetic'
    const m = ctx.measureText(String(result))
    ctx.fillText(String(result), cx, cy + (m.fontBoundingBoxAscent - m.fontBoundingBoxDescent) / 2)
  }
  const author = noteAuthor(shape)
  if (author) {
    ctx.fillStyle = 'rgba(0, 0, 0, 0.6)'
    ctx.font = `400 12px ${BADGE_FONT}`
    ctx.textAlign = 'left'
    ctx.textBaseline = 'alphabetic'
    ctx.fillText(author, 10, NOTE_SIZE + shape.props.growY - 10)
  }
}

/** The lines a sticky's label is laid out in, words joined by spaces; [] for none. */
export function noteLabelLines(editor: Editor, id: string): string[] {
  const shape = editor.getShape(id as TLNoteShape['id'])
  if (!shape || shape.type !== 'note') return []
  const request = labelRequest(editor, shape as TLNoteShape)
  return request ? layoutTexts(editor, [request])[0].lines : []
}
