/**
 * The exports themselves, apart from any UI: the export dialog runs them with toasts and a
 * download, the headless exporter (`npm run export`) runs them from a script.
 */
import type { CanvasHandle } from '../canvas/handle'
import type { ExportedFile } from './exported-file'
import type { WorkshopContext } from './report/report-actions'
import type { VoteResult } from '../protocol/facilitation'
import { countParticipants } from './participants'
import { slugify } from '../shared/download'
import type { ExportedImage, ImageExportOptions } from './image-options'

import type { SlideFormat, SlideProgress } from './slides'

export type { SlideFormat }

export type { ExportedFile }

export async function exportImageFile(
  canvas: CanvasHandle,
  options: ImageExportOptions,
  boardTitle: string,
): Promise<ExportedFile & ExportedImage> {
  // Loaded with the first export, not with the board page.
  const { exportImage, exportScopes } = await import('./export-image')
  const image = await exportImage(canvas.editor, options, canvas.noteBadges())
  const frame = exportScopes(canvas.editor).frame
  const what =
    options.scope === 'board'
      ? ''
      : options.scope === 'frame'
        ? `-${slugify(frame?.name ?? '', 'frame')}`
        : '-selection'
  const scale = options.scale === 1 ? '' : `@${options.scale}x`
  return { ...image, filename: `${boardFileName(boardTitle)}${what}${scale}.${options.format}` }
}

export interface SlidesFileOptions {
  /** The board's ended votes, newest first: a "Vote: <title>" slide each. */
  votes: readonly VoteResult[]
  /**
   * The workshop as the page holds it: with it the deck ends with the outcome's "Decisions"
   * and "Actions" slides (src/export/report).
   */
  workshop?: WorkshopContext
  onProgress?: SlideProgress
}

export async function exportSlidesFile(
  canvas: CanvasHandle,
  format: SlideFormat,
  boardTitle: string,
  { votes, workshop, onProgress = () => {} }: SlidesFileOptions,
): Promise<ExportedFile> {
  onProgress(0, 1, 'Reading the board')
  const [participants, { exportSlides }, { collectDeckSource }, outcome] = await Promise.all([
    countParticipants(canvas.roomId),
    // pptxgenjs and jspdf, and reading the board for slides, load only when a deck is made.
    import('./slides'),
    import('./deck-source'),
    workshop
      ? import('./report/report-actions').then(({ gatherOutcome }) =>
          gatherOutcome(canvas, workshop),
        )
      : null,
  ])
  const source = await collectDeckSource(
    canvas,
    { participants, date: new Date(), votes },
    onProgress,
  )
  const blob = await exportSlides({ ...source, outcome }, format, onProgress)
  return { blob, filename: `${boardFileName(boardTitle)}.${format}` }
}

function boardFileName(title: string) {
  return slugify(title, 'board')
}
