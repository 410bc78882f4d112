/**
 * The board page's side of the command-line exporter (`npm run export`): the API it calls in
 * the page, wired to the same export and snapshot actions as the dialogs.
 */
import type { CanvasHandle } from '../canvas/handle'
import type { BoardState } from '../canvas/board-state'
import type { VoteResult } from '../protocol/facilitation'
import { exportImageFile, exportSlidesFile } from '../export/export-actions'
import { installHeadlessApi } from '../export/headless-api'
import type { WorkshopContext } from '../export/report/report-actions'
import { captureSnapshot } from '../snapshots/actions'

export interface HeadlessBoard {
  /** Why the board cannot be shown, if it cannot. */
  problem(): string | null
  state(): BoardState
  canvas(): CanvasHandle | null
  /**
   * The board's ended votes, newest first, once the server has sent them (on joining); null
   * before. The newest one's counts are on the stickies by then, so an image shows them.
   */
  results(): VoteResult[] | null
  /** The workshop state (step log, current step) once the server has sent it; null before. */
  workshop(): WorkshopContext | null
  facilitatorSecret: string | undefined
}

/** Puts the API on `window` while the page is open; returns its removal. */
export function installBoardHeadlessApi(board: HeadlessBoard): () => void {
  const ready = (): CanvasHandle => {
    const canvas = board.canvas()
    if (!canvas) throw new Error('The board has not finished loading yet.')
    return canvas
  }
  return installHeadlessApi({
    status() {
      const problem = board.problem()
      if (problem) return { kind: 'failed', reason: problem }
      const canvas = board.canvas()
      const results = board.results()
      const connected = board.state().connection.kind === 'connected'
      if (!connected || !canvas || !results || !board.workshop()) {
        return { kind: 'loading' }
      }
      const shapes = canvas.editor.getCurrentPageShapeIds().size
      return { kind: 'ready', title: board.state().title, shapes, votes: results.length }
    },
    image: async (options) => exportImageFile(ready(), options, board.state().title),
    noteLines: async (id) => {
      const { noteLabelLines } = await import('../export/canvas-picture/paint-note')
      return noteLabelLines(ready().editor, id)
    },
    slides: async (format) =>
      exportSlidesFile(ready(), format, board.state().title, {
        votes: board.results() ?? [],
        workshop: board.workshop() ?? undefined,
      }),
    report: async (format) => {
      const workshop = board.workshop()
      if (!workshop) throw new Error('The workshop state has not arrived yet.')
      // Loaded with the first report, not with the board page.
      const { reportFile } = await import('../export/report/report-actions')
      return reportFile(ready(), workshop, format)
    },
    snapshot: async (title) =>
      captureSnapshot({ canvas: ready(), facilitatorSecret: board.facilitatorSecret }, title),
  })
}
