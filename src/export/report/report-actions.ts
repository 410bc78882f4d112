/**
 * The report's exports, apart from any UI: gathers the outcome from the canvas (its records),
 * the workshop state the server sent (step log, current step, vote results) and the server
 * (snapshots, people count), then writes it as the HTML report, the Markdown zip, the actions
 * CSV or the outcome JSON. The Export dialog and the headless exporter both call `reportFile`.
 */
import type { CanvasHandle } from '../../canvas/handle'
import { boardPagePath, snapshotListSchema, snapshotsPath } from '../../protocol'
import type { FacilitationView, VoteResult } from '../../protocol/facilitation'
import { workshopOutcomeSchema, type WorkshopOutcome } from '../../protocol/workshop-outcome'
import { slugify } from '../../shared/download'
import { callServer } from '../../shared/server-call'
import { readBoardRecords } from '../deck-source'
import type { ExportedFile } from '../exported-file'
import { countParticipants } from '../participants'
import { actionsCsv } from './actions-csv'
import { buildWorkshopOutcome } from './outcome'
import { outcomeJson } from './outcome-json'
import type { ReportFormat } from './report-formats'

export { REPORT_FORMATS, REPORT_FORMAT_LABELS, type ReportFormat } from './report-formats'

/** What the workshop's state says, as the board page holds it. */
export interface WorkshopContext {
  /** The workshop state the server sent (null before it has). */
  view: FacilitationView | null
  /** Ended votes, newest first. */
  votes: readonly VoteResult[]
  /** Now on the server's clock. */
  serverNow(): number
}

export type ReportProgress = (label: string) => void

/** The view-only link of the board this page shows. */
export function viewerLink(roomId: string): string {
  return new URL(boardPagePath(roomId), window.location.origin).toString()
}

export async function gatherOutcome(
  canvas: CanvasHandle,
  workshop: WorkshopContext,
): Promise<WorkshopOutcome> {
  const [participants, snapshots] = await Promise.all([
    countParticipants(canvas.roomId),
    callServer(snapshotsPath(canvas.roomId)).then((body) => snapshotListSchema.parse(body)),
  ])
  const records = readBoardRecords(canvas)
  const outcome = buildWorkshopOutcome({
    board: { id: canvas.roomId, title: records.title, link: viewerLink(canvas.roomId) },
    now: workshop.serverNow(),
    frames: records.frames,
    stickies: records.stickies,
    zones: records.zones,
    agenda: records.agenda,
    shapes: records.shapes,
    stepLog: workshop.view?.stepLog ?? [],
    currentStep: workshop.view?.step ?? null,
    votes: workshop.votes,
    snapshots: snapshots.snapshots,
    participants,
  })
  return workshopOutcomeSchema.parse(outcome)
}

/** The "After:" snapshots' pictures the report shows, by snapshot id. */
async function snapshotPictures(outcome: WorkshopOutcome): Promise<Map<string, Uint8Array>> {
  const pictures = new Map<string, Uint8Array>()
  for (const step of outcome.steps) {
    if (!step.snapshot || pictures.has(step.snapshot.id)) continue
    const response = await fetch(step.snapshot.imageUrl)
    if (!response.ok) {
      throw new Error(`Could not fetch the snapshot “${step.snapshot.title}” (${response.status}).`)
    }
    pictures.set(step.snapshot.id, new Uint8Array(await response.arrayBuffer()))
  }
  return pictures
}

export async function reportFile(
  canvas: CanvasHandle,
  workshop: WorkshopContext,
  format: ReportFormat,
  onProgress: ReportProgress = () => {},
): Promise<ExportedFile & { outcome: WorkshopOutcome }> {
  onProgress('Reading the board')
  const outcome = await gatherOutcome(canvas, workshop)
  const name = slugify(outcome.board.title, 'board')
  if (format === 'json') {
    const blob = new Blob([outcomeJson(outcome)], { type: 'application/json' })
    return { blob, filename: `${name}-outcome.json`, outcome }
  }
  if (format === 'csv') {
    const blob = new Blob([actionsCsv(outcome)], { type: 'text/csv;charset=utf-8' })
    return { blob, filename: `${name}-actions.csv`, outcome }
  }
  onProgress('Fetching the snapshots')
  const pictures = await snapshotPictures(outcome)
  onProgress('Writing the report')
  if (format === 'report') {
    const { reportHtml } = await import('./report-html')
    const blob = new Blob([reportHtml(outcome, pictures)], { type: 'text/html;charset=utf-8' })
    return { blob, filename: `${name}-report.html`, outcome }
  }
  const { reportMarkdownZip } = await import('./report-markdown')
  const bytes = reportMarkdownZip(outcome, pictures)
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' })
  return { blob, filename: `${name}-report.zip`, outcome }
}
