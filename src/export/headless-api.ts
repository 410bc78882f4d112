/**
 * What the command-line exporter (`npm run export`) calls in the page it opens. Files cross
 * into Node as base64, the one form `page.evaluate` carries intact.
 */
import type { SnapshotSummary } from '../protocol'
import type { ExportedFile, SlideFormat } from './export-actions'
import type { ImageExportOptions } from './image-options'
import type { ReportFormat } from './report/report-actions'

export interface EncodedFile {
  filename: string
  mimeType: string
  base64: string
}

export interface BoardReady {
  title: string
  shapes: number
  /** Ended votes the board keeps; the newest one's counts are on the stickies. */
  votes: number
}

export interface HeadlessExportApi {
  /**
   * Resolves once the board is loaded and drawn, its vote results are in (the newest one's
   * counts on the stickies) and so is the workshop state (the report's step log); rejects with
   * why it cannot be.
   */
  ready(): Promise<BoardReady>
  /**
   * A PNG or SVG of the board. A PNG is drawn by the fast canvas path unless `options.engine`
   * is `'tldraw'` (tldraw's own `editor.toImage`): both in one page, for the benchmark and
   * the pixel test.
   */
  image(options: ImageExportOptions): Promise<EncodedFile>
  /**
   * The lines the fast path breaks a sticky's label into, each its words joined by spaces
   * (what the line-break test holds against the board's own label).
   */
  noteLines(id: string): Promise<string[]>
  slides(format: SlideFormat): Promise<EncodedFile>
  /** The workshop report (HTML), its Markdown zip, the actions CSV or the outcome JSON. */
  report(format: ReportFormat): Promise<EncodedFile>
  /** Needs the facilitator link. */
  snapshot(title?: string): Promise<SnapshotSummary>
}

declare global {
  interface Window {
    switchbackExport?: HeadlessExportApi
  }
}

export interface HeadlessExportParts {
  /** The board's state now: loading, ready, or failed with a reason. */
  status():
    { kind: 'loading' } | ({ kind: 'ready' } & BoardReady) | { kind: 'failed'; reason: string }
  image(options: ImageExportOptions): Promise<ExportedFile>
  noteLines(id: string): Promise<string[]>
  slides(format: SlideFormat): Promise<ExportedFile>
  report(format: ReportFormat): Promise<ExportedFile>
  snapshot(title: string): Promise<SnapshotSummary>
}

/** Puts the API on `window` for as long as the board page is open; returns its removal. */
export function installHeadlessApi(parts: HeadlessExportParts): () => void {
  window.switchbackExport = {
    async ready() {
      for (;;) {
        const status = parts.status()
        if (status.kind === 'ready') {
          return { title: status.title, shapes: status.shapes, votes: status.votes }
        }
        if (status.kind === 'failed') throw new Error(status.reason)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
    async image(options) {
      return encode(await parts.image(options))
    },
    noteLines(id) {
      return parts.noteLines(id)
    },
    async slides(format) {
      return encode(await parts.slides(format))
    },
    async report(format) {
      return encode(await parts.report(format))
    },
    snapshot(title) {
      return parts.snapshot(title ?? `Exported ${new Date().toISOString().slice(0, 16)}`)
    },
  }
  return () => {
    delete window.switchbackExport
  }
}

async function encode(file: ExportedFile): Promise<EncodedFile> {
  const dataUrl = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(reader.result as string)
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the exported file.'))
    reader.readAsDataURL(file.blob)
  })
  return {
    filename: file.filename,
    mimeType: file.blob.type,
    base64: dataUrl.slice(dataUrl.indexOf(',') + 1),
  }
}
