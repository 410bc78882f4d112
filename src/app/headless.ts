/**
 * The board page's side of the command-line exporter (`npm run export`): the API it calls in
 * the page, wired to the same export and snapshot actions as the dialogs.
 */
import type { CanvasHandle } from '../canvas/handle'
import type { BoardState } from '../canvas/board-state'
import { exportImageFile, exportSlidesFile } from '../export/export-actions'
import { installHeadlessApi } from '../export/headless-api'
import { captureSnapshot } from '../snapshots/actions'

export interface HeadlessBoard {
  /** Why the board cannot be shown, if it cannot. */
  problem(): string | null
  state(): BoardState
  canvas(): CanvasHandle | null
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
      if (board.state().connection.kind !== 'connected' || !canvas) return { kind: 'loading' }
      const shapes = canvas.editor.getCurrentPageShapeIds().size
      return { kind: 'ready', title: board.state().title, shapes }
    },
    image: async (options) => exportImageFile(ready(), options, board.state().title),
    slides: async (format) => exportSlidesFile(ready(), format, board.state().title),
    snapshot: async (title) =>
      captureSnapshot({ canvas: ready(), facilitatorSecret: board.facilitatorSecret }, title),
  })
}
