import { boardPath } from '../protocol'
import type { CanvasOptions } from './board-state'

/**
 * The sync socket for a board on this origin; tldraw's client appends its session ids.
 * `personId` lets the server count who took part (see `peoplePath`).
 */
export function boardSocketUrl(
  roomId: string,
  credential: CanvasOptions['credential'],
  personId: string | null,
): string {
  const url = new URL(boardPath(roomId), window.location.href)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  if (credential && 'f' in credential) url.searchParams.set('f', credential.f)
  if (credential && 'k' in credential) url.searchParams.set('k', credential.k)
  if (personId) url.searchParams.set('u', personId)
  return url.toString()
}
