/**
 * Paints a shape the way tldraw's own SVG export draws it, onto a 2D canvas: the shape util's
 * `toSvg` (the very element tree `editor.toImage` rasterises) is rendered to static markup, and
 * its plain SVG elements (paths, rects, circles, groups with transforms, clip paths, dashes,
 * tldraw's hand-drawn wobble, which is only a path) are replayed with canvas calls. So the
 * geometry, dashes and colours are tldraw's, not re-derived here.
 *
 * What canvas cannot replay the same way makes the whole shape unpaintable (`false`, and the
 * shape goes to `toImage`): HTML in `foreignObject`, pattern fills, masks, filters, embedded
 * images, an async `toSvg`. Rich-text labels (`RichTextSVG`, HTML in tldraw's export) are taken
 * out of the tree before rendering and handed to `label`, which lays them out with our own text
 * layout at the same place in the tree (inside the same transforms).
 */
import { createElement, Fragment, isValidElement, type ReactElement, type ReactNode } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import {
  EditorProvider,
  RichTextSVG,
  type Editor,
  type SvgExportContext,
  type TLShape,
} from 'tldraw'

/** The props tldraw gives a rich-text label in an SVG export (`RichTextSVG`). */
export type RichTextSvgProps = Parameters<typeof RichTextSVG>[0]

/** Paints one label in the current canvas coordinates; false when it cannot. */
export type LabelPainter = (ctx: CanvasRenderingContext2D, props: RichTextSvgProps) => boolean

const LABEL_ATTR = 'data-sb-label'
const SVG_NS = 'http://www.w3.org/2000/svg'

/** A minimal export context: fills come from tldraw's defs, which we do not replay anyway. */
function exportContext(dark: boolean): SvgExportContext {
  return {
    addExportDef() {},
    waitUntil() {},
    resolveAssetUrl: async () => null,
    isDarkMode: dark,
    colorMode: dark ? 'dark' : 'light',
    scale: 1,
    pixelRatio: 1,
  } as unknown as SvgExportContext
}

/**
 * Draws `shape` as its util's `toSvg` describes it, in the shape's own coordinates (the canvas is
 * already transformed there). `label` paints rich-text labels; without it, a label makes the
 * shape unpaintable.
 */
export function paintShapeSvg(
  editor: Editor,
  shape: TLShape,
  ctx: CanvasRenderingContext2D,
  dark: boolean,
  label?: LabelPainter,
): boolean {
  const util = editor.getShapeUtil(shape)
  let tree: unknown
  try {
    tree = util.toSvg?.(shape, exportContext(dark))
  } catch {
    return false
  }
  if (tree == null) return true
  if (tree instanceof Promise) return false
  const labels: RichTextSvgProps[] = []
  const stripped = withoutLabels(tree as ReactNode, labels)
  let markup: string
  try {
    markup = renderToStaticMarkup(
      createElement(EditorProvider, {
        editor,
        children: createElement(
          'svg',
          { xmlns: SVG_NS, strokeLinecap: 'round', strokeLinejoin: 'round' },
          stripped,
        ),
      }),
    )
  } catch {
    return false
  }
  // Inline styles stay unparsed text: the page's CSP refuses `style` attributes, and only the
  // clip path is read from them (React escapes quotes inside values, so this finds attributes).
  markup = markup.replaceAll(' style="', ' data-style="')
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml')
  const root = doc.documentElement
  if (root.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length > 0) return false
  const painter = new SvgCanvasPainter(
    ctx,
    root,
    (props) => (label ? label(ctx, props) : false),
    labels,
  )
  ctx.save()
  try {
    return painter.paintChildren(root, ROOT_STATE)
  } finally {
    ctx.restore()
  }
}

/** Replaces each `RichTextSVG` element with a marker group that remembers its props. */
function withoutLabels(node: ReactNode, labels: RichTextSvgProps[]): ReactNode {
  if (Array.isArray(node)) return node.map((child) => withoutLabels(child, labels))
  if (!isValidElement(node)) return node
  const element = node as ReactElement<{ children?: ReactNode }>
  if (element.type === RichTextSVG) {
    labels.push(element.props as unknown as RichTextSvgProps)
    return createElement('g', { key: element.key, [LABEL_ATTR]: labels.length - 1 })
  }
  if (typeof element.type !== 'string' && element.type !== Fragment) return element
  const children = element.props.children
  if (children === undefined) return element
  return { ...element, props: { ...element.props, children: withoutLabels(children, labels) } }
}

interface PaintState {
  fill: string
  stroke: string
  strokeWidth: number
  dash: number[]
  dashOffset: number
  lineCap: CanvasLineCap
  lineJoin: CanvasLineJoin
  opacity: number
  fillOpacity: number
  strokeOpacity: number
  fillRule: CanvasFillRule
  fontFamily: string
  fontSize: number
  fontWeight: string
  fontStyle: string
}

const ROOT_STATE: PaintState = {
  fill: 'black',
  stroke: 'none',
  strokeWidth: 1,
  dash: [],
  dashOffset: 0,
  lineCap: 'round',
  lineJoin: 'round',
  opacity: 1,
  fillOpacity: 1,
  strokeOpacity: 1,
  fillRule: 'nonzero',
  fontFamily: 'sans-serif',
  fontSize: 16,
  fontWeight: 'normal',
  fontStyle: 'normal',
}

/** Elements that paint nothing themselves. */
const SILENT = new Set(['defs', 'clipPath', 'title', 'desc', 'metadata'])
/** Elements whose picture canvas cannot replay the way the browser rasterises them. */
const UNSUPPORTED = new Set(['foreignObject', 'image', 'mask', 'pattern', 'filter', 'use', 'svg'])

class SvgCanvasPainter {
  constructor(
    private ctx: CanvasRenderingContext2D,
    private root: Element,
    private label: (props: RichTextSvgProps) => boolean,
    private labels: RichTextSvgProps[],
  ) {}

  paintChildren(parent: Element, state: PaintState): boolean {
    for (const child of Array.from(parent.children)) {
      if (!this.paint(child, state)) return false
    }
    return true
  }

  private paint(el: Element, parentState: PaintState): boolean {
    const name = el.localName
    // Zone counts and frozen marks: the painter draws them itself (`paint-marks.ts`).
    if (SILENT.has(name) || el.hasAttribute('data-export-marks')) return true
    if (UNSUPPORTED.has(name)) return false
    const state = childState(el, parentState)
    if (state === null) return false
    if (state.opacity <= 0) return true
    const ctx = this.ctx
    ctx.save()
    try {
      const transform = el.getAttribute('transform')
      if (transform !== null && !applyTransform(ctx, transform)) return false
      const clip = clipReference(el)
      if (clip !== null && !this.applyClip(clip)) return false
      if (el.hasAttribute(LABEL_ATTR)) {
        const props = this.labels[Number(el.getAttribute(LABEL_ATTR))]
        return props !== undefined && this.label(props)
      }
      switch (name) {
        case 'g':
          return this.paintChildren(el, state)
        case 'text':
          return paintText(ctx, el, state)
        default: {
          const path = shapePath(el)
          if (path === undefined) return false
          if (path !== null) paintPath(ctx, path, state)
          return true
        }
      }
    } finally {
      ctx.restore()
    }
  }

  private applyClip(id: string): boolean {
    const clipPath = Array.from(this.root.getElementsByTagName('clipPath')).find(
      (el) => el.getAttribute('id') === id,
    )
    if (!clipPath) return false
    const region = new Path2D()
    let rule: CanvasFillRule = 'nonzero'
    for (const child of Array.from(clipPath.children)) {
      const path = shapePath(child)
      if (!path) return false
      if (child.getAttribute('clip-rule') === 'evenodd') rule = 'evenodd'
      region.addPath(path)
    }
    this.ctx.clip(region, rule)
    return true
  }
}

/** The state an element paints with: its parent's, overridden by its own attributes. */
function childState(el: Element, parent: PaintState): PaintState | null {
  const state = { ...parent }
  const attr = (name: string) => el.getAttribute(name) ?? styleValue(el, name)
  const fill = attr('fill')
  if (fill !== null) {
    if (!paintable(fill)) return null
    state.fill = fill
  }
  const stroke = attr('stroke')
  if (stroke !== null) {
    if (!paintable(stroke)) return null
    state.stroke = stroke
  }
  const number = (name: string, current: number) => {
    const value = attr(name)
    return value === null ? current : Number.parseFloat(value)
  }
  state.strokeWidth = number('stroke-width', state.strokeWidth)
  state.dashOffset = number('stroke-dashoffset', state.dashOffset)
  state.opacity = parent.opacity * number('opacity', 1)
  state.fillOpacity = number('fill-opacity', state.fillOpacity)
  state.strokeOpacity = number('stroke-opacity', state.strokeOpacity)
  state.fontSize = number('font-size', state.fontSize)
  const dash = attr('stroke-dasharray')
  if (dash !== null) {
    state.dash =
      dash === 'none'
        ? []
        : dash
            .split(/[\s,]+/)
            .filter(Boolean)
            .map(Number.parseFloat)
    if (state.dash.some((n) => !Number.isFinite(n))) return null
  }
  const cap = attr('stroke-linecap')
  if (cap === 'round' || cap === 'butt' || cap === 'square') state.lineCap = cap
  const join = attr('stroke-linejoin')
  if (join === 'round' || join === 'bevel' || join === 'miter') state.lineJoin = join
  const rule = attr('fill-rule')
  if (rule === 'evenodd' || rule === 'nonzero') state.fillRule = rule
  state.fontFamily = attr('font-family') ?? state.fontFamily
  state.fontWeight = attr('font-weight') ?? state.fontWeight
  state.fontStyle = attr('font-style') ?? state.fontStyle
  if (Number.isNaN(state.strokeWidth) || Number.isNaN(state.opacity)) return null
  return state
}

/** A colour canvas understands as the SVG does: no `url(#pattern)`, no CSS variables. */
function paintable(colour: string) {
  return !/url\(|var\(|currentcolor/i.test(colour)
}

function styleValue(el: Element, name: string): string | null {
  const style = el.getAttribute('data-style')
  if (!style) return null
  for (const part of style.split(';')) {
    const [key, ...rest] = part.split(':')
    if (key?.trim() === name) return rest.join(':').trim()
  }
  return null
}

function clipReference(el: Element): string | null {
  const clip = el.getAttribute('clip-path') ?? styleValue(el, 'clip-path')
  if (clip === null || clip === 'none') return null
  const match = /url\(\s*['"]?#([^'")\s]+)['"]?\s*\)/.exec(clip)
  return match ? match[1] : ''
}

/** The outline of a basic SVG shape; null when it draws nothing, undefined when unknown. */
function shapePath(el: Element): Path2D | null | undefined {
  const n = (name: string) => Number.parseFloat(el.getAttribute(name) ?? '0') || 0
  switch (el.localName) {
    case 'path': {
      const d = el.getAttribute('d')
      return d ? new Path2D(d) : null
    }
    case 'rect': {
      const w = n('width')
      const h = n('height')
      if (w <= 0 || h <= 0) return null
      const path = new Path2D()
      const rx = el.hasAttribute('rx') ? n('rx') : n('ry')
      const ry = el.hasAttribute('ry') ? n('ry') : rx
      if (rx > 0 || ry > 0) {
        const r = Math.min(rx, w / 2)
        const s = Math.min(ry, h / 2)
        path.roundRect(n('x'), n('y'), w, h, [{ x: r, y: s }])
      } else {
        path.rect(n('x'), n('y'), w, h)
      }
      return path
    }
    case 'circle': {
      const path = new Path2D()
      path.arc(n('cx'), n('cy'), n('r'), 0, Math.PI * 2)
      return path
    }
    case 'ellipse': {
      const path = new Path2D()
      path.ellipse(n('cx'), n('cy'), n('rx'), n('ry'), 0, 0, Math.PI * 2)
      return path
    }
    case 'line': {
      const path = new Path2D()
      path.moveTo(n('x1'), n('y1'))
      path.lineTo(n('x2'), n('y2'))
      return path
    }
    case 'polyline':
    case 'polygon': {
      const points = (el.getAttribute('points') ?? '')
        .trim()
        .split(/[\s,]+/)
        .map(Number)
      const path = new Path2D()
      for (let i = 0; i + 1 < points.length; i += 2) {
        if (i === 0) path.moveTo(points[i], points[i + 1])
        else path.lineTo(points[i], points[i + 1])
      }
      if (el.localName === 'polygon') path.closePath()
      return path
    }
    default:
      return undefined
  }
}

function paintPath(ctx: CanvasRenderingContext2D, path: Path2D, state: PaintState) {
  if (state.fill !== 'none' && state.fill !== 'transparent') {
    ctx.globalAlpha = state.opacity * state.fillOpacity
    ctx.fillStyle = state.fill
    ctx.fill(path, state.fillRule)
  }
  if (state.stroke !== 'none' && state.stroke !== 'transparent' && state.strokeWidth > 0) {
    ctx.globalAlpha = state.opacity * state.strokeOpacity
    ctx.strokeStyle = state.stroke
    ctx.lineWidth = state.strokeWidth
    ctx.lineCap = state.lineCap
    ctx.lineJoin = state.lineJoin
    ctx.setLineDash(state.dash)
    ctx.lineDashOffset = state.dashOffset
    ctx.stroke(path)
  }
}

/**
 * `<text>` made of positioned `<tspan>`s, as tldraw builds frame headings from
 * `editor.textMeasure.measureTextSpans` (`alignment-baseline: mathematical`).
 */
function paintText(ctx: CanvasRenderingContext2D, el: Element, state: PaintState): boolean {
  ctx.globalAlpha = state.opacity
  ctx.font = `${state.fontStyle} ${state.fontWeight} ${state.fontSize}px ${state.fontFamily}`
  // Chromium puts the mathematical baseline half the font's ascent above the alphabetic one.
  ctx.textBaseline = 'alphabetic'
  ctx.textAlign = 'left'
  const shift = ctx.measureText('x').fontBoundingBoxAscent / 2
  for (const span of Array.from(el.children)) {
    if (span.localName !== 'tspan') return false
    const text = span.textContent ?? ''
    if (text.trim() === '') continue
    const x = Number.parseFloat(span.getAttribute('x') ?? '0')
    const y = Number.parseFloat(span.getAttribute('y') ?? '0') + shift
    if (state.stroke !== 'none' && state.strokeWidth > 0) {
      ctx.strokeStyle = state.stroke
      ctx.lineWidth = state.strokeWidth
      ctx.lineJoin = 'round'
      ctx.strokeText(text, x, y)
    }
    if (state.fill !== 'none') {
      ctx.fillStyle = state.fill
      ctx.fillText(text, x, y)
    }
  }
  return true
}

/** Applies an SVG `transform` list; false for a form it does not know. */
function applyTransform(ctx: CanvasRenderingContext2D, transform: string): boolean {
  const re = /(\w+)\s*\(([^)]*)\)/g
  let match: RegExpExecArray | null
  let seen = 0
  while ((match = re.exec(transform)) !== null) {
    seen++
    const args = match[2]
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number)
    if (args.some((n) => !Number.isFinite(n))) return false
    switch (match[1]) {
      case 'translate':
        ctx.translate(args[0] ?? 0, args[1] ?? 0)
        break
      case 'scale':
        ctx.scale(args[0] ?? 1, args[1] ?? args[0] ?? 1)
        break
      case 'rotate': {
        const angle = ((args[0] ?? 0) * Math.PI) / 180
        const [cx = 0, cy = 0] = args.slice(1)
        ctx.translate(cx, cy)
        ctx.rotate(angle)
        ctx.translate(-cx, -cy)
        break
      }
      case 'matrix':
        if (args.length !== 6) return false
        ctx.transform(args[0], args[1], args[2], args[3], args[4], args[5])
        break
      default:
        return false
    }
  }
  return seen > 0 || transform.trim() === ''
}
