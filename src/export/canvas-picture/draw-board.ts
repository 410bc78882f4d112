/**
 * The fast image path: the board's shapes drawn straight onto one 2D canvas, in tldraw's paint
 * order, with the same bounds, transforms, frame clipping, opacity and background as tldraw's
 * `editor.toImage` (read in tldraw 5.4's `getSvgJsx`). `toImage` renders a hidden React root,
 * inlines every element's computed style and rasterises HTML in SVG, which is most of an
 * export's time; a painter draws a shape in microseconds. Shapes without a painter (or whose
 * painter declines) are still drawn by `toImage`, only those, at the same bounds and scale,
 * composited at their place in the z-order, consecutive ones in one call.
 */
import type { Box as TLBox, Editor, TLShape, TLShapeId } from 'tldraw'
import type { NoteBadges } from '../../canvas/note-badges'
import { themeColors, type PaintContext } from './paint-context'
import { PAINTERS, PREPARERS } from './painters'
import { encodeCanvasPng } from './png-encode'
import { loadFonts } from './text-layout'

export interface PictureBounds {
  x: number
  y: number
  w: number
  h: number
}

export interface BoardPictureOptions {
  /** Page coordinates to draw, before padding; omitted: the shapes' own, as `toImage` finds it. */
  bounds?: PictureBounds
  /** Image pixels per page unit (pixel ratio 1). */
  scale: number
  /** The theme's background colour under everything, or transparent. */
  background: boolean
  dark: boolean
  padding: number
  badges: NoteBadges
}

export interface BoardPicture {
  blob: Blob
  width: number
  height: number
  /** The browser's largest canvas could not hold the requested size: drawn smaller. */
  shrunk: boolean
  /** Shapes drawn by `toImage` because no painter could. */
  fellBack: number
}

export type PictureResult = { ok: true; picture: BoardPicture } | { ok: false; error: string }

/** Chromium's limits: 16,384 px a side would do everywhere, 268 M pixels in all. */
const MAX_SIDE = 16_384
const MAX_AREA = 16_384 * 16_384

interface Item {
  shape: TLShape
  opacity: number
}

export async function drawBoardPicture(
  editor: Editor,
  ids: readonly TLShapeId[],
  options: BoardPictureOptions,
): Promise<PictureResult> {
  try {
    return { ok: true, picture: await draw(editor, ids, options) }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

async function draw(
  editor: Editor,
  ids: readonly TLShapeId[],
  options: BoardPictureOptions,
): Promise<BoardPicture> {
  const included = editor.getShapeAndDescendantIds([...ids])
  // A single frame exported alone is its content on the frame's colour, as toImage does.
  const first = ids.length === 1 ? editor.getShape(ids[0]) : undefined
  const singleFrame = first && editor.isShapeFrameLike(first) ? first : null
  const items: Item[] = editor
    .getRenderingShapes()
    .filter(({ id }) => included.has(id) && id !== singleFrame?.id)
    .sort((a, b) => a.index - b.index)
    .filter(({ shape }) => shape.type !== 'group')
    .map(({ shape, opacity }) => ({ shape, opacity }))

  const box = exportBox(editor, [...included], singleFrame?.id ?? null, options)
  if (!box) throw new Error('Nothing to draw.')
  const wanted = { w: box.w * options.scale, h: box.h * options.scale }
  const fit = Math.min(
    1,
    MAX_SIDE / wanted.w,
    MAX_SIDE / wanted.h,
    Math.sqrt(MAX_AREA / (wanted.w * wanted.h)),
  )
  const scale = options.scale * fit
  const width = Math.floor(box.w * scale)
  const height = Math.floor(box.h * scale)
  if (width <= 0 || height <= 0) throw new Error('Nothing to draw.')

  await loadFonts(editor, included)

  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  // Kept in memory, not on the GPU: the encoder reads every pixel back, and reading a GPU
  // canvas back was most of an export's time in a profile.
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (!ctx) throw new Error('This browser could not make a canvas that large.')
  const theme = themeColors(editor, options.dark)
  if (options.background) {
    ctx.fillStyle = singleFrame
      ? singleFrameBackground(editor, singleFrame, theme)
      : theme.background
    ctx.fillRect(0, 0, width, height)
  }
  const pc: PaintContext = {
    ctx,
    editor,
    dark: options.dark,
    theme,
    themeDef: editor.getCurrentTheme(),
    badges: options.badges,
    scale,
  }

  // A shape no painter draws goes to toImage with everything under it in the tree, so one
  // toImage call never draws a child that a painter draws too.
  const fallback = new Set<TLShapeId>()
  for (const { shape } of items) {
    const parent = editor.getShape(shape.parentId as TLShapeId)
    if (!PAINTERS[shape.type] || (parent && fallback.has(parent.id))) fallback.add(shape.id)
  }
  const byKind = new Map<string, TLShape[]>()
  for (const { shape } of items) {
    if (fallback.has(shape.id) || !PREPARERS[shape.type]) continue
    const list = byKind.get(shape.type) ?? []
    list.push(shape)
    byKind.set(shape.type, list)
  }
  for (const [kind, shapes] of byKind) await PREPARERS[kind]!(shapes, pc)

  let pending: TLShapeId[] = []
  let fellBack = 0
  const flush = async () => {
    if (pending.length === 0) return
    const batch = pending
    pending = []
    fellBack += batch.length
    await compositeFallback(editor, ctx, batch, box, scale, options.dark, width, height)
  }
  for (const { shape, opacity } of items) {
    if (fallback.has(shape.id)) {
      pending.push(shape.id)
      continue
    }
    // tldraw fades a translucent shape as one layer; per-stroke alpha would show the fill
    // through the text, so such a shape is toImage's.
    if (opacity < 1) {
      pending.push(shape.id)
      continue
    }
    await flush()
    ctx.save()
    applyMask(editor, ctx, shape.id, box, scale)
    const m = editor.getShapePageTransform(shape.id)
    ctx.setTransform(scale, 0, 0, scale, -box.x * scale, -box.y * scale)
    ctx.transform(m.a, m.b, m.c, m.d, m.e, m.f)
    // tldraw's export scales a shape with a `scale` prop around its toSvg; painters draw unscaled.
    const shapeScale = 'scale' in shape.props ? Number(shape.props.scale) || 1 : 1
    if (shapeScale !== 1) ctx.scale(shapeScale, shapeScale)
    const painted = PAINTERS[shape.type]!(shape, pc)
    ctx.restore()
    if (!painted) pending.push(shape.id)
  }
  await flush()

  // Our own encoder: Chromium's toBlob would take most of the export (see png-encode.ts).
  const blob = encodeCanvasPng(ctx, width, height)
  canvas.width = 0
  canvas.height = 0
  return { blob, width, height, shrunk: fit < 1, fellBack }
}

/** The frame mask clipping a shape (its ancestors' frames), in page coordinates. */
function applyMask(
  editor: Editor,
  ctx: CanvasRenderingContext2D,
  id: TLShapeId,
  box: PictureBounds,
  scale: number,
) {
  const mask = editor.getShapeMask(id)
  if (!mask || mask.length === 0) return
  ctx.setTransform(scale, 0, 0, scale, -box.x * scale, -box.y * scale)
  ctx.beginPath()
  ctx.moveTo(mask[0].x, mask[0].y)
  for (let i = 1; i < mask.length; i++) ctx.lineTo(mask[i].x, mask[i].y)
  ctx.closePath()
  ctx.clip()
}

/** The area `toImage` would draw: the bounds plus padding, else the shapes' own bounds. */
function exportBox(
  editor: Editor,
  ids: TLShapeId[],
  singleFrame: TLShapeId | null,
  { bounds, padding }: BoardPictureOptions,
): PictureBounds | null {
  if (bounds) {
    return {
      x: bounds.x - padding,
      y: bounds.y - padding,
      w: bounds.w + 2 * padding,
      h: bounds.h + 2 * padding,
    }
  }
  // tldraw's getExportDefaultBounds: masked bounds, a container that holds everything is
  // the picture's edge (no padding), else padding around the union.
  let box: TLBox | null = null
  let boundedByContainer = false
  const order = editor
    .getRenderingShapes()
    .filter(({ id }) => ids.includes(id))
    .map(({ id }) => id)
  for (const id of order) {
    const masked = editor.getShapeMaskedPageBounds(id)
    if (!masked) continue
    const shape = editor.getShape(id)!
    const container = editor.getShapeUtil(shape).isExportBoundsContainer(shape)
    if (box) {
      if (container && containsApprox(masked, box)) {
        boundedByContainer = true
        box = masked.clone()
      } else {
        if (boundedByContainer && !containsApprox(box, masked)) boundedByContainer = false
        box = box.union(masked)
      }
    } else {
      boundedByContainer = container
      box = masked.clone()
    }
  }
  if (!box) return null
  const pad = !singleFrame && !boundedByContainer ? padding : 0
  return { x: box.x - pad, y: box.y - pad, w: box.w + 2 * pad, h: box.h + 2 * pad }
}

function containsApprox(a: TLBox, b: TLBox, precision = 0.01) {
  return (
    a.minX - b.minX <= precision &&
    a.minY - b.minY <= precision &&
    b.maxX - a.maxX <= precision &&
    b.maxY - a.maxY <= precision
  )
}

function singleFrameBackground(editor: Editor, frame: TLShape, theme: PaintContext['theme']) {
  const util = editor.getShapeUtil('frame') as unknown as { options?: { showColors?: boolean } }
  if (util.options?.showColors) {
    const color = (frame.props as { color?: string }).color ?? 'black'
    const entry = (theme as unknown as Record<string, { frameFill?: string } | undefined>)[color]
    return entry?.frameFill ?? theme.solid
  }
  return theme.solid
}

/** Draws `ids` with tldraw's own exporter at the picture's bounds and scale, over `ctx`. */
async function compositeFallback(
  editor: Editor,
  ctx: CanvasRenderingContext2D,
  ids: TLShapeId[],
  box: PictureBounds,
  scale: number,
  dark: boolean,
  width: number,
  height: number,
) {
  // Two entries for one frame, so toImage does not take it for "a frame exported alone".
  const shapeIds = ids.length === 1 ? [ids[0], ids[0]] : ids
  const { blob } = await editor.toImage(shapeIds, {
    format: 'png',
    bounds: boxOf(editor, box),
    padding: 0,
    scale,
    pixelRatio: 1,
    background: false,
    darkMode: dark,
  })
  const bitmap = await createImageBitmap(blob)
  ctx.save()
  ctx.setTransform(1, 0, 0, 1, 0, 0)
  ctx.drawImage(bitmap, 0, 0, width, height)
  ctx.restore()
  bitmap.close()
}

/** tldraw's Box for a plain box, built from one the editor made (no runtime tldraw import). */
function boxOf(editor: Editor, box: PictureBounds): TLBox {
  const any = editor.getViewportPageBounds().clone()
  any.x = box.x
  any.y = box.y
  any.w = box.w
  any.h = box.h
  return any
}
