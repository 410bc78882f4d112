/**
 * A sticky's geometry without measuring its text on load. tldraw's note geometry is the note's
 * rectangle (its stored size: 200 wide, 200 + `growY` high, times `scale`) and its label's
 * rectangle, and tldraw measures every label in the DOM to build it (TipTap renders the rich
 * text to HTML, then the browser lays it out, up to 50 times to fit the font). The editor asks
 * for every shape's geometry when it first builds its shape index, so a board of 2,000
 * stickies paid 2,000 text measurements before its first paint.
 *
 * Here the note's rectangle comes from the stored size at once, and the label's rectangle is
 * tldraw's own, measured the first time something asks for it (hovering, clicking or editing
 * that note). The label is excluded from the shape's bounds, as in tldraw, so bounds, culling,
 * selection boxes and arrow bindings never need it.
 */
import { Geometry2d, Group2d, Rectangle2d, type Geometry2dFilters, type VecLike } from 'tldraw'

/** The note's geometry: `width` × `height` filled, with the label measured on demand. */
export function noteGeometry(width: number, height: number, measured: () => Geometry2d): Group2d {
  return new Group2d({
    children: [
      new Rectangle2d({ width, height, isFilled: true }),
      new LazyLabel2d(() => labelOf(measured())),
    ],
  })
}

/** The label among the children of tldraw's own note geometry. */
function labelOf(geometry: Geometry2d): Geometry2d {
  const children = geometry instanceof Group2d ? geometry.children : [geometry]
  const label = children.find((child) => child.isLabel)
  // A note always has a label rectangle in tldraw 5.4; an empty one if that ever changes.
  return label ?? new Rectangle2d({ width: 0, height: 0, isFilled: true, isLabel: true })
}

/** A label rectangle that asks for its real shape only when first used. */
class LazyLabel2d extends Geometry2d {
  private rect: Geometry2d | null = null

  constructor(private readonly measure: () => Geometry2d) {
    super({ isFilled: true, isClosed: true, isLabel: true, excludeFromShapeBounds: true })
  }

  private get real(): Geometry2d {
    return (this.rect ??= this.measure())
  }

  override getVertices(filters: Geometry2dFilters) {
    return this.real.getVertices(filters)
  }

  override nearestPoint(point: VecLike, filters?: Geometry2dFilters) {
    return this.real.nearestPoint(point, filters)
  }

  override getBounds() {
    return this.real.getBounds()
  }

  override getSvgPathData(first: boolean) {
    return this.real.getSvgPathData(first)
  }
}
