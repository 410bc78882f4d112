/**
 * Which painter draws which shape kind in the fast image path. A kind missing here (or a
 * painter returning false) is drawn by tldraw's `toImage` instead, so adding a painter can
 * only make an export faster, never drop a shape. One line per kind, each painter in its own
 * `paint-<kind>.ts`.
 */
import type { TLNoteShape, TLShape } from 'tldraw'
import type { PaintContext, Painter } from './paint-context'
import { paintNote, prepareNotes } from './paint-note'
import { loadCanvasRuntime } from './canvas-runtime'
import { paintArrow } from './paint-arrow'
import { paintDraw } from './paint-draw'
import { paintFrame } from './paint-frame'
import { paintGeo } from './paint-geo'
import { paintImage, prepareImages } from './paint-image'
import { paintLine } from './paint-line'
import { paintText } from './paint-text'

export const PAINTERS: Partial<Record<string, Painter>> = {
  note: paintNote as Painter,
  geo: paintGeo as Painter,
  frame: paintFrame as Painter,
  text: paintText as Painter,
  line: paintLine as Painter,
  arrow: paintArrow as Painter,
  draw: paintDraw as Painter,
  highlight: paintDraw as Painter,
  image: paintImage as Painter,
}

/**
 * Work a kind needs done for all its shapes before any is painted (painters are synchronous):
 * laying every label out in one layout of the page, decoding images.
 */
export const PREPARERS: Partial<
  Record<string, (shapes: readonly TLShape[], pc: PaintContext) => Promise<void>>
> = {
  note: async (shapes, pc) => {
    await loadCanvasRuntime()
    await prepareNotes(shapes as TLNoteShape[], pc)
  },
  // The shape painters replay tldraw's own SVG through the canvas's helpers, loaded here.
  geo: loadCanvasRuntime,
  frame: loadCanvasRuntime,
  text: loadCanvasRuntime,
  line: loadCanvasRuntime,
  arrow: loadCanvasRuntime,
  draw: loadCanvasRuntime,
  highlight: loadCanvasRuntime,
  image: prepareImages,
}
