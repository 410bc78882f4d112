/**
 * What the sync benchmark's main thread and its worker threads agree on: who connects where,
 * the timetable of one run (absolute times, so every thread reads it on the same clock), and
 * what a worker reports back. Times are `now()`: performance.timeOrigin + performance.now(),
 * milliseconds since the epoch with sub-millisecond precision, comparable across threads.
 */
import type { HistogramData } from './histogram'

export const now = () => performance.timeOrigin + performance.now()

/**
 * How a client behaves. `tldraw`: as tldraw's own client (and an old Switchback tab) does,
 * its whole presence pushed 30 times a second with cursor, camera, screen bounds and activity
 * time changing, each push answered by a push_result. `lane`: as the new client does, its slow
 * presence pushed once and a `cursor` frame at most every 50 ms; ticks arrive as custom messages.
 */
export type ClientKind = 'tldraw' | 'lane'
export type ClientRole = 'editor' | 'participant' | 'viewer'

/** Where one client connects: a ready URL, or a board whose tickets it trades a secret for. */
export type Door =
  | { kind: 'url'; url: string }
  | { kind: 'ticket'; httpBase: string; roomId: string; secret: string }
  | { kind: 'viewer'; httpBase: string; roomId: string }

export interface ClientSpec {
  index: number
  role: ClientRole
  kind: ClientKind
  door: Door
}

/**
 * One run's timetable. Quiet phase: `quietEdits` edits, one every `editEveryMs` from
 * `quietStart`, nobody's cursor moving (what an edit costs by itself). Moving phase: every
 * participant's cursor moves from `moveStart` to `measureEnd`, edits go on at the same pace;
 * what arrives from `measureStart` on is measured (the rest warms up).
 */
export interface Plan {
  /** Times in cursors and shapes are encoded as ms since this (small numbers, in bounds). */
  epoch: number
  editEveryMs: number
  quietStart: number
  quietEdits: number
  moveStart: number
  measureStart: number
  measureEnd: number
  /** An edit not at a receiver this long after it was sent counts as missing. */
  deliveryTimeoutMs: number
}

export type EditPhase = 'quiet' | 'warm-up' | 'measured'

/** Every edit of a run: its number (in the shape's id), when it is due, and its phase. */
export function editSchedule(plan: Plan): { seq: number; at: number; phase: EditPhase }[] {
  const edits: { seq: number; at: number; phase: EditPhase }[] = []
  for (let i = 0; i < plan.quietEdits; i++) {
    edits.push({ seq: i, at: plan.quietStart + i * plan.editEveryMs, phase: 'quiet' })
  }
  for (let at = plan.moveStart; at < plan.measureEnd; at += plan.editEveryMs) {
    const phase = at >= plan.measureStart ? 'measured' : 'warm-up'
    edits.push({ seq: edits.length, at, phase })
  }
  return edits
}

/** The id of edit `seq`'s shape. */
export const shapeIdOf = (seq: number) => `shape:bench${seq}`
export const SHAPE_PREFIX = 'shape:bench'

/** main -> worker */
export type ToWorker =
  | { type: 'connect'; clients: ClientSpec[] }
  | { type: 'start'; plan: Plan }
  | { type: 'report' }
  | { type: 'close' }

/** What one worker saw in one run. */
export interface WorkerReport {
  clients: number
  /** Edit delivery times (send to arrival) at participants, by phase, and at viewers. */
  quietEdits: HistogramData
  movingEdits: HistogramData
  viewerEdits: HistogramData
  /** (receiver, edit) pairs of the quiet and measured phases not delivered within the timeout. */
  missing: { quiet: number; measured: number; viewers: number }
  expected: { quiet: number; measured: number; viewers: number }
  /** Cursor updates participants received in the measured window, and their age on arrival. */
  cursorUpdates: number
  cursorReceivers: number
  staleness: HistogramData
  /** Pushes sent and answered (push_result), and answers out of order. */
  pushes: { sent: number; answered: number; outOfOrder: number }
  cursorFrames: number
  /** Why sockets closed during the run (code and reason), with counts. */
  closes: Record<string, number>
  /** The crowd mode of the last tick each participant got, with counts ("none seen": no tick). */
  modes: Record<string, number>
  /** The latest workshop view's `cursors` part one of this worker's clients got, as JSON. */
  workshopCursors: string | null
  /** This thread's CPU seconds over the measured window, and the window it really measured. */
  cpuSeconds: number
  cpuWindowMs: number
  /** Event-loop delay over the measured window (ms): how late this thread ran its timers. */
  loopDelay: { p99: number; max: number }
}

/** worker -> main */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'connected'; ok: number; failed: string[] }
  | { type: 'report'; report: WorkerReport }
  | { type: 'closed' }
  | { type: 'error'; message: string }
