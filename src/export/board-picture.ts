/**
 * The one way a deck's frame pictures and a snapshot's board picture are drawn: a PNG of some
 * shapes, so both get whatever the image path does best. Today that is tldraw's own
 * `editor.toImage`; the fast canvas path (canvas-picture/draw-board.ts) takes its place here.
 */
import type { Box, Editor, TLShapeId } from 'tldraw'

export interface BoardPictureOptions {
  /** The page area to draw, cut exactly (a frame); by default the shapes' own bounds. */
  bounds?: Box
  /** Image pixels per page unit. */
  scale: number
  /** Page units of room around the area. */
  padding?: number
  /** The theme's background behind the shapes, else transparent. */
  background?: boolean
  dark?: boolean
}

export interface BoardPicture {
  blob: Blob
  width: number
  height: number
  /** The browser's largest canvas could not hold it at `scale`: it was drawn smaller. */
  shrunk: boolean
}

/** A PNG of `ids` (and what is inside them); throws with what went wrong. */
export async function boardPicture(
  editor: Editor,
  ids: TLShapeId[],
  { bounds, scale, padding = 0, background = true, dark = false }: BoardPictureOptions,
): Promise<BoardPicture> {
  const area = bounds ?? editor.getShapesPageBounds(ids)
  const image = await editor.toImage(ids, {
    ...(bounds ? { bounds } : {}),
    format: 'png',
    scale,
    // One image pixel per scaled page unit.
    pixelRatio: 1,
    background,
    darkMode: dark,
    padding,
  })
  const expected = area ? Math.round((area.w + 2 * padding) * scale) : 0
  return { ...image, shrunk: image.width < expected - 2 }
}
