import { TLRemoteSyncError } from '@tldraw/sync-core'
import { CLOSE_REASONS } from '../protocol'
import type { SyncFailure } from './board-state'

/** Why the server ended the session, from the close reason it sent. */
export function syncFailure(error: Error): SyncFailure {
  const reason = error instanceof TLRemoteSyncError ? error.reason : error.message
  switch (reason) {
    case CLOSE_REASONS.notFound:
      return { reason: 'not-found' }
    case CLOSE_REASONS.forbidden:
      return { reason: 'forbidden' }
    case CLOSE_REASONS.boardFull:
      return { reason: 'full', viewOnlyOpen: false }
    case CLOSE_REASONS.boardFullForEditors:
      return { reason: 'full', viewOnlyOpen: true }
    case CLOSE_REASONS.tooManyFromAddress:
      return { reason: 'too-many-from-address' }
    default:
      return { reason: 'other', message: String(reason) }
  }
}
