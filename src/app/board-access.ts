/**
 * What this device may do on a board, decided once as its page opens: the keys the link
 * carries (remembered for the next visit), the role they give, the credential the socket
 * presents, and the links to share. The server decides for real; a wrong key is refused
 * there, not quietly downgraded here.
 */
import { roomIdSchema, type Role } from '../protocol'
import type { CanvasOptions } from '../canvas/board-state'
import { claimBoardAccess, roleOf, shareLinks } from './boards'

export interface BoardAccess {
  /** False for a malformed board link: nothing else here applies then. */
  validId: boolean
  role: Role
  credential: CanvasOptions['credential']
  /** Present for the facilitator only: snapshots are taken and restored with it. */
  facilitatorSecret: string | undefined
  links: ReturnType<typeof shareLinks>
  /** The title this device last saw, shown until the board has loaded. */
  knownTitle: string
}

/** The fragment that opens a board view-only whatever keys this device holds. */
export const VIEW_ONLY = 'view-only'

export function openBoardAccess(roomId: string, location: Location): BoardAccess {
  const validId = roomIdSchema.safeParse(roomId).success
  const access = validId ? claimBoardAccess(roomId, location.hash) : null
  const links = shareLinks(roomId, access ?? {})
  // The facilitator secret leaves the address bar, so copying the URL never hands it out; the
  // query (`?export` for the command-line exporter) stays.
  if (access?.f) {
    const shown = new URL(links.participant ?? links.viewer)
    shown.search = location.search
    window.history.replaceState(null, '', shown)
  }
  // `#view-only` (offered when a board is full for editors) opens it as a viewer, keeping the
  // keys this device holds for when a place is free again.
  if (new URLSearchParams(location.hash.slice(1)).has(VIEW_ONLY)) {
    return {
      validId,
      role: 'viewer',
      credential: null,
      facilitatorSecret: undefined,
      links,
      knownTitle: access?.title ?? '',
    }
  }
  return {
    validId,
    role: roleOf(access ?? undefined),
    credential: access?.f ? { f: access.f } : access?.k ? { k: access.k } : null,
    facilitatorSecret: access?.f,
    links,
    knownTitle: access?.title ?? '',
  }
}
