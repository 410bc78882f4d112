/**
 * Images of the board. A PNG is drawn by our fast image path (`canvas-picture/`: shapes
 * painted straight onto a canvas, tldraw's `toImage` only for what no painter draws); an SVG,
 * or a PNG asked of `engine: 'tldraw'`, by tldraw's own exporter (`editor.toImage`), which
 * embeds the fonts and icons that a DOM screenshot would lose.
 */
import type { Editor, TLFrameShape, TLShapeId } from 'tldraw'
import type { NoteBadges } from '../canvas/note-badges'
import { drawBoardPicture } from './canvas-picture/draw-board'
import { frameContent } from './frame-content'
import {
  PADDING,
  type ExportedImage,
  type ExportScopes,
  type ImageExportOptions,
} from './image-options'

export function exportScopes(editor: Editor): ExportScopes {
  const frame = currentFrame(editor)
  return {
    board: editor.getCurrentPageShapeIds().size,
    frame: frame ? { id: frame.id, name: frame.props.name || 'Frame' } : null,
    selection: editor.getSelectedShapeIds().length,
  }
}

const NO_MARKS: NoteBadges = { results: {}, mine: {}, hidden: {}, inVote: null }

export async function exportImage(
  editor: Editor,
  options: ImageExportOptions,
  badges: NoteBadges = NO_MARKS,
): Promise<ExportedImage> {
  const { ids, what } = shapesInScope(editor, options.scope)
  if (ids.length === 0) throw new Error(`Nothing to export: ${what}.`)
  const framed = options.scope === 'frame'
  // A frame is cut out exactly, whatever of the shapes over it reaches past its edges.
  const bounds = framed ? editor.getShapePageBounds(ids[0]) : editor.getShapesPageBounds(ids)
  const padding = framed ? 0 : PADDING
  if (options.format === 'png' && options.engine !== 'tldraw') {
    const drawn = await drawBoardPicture(editor, ids, {
      ...(framed && bounds ? { bounds } : {}),
      scale: options.scale,
      background: options.background === 'white',
      dark: options.dark,
      padding,
      badges,
    })
    if (!drawn.ok) throw new Error(drawn.error)
    const { blob, width, height, shrunk } = drawn.picture
    return { blob, width, height, shrunk }
  }
  const image = await editor.toImage(ids, {
    ...(framed && bounds ? { bounds } : {}),
    format: options.format,
    scale: options.scale,
    // One image pixel per scaled board unit, so "2x" means twice the board's size, not 4x.
    pixelRatio: 1,
    background: options.background === 'white',
    darkMode: options.dark,
    padding,
  })
  const expectedWidth = bounds ? Math.round((bounds.w + 2 * padding) * options.scale) : 0
  return { ...image, shrunk: options.format === 'png' && image.width < expectedWidth - 2 }
}

function shapesInScope(editor: Editor, scope: ImageExportOptions['scope']) {
  switch (scope) {
    case 'board':
      return { ids: [...editor.getCurrentPageShapeIds()], what: 'the board is empty' }
    case 'selection':
      return { ids: editor.getSelectedShapeIds(), what: 'nothing is selected' }
    case 'frame': {
      const frame = currentFrame(editor)
      return {
        ids: frame ? frameContent(editor, frame) : ([] as TLShapeId[]),
        what: 'there is no frame on screen',
      }
    }
  }
}

/**
 * The frame a facilitator means by "this frame": the selected one, the one holding the
 * selection, else the one that fills most of the screen.
 */
function currentFrame(editor: Editor) {
  const [first] = editor.getSelectedShapes()
  if (first) {
    const frame =
      first.type === 'frame'
        ? first
        : editor.findShapeAncestor(first, (ancestor) => ancestor.type === 'frame')
    if (frame?.type === 'frame') return frame
  }
  const viewport = editor.getViewportPageBounds()
  let best: { frame: TLFrameShape; area: number } | null = null
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.type !== 'frame') continue
    const bounds = editor.getShapePageBounds(shape)
    if (!bounds) continue
    const w = Math.min(bounds.maxX, viewport.maxX) - Math.max(bounds.minX, viewport.minX)
    const h = Math.min(bounds.maxY, viewport.maxY) - Math.max(bounds.minY, viewport.minY)
    const area = w > 0 && h > 0 ? w * h : 0
    if (area > 0 && (!best || area > best.area)) best = { frame: shape as TLFrameShape, area }
  }
  return best?.frame ?? null
}
