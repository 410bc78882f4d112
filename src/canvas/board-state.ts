/**
 * What the canvas tells the Svelte shell, and what the shell may ask of it. Plain data and
 * functions only, so nothing outside `src/canvas` needs to know about React or tldraw.
 */
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
}

export interface CanvasOptions {
  roomId: string
  /** The facilitator secret or participant key, sent to the server in the socket URL. */
  credential: { f: string } | { k: string } | null
  user: { id: string; name: string; color: string }
  licenseKey: string | undefined
  onState(state: BoardState): void
}

export interface CanvasHandle {
  rename(title: string): void
  setUser(user: CanvasOptions['user']): void
  unmount(): void
}
