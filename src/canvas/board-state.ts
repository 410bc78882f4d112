/**
 * What the canvas tells the Svelte shell, and what the shell may ask of it. Plain data and
 * functions only, so nothing outside `src/canvas` needs to know about React or tldraw.
 */
import type { BoardFile, Role } from '../protocol'
import type { DeckSource } from '../export/deck'
import type { DeckInfo, DeckSourceProgress } from '../export/deck-source'
import type { ExportedImage, ExportScopes, ImageExportOptions } from '../export/image-options'
import type { AgendaSection } from '../board/agenda'
import type { AgendaStep, Template, TemplateInput } from '../protocol/template-format'
import type { ZoneRule } from '../board/shape-meta'

export type ConnectionState =
  | { kind: 'loading' }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; pendingEdits: number }
  | { kind: 'offline'; pendingEdits: number }
  | { kind: 'failed'; failure: SyncFailure }

/** Why the server ended the session for good. */
export type SyncFailure =
  { reason: 'not-found' } | { reason: 'forbidden' } | { reason: 'other'; message: string }

export interface Collaborator {
  id: string
  name: string
  color: string
}

export interface BoardState {
  connection: ConnectionState
  title: string
  /** Everyone else on the board now, from tldraw's presence records. */
  collaborators: Collaborator[]
  /** The steps of the templates on the board, from the document record. */
  agenda: AgendaSection[]
}

/** What "Save as template" starts from: the board's shapes turned into template elements. */
export interface TemplateDraft {
  elements: TemplateInput['elements']
  steps: AgendaStep[]
  /** Shape types that a template cannot hold, with how many were left out. */
  skipped: Record<string, number>
}

export interface FrameSummary {
  id: string
  name: string
}

export interface CanvasOptions {
  roomId: string
  role: Role
  /** The facilitator secret or participant key, sent to the server in the socket URL. */
  credential: { f: string } | { k: string } | null
  user: { id: string; name: string; color: string }
  licenseKey: string | undefined
  /** Opened by the command-line exporter: no presence, and not counted as a participant. */
  headless: boolean
  onState(state: BoardState): void
}

export interface CanvasHandle {
  rename(title: string): void
  /** Places a template beside what is on the board; returns how many shapes it added. */
  placeTemplate(template: Template): number
  /** Zooms to a shape (an agenda step's focus). */
  focus(shapeId: string): void
  setBackgroundLocked(locked: boolean): void
  /** Whether the template background is locked; null when the board has none. */
  isBackgroundLocked(): boolean | null
  /** The frames on the page, and the one selected (or holding the selection), if any. */
  frames(): { frames: FrameSummary[]; selected: string | null }
  /** The whole board (scope null) or one frame as template elements and steps. */
  draftTemplate(frameId: string | null): TemplateDraft
  /** The selected rectangle or ellipse and its zone rule, if one shape like that is selected. */
  selectedZone(): { id: string; rule: ZoneRule | null } | null
  /** Makes the shape a zone (a rule), or an ordinary shape again (null). */
  setZoneRule(shapeId: string, rule: ZoneRule | null): void
  /** What each export scope holds now. */
  exportScopes(): ExportScopes
  /** An image of the board, a frame or the selection, drawn by tldraw. */
  exportImage(options: ImageExportOptions): Promise<ExportedImage>
  /** What a server snapshot keeps: the whole board as a PNG, and as a file to restore from. */
  snapshotContent(): Promise<{ image: ExportedImage; board: BoardFile }>
  /** The board read for a slide deck: frames drawn, stickies and agenda in plain data. */
  deckSource(info: DeckInfo, onProgress?: DeckSourceProgress): Promise<DeckSource>
  setUser(user: CanvasOptions['user']): void
  unmount(): void
}

/** What a call on the canvas fails with before the board has loaded. */
export function canvasNotReady(): Error {
  return new Error('The board has not finished loading yet.')
}
