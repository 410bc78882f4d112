/**
 * The exports themselves, apart from any UI: the export dialog runs them with toasts and a
 * download, the headless exporter (`npm run export`) runs them from a script.
 */
import type { CanvasHandle } from '../canvas/board-state'
import { countParticipants } from '../snapshots/client'
import { slugify } from '../shared/download'
import type { ExportedImage, ImageExportOptions } from './image-options'

import type { SlideFormat, SlideProgress } from './slides'

export type { SlideFormat }

export interface ExportedFile {
  blob: Blob
  filename: string
}

export async function exportImageFile(
  canvas: Pick<CanvasHandle, 'exportImage' | 'exportScopes'>,
  options: ImageExportOptions,
  boardTitle: string,
): Promise<ExportedFile & ExportedImage> {
  const image = await canvas.exportImage(options)
  const frame = canvas.exportScopes().frame
  const what =
    options.scope === 'board'
      ? ''
      : options.scope === 'frame'
        ? `-${slugify(frame?.name ?? '', 'frame')}`
        : '-selection'
  const scale = options.scale === 1 ? '' : `@${options.scale}x`
  return { ...image, filename: `${boardFileName(boardTitle)}${what}${scale}.${options.format}` }
}

export async function exportSlidesFile(
  canvas: Pick<CanvasHandle, 'deckSource'>,
  roomId: string,
  format: SlideFormat,
  boardTitle: string,
  onProgress: SlideProgress = () => {},
): Promise<ExportedFile> {
  onProgress(0, 1, 'Reading the board')
  const [participants, { exportSlides }] = await Promise.all([
    countParticipants(roomId),
    // pptxgenjs and jspdf load only when someone exports slides.
    import('./slides'),
  ])
  const source = await canvas.deckSource({ participants, date: new Date() }, onProgress)
  const blob = await exportSlides(source, format, onProgress)
  return { blob, filename: `${boardFileName(boardTitle)}.${format}` }
}

function boardFileName(title: string) {
  return slugify(title, 'board')
}
