/**
 * The one way a deck's frame pictures and a snapshot's board picture are drawn: a PNG of some
 * shapes through the fast image path (canvas-picture/draw-board.ts: our shapes painted
 * straight onto a canvas, tldraw's `toImage` only for what no painter draws), so decks and
 * "After: step" snapshots are as fast as a PNG export and show the same marks.
 */
import type { Box, Editor, TLShapeId } from 'tldraw'
import type { NoteBadges } from '../canvas/note-badges'
import { drawBoardPicture } from './canvas-picture/draw-board'

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
  /** The marks on stickies the board shows (vote results...): the picture shows them too. */
  badges?: NoteBadges
}

export interface BoardPicture {
  blob: Blob
  width: number
  height: number
  /** The browser's largest canvas could not hold it at `scale`: it was drawn smaller. */
  shrunk: boolean
}

const NO_MARKS: NoteBadges = { results: {}, mine: {}, hidden: {}, inVote: null }

/** A PNG of `ids` (and what is inside them); throws with what went wrong. */
export async function boardPicture(
  editor: Editor,
  ids: TLShapeId[],
  {
    bounds,
    scale,
    padding = 0,
    background = true,
    dark = false,
    badges = NO_MARKS,
  }: BoardPictureOptions,
): Promise<BoardPicture> {
  const drawn = await drawBoardPicture(editor, ids, {
    ...(bounds ? { bounds } : {}),
    scale,
    padding,
    background,
    dark,
    badges,
  })
  if (!drawn.ok) throw new Error(drawn.error)
  const { blob, width, height, shrunk } = drawn.picture
  return { blob, width, height, shrunk }
}
