/**
 * "Export slides" on the editor side: reads the current page into a `DeckSource` (plain
 * data, see src/export/deck.ts), with each frame drawn by tldraw's own renderer, which embeds
 * its fonts. Everything about order, grouping and layout happens in `buildDeck`.
 *
 * Frames are the outermost ones: a frame inside another frame is part of that frame's picture,
 * not a slide of its own.
 */
import { errorMessage } from '../shared/error-message'
import type { Box as TldrawBox, TLFrameShape, TLGeoShape, TLShape, TLShapeId } from 'tldraw'
import type { CanvasHandle } from '../canvas/handle'
import type { VoteResult } from '../protocol/facilitation'
import type { DeckImage, DeckSource, DeckSticky, DeckZone } from './deck'
import { readAgenda } from '../board/agenda'
import { boardPicture } from './board-picture'
import { frameContent } from './frame-content'
import { NOTE_SIZE, type Box } from '../board/geometry'
import { isBackground, readShapeMeta } from '../board/shape-meta'

export interface DeckInfo {
  /** How many people took part; null when unknown. */
  participants: number | null
  date: Date
  /** The board's ended votes, newest first (they are kept by the server, not in the records). */
  votes?: readonly VoteResult[]
}

export type DeckSourceProgress = (done: number, total: number, label: string) => void

/** Frame pictures are at most this wide, and at most twice their size on the board. */
const MAX_IMAGE_WIDTH = 2400
const MAX_SCALE = 2

/** A sticky as the board holds it: what the deck shows, and what the report reads of it. */
export interface BoardSticky extends DeckSticky {
  /** tldraw's colour name (`yellow`, `light-blue`). */
  colorName: string
  /** tldraw's fractional index among its siblings (the highest is drawn on top). */
  index: string
  meta: unknown
}

export interface BoardZone extends DeckZone {
  meta: unknown
}

/** The current page read as plain data: its outermost frames, stickies, zones, agenda. */
export interface BoardRecords {
  title: string
  frames: { id: string; name: string; bounds: Box }[]
  stickies: BoardSticky[]
  zones: BoardZone[]
  agenda: DeckSource['agenda']
  /** The shapes that agenda steps focus on, by shape id (missing: not on this page). */
  shapes: DeckSource['shapes']
}

/** Reads the current page without drawing anything (the deck draws its frames after). */
export function readBoardRecords(canvas: CanvasHandle): BoardRecords {
  const { editor, plainText: text, colorValue } = canvas
  const shapes = editor.getCurrentPageShapes()
  const outermostFrame = (shape: TLShape): TLShapeId | null =>
    editor.getShapeAncestors(shape).find((a) => a.type === 'frame')?.id ?? null
  const boxOf = (shape: TLShape): Box | null => {
    const b = editor.getShapePageBounds(shape)
    return b ? { x: b.x, y: b.y, w: b.w, h: b.h } : null
  }

  const frames: BoardRecords['frames'] = []
  const stickies: BoardSticky[] = []
  const zones: BoardZone[] = []
  for (const shape of shapes) {
    const bounds = boxOf(shape)
    if (!bounds) continue
    if (shape.type === 'frame' && outermostFrame(shape) === null) {
      frames.push({ id: shape.id, name: (shape as TLFrameShape).props.name.trim(), bounds })
    } else if (shape.type === 'note') {
      stickies.push({
        id: shape.id,
        text: text(shape.props.richText),
        color: colorValue(shape.props.color, 'noteFill'),
        colorName: shape.props.color,
        index: shape.index,
        meta: shape.meta,
        bounds,
        frameId: outermostFrame(shape),
        background: isBackground(shape),
      })
    } else if (shape.type === 'geo' && isZone(shape, bounds, text(shape.props.richText))) {
      zones.push({
        id: shape.id,
        label: text(shape.props.richText),
        color: colorValue(shape.props.color, 'solid'),
        meta: shape.meta,
        bounds,
        frameId: outermostFrame(shape),
      })
    }
  }

  const agenda = readAgenda(editor.getDocumentSettings().meta)
  const focused: DeckSource['shapes'] = {}
  for (const step of agenda.flatMap((section) => section.steps)) {
    const shape = step.focus ? editor.getShape(step.focus as TLShapeId) : undefined
    const bounds = shape && boxOf(shape)
    if (!shape || !bounds || editor.getAncestorPageId(shape) !== editor.getCurrentPageId()) {
      continue
    }
    focused[shape.id] = {
      bounds,
      frameIds: editor
        .getShapeAncestors(shape)
        .filter((a) => a.type === 'frame')
        .map((a) => a.id as string)
        .reverse(),
    }
  }

  return {
    title: editor.getDocumentSettings().name.trim() || 'Untitled workshop',
    frames,
    stickies,
    zones,
    agenda,
    shapes: focused,
  }
}

export async function collectDeckSource(
  canvas: CanvasHandle,
  info: DeckInfo,
  onProgress: DeckSourceProgress = () => {},
): Promise<DeckSource> {
  const { editor } = canvas
  const records = readBoardRecords(canvas)
  const deckFrames: DeckSource['frames'] = []
  for (const [i, { id, name: own, bounds }] of records.frames.entries()) {
    const frame = editor.getShape(id as TLShapeId) as TLFrameShape | undefined
    const name = own || 'Frame'
    onProgress(i, records.frames.length, `Drawing the frame “${name}”`)
    const pageBounds = frame && editor.getShapePageBounds(frame)
    if (!frame || !pageBounds) continue
    try {
      const image = await draw(canvas, frameContent(editor, frame), pageBounds, 0, true)
      deckFrames.push({ id, name, bounds, image })
    } catch (error) {
      throw new Error(`Could not render the frame “${name}”: ${errorMessage(error)}`, {
        cause: error,
      })
    }
  }

  let page: DeckImage | null = null
  if (records.frames.length === 0) {
    const ids = [...editor.getCurrentPageShapeIds()]
    const bounds = editor.getCurrentPageBounds()
    if (ids.length > 0 && bounds) {
      onProgress(0, 1, 'Drawing the board')
      try {
        page = await draw(canvas, ids, bounds, 32)
      } catch (error) {
        throw new Error(`Could not render the board: ${errorMessage(error)}`, { cause: error })
      }
    }
  }
  onProgress(1, 1, 'Reading the stickies')

  return {
    title: records.title,
    date: info.date,
    participants: info.participants,
    frames: deckFrames,
    page,
    stickies: records.stickies,
    zones: records.zones,
    agenda: records.agenda,
    shapes: records.shapes,
    votes: [...(info.votes ?? [])],
  }
}

/**
 * A zone groups the stickies on it: a shape with a zone rule, or a labelled rectangle or
 * ellipse that can hold a sticky (a template's "Went well" counts nothing, but is one).
 */
function isZone(shape: TLGeoShape, bounds: Box, label: string): boolean {
  if (readShapeMeta(shape).zone) return true
  const { geo } = shape.props
  return (
    (geo === 'rectangle' || geo === 'ellipse') &&
    label !== '' &&
    bounds.w >= NOTE_SIZE &&
    bounds.h >= NOTE_SIZE
  )
}

/**
 * A PNG of the shapes, drawn as the board shows them in light mode, at most 2,400 px wide; `exact` cuts it
 * to `bounds` (a frame), whatever of the shapes over it reaches past.
 */
async function draw(
  { editor, noteBadges }: CanvasHandle,
  ids: TLShapeId[],
  bounds: TldrawBox,
  padding = 0,
  exact = false,
) {
  const scale = Math.min(MAX_SCALE, MAX_IMAGE_WIDTH / (bounds.w + 2 * padding))
  const { blob, width, height } = await boardPicture(editor, ids, {
    ...(exact ? { bounds } : {}),
    scale,
    padding,
    background: true,
    dark: false,
    badges: noteBadges(),
  })
  return { src: blob, width, height }
}
