/**
 * A report export as the person at the board sees it: a toast that says what is happening,
 * then the download, or what failed. The Export dialog's Report choices and the shortcut
 * (Alt+Shift+W, the HTML report) both run this.
 */
import { toast } from 'svelte-sonner'
import type { CanvasHandle } from '../../canvas/handle'
import { downloadBlob, formatBytes } from '../../shared/download'
import { errorMessage } from '../../shared/error-message'
import {
  REPORT_FORMAT_LABELS,
  reportFile,
  type ReportFormat,
  type WorkshopContext,
} from './report-actions'

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

export async function exportReport(
  canvas: CanvasHandle,
  workshop: WorkshopContext,
  format: ReportFormat,
): Promise<void> {
  const kind = REPORT_FORMAT_LABELS[format]
  const id = toast.loading(`Making the ${kind}…`)
  try {
    const file = await reportFile(canvas, workshop, format, (label) =>
      toast.loading(`Making the ${kind}…`, { id, description: label }),
    )
    downloadBlob(file.blob, file.filename)
    const { decisions, actions } = file.outcome
    const what =
      format === 'csv'
        ? plural(actions.length, 'action')
        : `${plural(decisions.length, 'decision')}, ${plural(actions.length, 'action')}`
    toast.success(`Downloaded ${file.filename}`, {
      id,
      description: `${what}, ${formatBytes(file.blob.size)}.`,
    })
  } catch (error) {
    toast.error(`Could not make the ${kind}`, { id, description: errorMessage(error) })
  }
}
