import { TLRemoteSyncError } from '@tldraw/sync-core'
import { CLOSE_REASONS } from '../protocol'

export const BOARD_NOT_FOUND = 'not-found'

/** A sentence for the person at the screen, from why the server ended the session. */
export function failureMessage(error: Error): string {
  const reason = error instanceof TLRemoteSyncError ? error.reason : error.message
  switch (reason) {
    case CLOSE_REASONS.notFound:
      return BOARD_NOT_FOUND
    case CLOSE_REASONS.forbidden:
      return 'This link’s key is not valid for this board. Ask the facilitator for a new link.'
    default:
      return `The board could not be opened: ${reason}`
  }
}
