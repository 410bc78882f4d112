/**
 * tldraw's image shapes: the asset's picture, decoded before painting (`prepareImages`, since
 * painters are synchronous), drawn in the shape's box the way the export's SVG `<image>` fits
 * it (centred, aspect kept). Cropped, flipped or animated images, and assets that do not
 * decode, fall back to `toImage`.
 */
import type { TLImageAsset, TLImageShape, TLShape } from 'tldraw'
import type { PaintContext, Painter } from './paint-context'

/** Decoded pictures by source; a failed decode is remembered as null. */
const decoded = new Map<string, HTMLImageElement | null>()

function sourceOf(shape: TLImageShape, pc: PaintContext): string | null {
  const { assetId, crop, flipX, flipY } = shape.props
  if (!assetId || flipX || flipY) return null
  if (
    crop &&
    (crop.topLeft.x !== 0 ||
      crop.topLeft.y !== 0 ||
      crop.bottomRight.x !== 1 ||
      crop.bottomRight.y !== 1 ||
      crop.isCircle)
  ) {
    return null
  }
  const asset = pc.editor.getAsset(assetId) as TLImageAsset | undefined
  if (asset?.type !== 'image' || asset.props.isAnimated || !asset.props.src) return null
  return asset.props.src
}

/** Decodes every image the export paints, once. */
export async function prepareImages(shapes: readonly TLShape[], pc: PaintContext) {
  const sources = new Set<string>()
  for (const shape of shapes) {
    const src = sourceOf(shape as TLImageShape, pc)
    if (src !== null && !decoded.has(src)) sources.add(src)
  }
  await Promise.all(
    [...sources].map(async (src) => {
      const img = new Image()
      img.decoding = 'async'
      img.src = src
      try {
        await img.decode()
        decoded.set(src, img)
      } catch {
        decoded.set(src, null)
      }
    }),
  )
}

export const paintImage: Painter<TLImageShape> = (shape, pc) => {
  const src = sourceOf(shape, pc)
  const img = src === null ? null : decoded.get(src)
  if (!img || img.naturalWidth === 0 || img.naturalHeight === 0) return false
  const { w, h } = shape.props
  // SVG's default `preserveAspectRatio="xMidYMid meet"`.
  const fit = Math.min(w / img.naturalWidth, h / img.naturalHeight)
  const dw = img.naturalWidth * fit
  const dh = img.naturalHeight * fit
  pc.ctx.drawImage(img, (w - dw) / 2, (h - dh) / 2, dw, dh)
  return true
}
