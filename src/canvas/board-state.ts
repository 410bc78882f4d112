/**
 * What the canvas reports to the Svelte shell as the board changes: plain data only, so the
 * shell needs to know nothing about React or tldraw to show it.
 */
import type { Role } from '../protocol'
import type { AgendaSection } from '../board/agenda'
import type { CanvasHandle } from './handle'

export type ConnectionState =
  | { kind: 'loading' }
  /** The last copy on this device is shown, read-only, while the socket connects. */
  | { kind: 'cached' }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; pendingEdits: number }
  | { kind: 'offline'; pendingEdits: number }
  | { kind: 'failed'; failure: SyncFailure }

/** Why the server ended the session for good. */
export type SyncFailure =
  | { reason: 'not-found' }
  | { reason: 'forbidden' }
  /** Every place is taken; `viewOnlyOpen` when the places kept for viewers are not. */
  | { reason: 'full'; viewOnlyOpen: boolean }
  | { reason: 'too-many-from-address' }
  | { reason: 'other'; message: string }

export interface Collaborator {
  /** The presence record's id: the server assigns it, one per session. */
  id: string
  /** The person its presence says it is (its own claim: shown beside a name, never trusted). */
  personId: string
  name: string
  color: string
  /** As the server told us (null until it has): never what the person's client claims. */
  role: Role | null
}

export interface BoardState {
  connection: ConnectionState
  title: string
  /** Everyone else on the board now, from tldraw's presence records. */
  collaborators: Collaborator[]
  /** This session's role as the server admitted it (null until it has said). */
  role: Role | null
  /** The steps of the templates on the board, from the document record. */
  agenda: AgendaSection[]
}

export interface CanvasOptions {
  roomId: string
  role: Role
  /** The facilitator secret or participant key, traded for a socket ticket (socket-url.ts). */
  credential: { f: string } | { k: string } | null
  user: { id: string; name: string; color: string }
  /** This person's secret key (identity.ts), sent when asking for a socket ticket. */
  personKey: string | null
  licenseKey: string | undefined
  /** Opened by the command-line exporter: no presence, and not counted as a participant. */
  headless: boolean
  onState(state: BoardState): void
  /** The editor is ready (a handle), or gone (null, when the canvas unmounts or reloads). */
  onReady(handle: CanvasHandle | null): void
  /** A message the server sent beside tldraw's sync (unchecked: the receiver validates it). */
  onServerMessage(data: unknown): void
}
