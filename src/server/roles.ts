/**
 * Who may do what on a board. This is the one server-side place that decides it: the board
 * party asks `resolveRole` when a socket connects and hands `recordAuthorizers` to the sync
 * room, which runs them on every write a client pushes.
 */
import type { TLRecordAuthorizers } from '@tldraw/sync-core'
import type { TLRecord } from '@tldraw/tlschema'
import { MAX_TITLE_LENGTH, type Credentials, type Role } from '../protocol'
import type { FacilitationActionType } from '../protocol/facilitation'
import { isProtectedShape } from '../board/shape-meta'

/** What the server keeps of a board's secrets: only their SHA-256 hashes. */
export interface BoardAuth {
  facilitatorHash: string
  participantHash: string
  createdAt: number
}

export interface SessionMeta {
  role: Role
}

export const PERMISSIONS: Record<
  Role,
  { canEdit: boolean; canRenameBoard: boolean; canEditBackground: boolean }
> = {
  facilitator: { canEdit: true, canRenameBoard: true, canEditBackground: true },
  participant: { canEdit: true, canRenameBoard: false, canEditBackground: false },
  viewer: { canEdit: false, canRenameBoard: false, canEditBackground: false },
}

/** 256 random bits, base64url: the facilitator secret and the participant key. */
export function mintSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')
}

export async function hashSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export async function mintBoardAuth(): Promise<{
  auth: BoardAuth
  facilitatorSecret: string
  participantKey: string
}> {
  const facilitatorSecret = mintSecret()
  const participantKey = mintSecret()
  return {
    facilitatorSecret,
    participantKey,
    auth: {
      facilitatorHash: await hashSecret(facilitatorSecret),
      participantHash: await hashSecret(participantKey),
      createdAt: Date.now(),
    },
  }
}

/**
 * The role the credentials grant, or null when a credential is present but wrong: a bad
 * link is refused outright rather than quietly downgraded to read-only.
 */
export async function resolveRole(auth: BoardAuth, credentials: Credentials): Promise<Role | null> {
  if (credentials.f !== undefined) {
    return sameHash(await hashSecret(credentials.f), auth.facilitatorHash) ? 'facilitator' : null
  }
  if (credentials.k !== undefined) {
    return sameHash(await hashSecret(credentials.k), auth.participantHash) ? 'participant' : null
  }
  return 'viewer'
}

/** Compares two hashes in constant time, so timing does not reveal how much matched. */
function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/**
 * Per-record checks on client writes. Viewers never get here (their sessions are read-only);
 * this guards what participants may not touch even though they can edit.
 */
export const recordAuthorizers: TLRecordAuthorizers<TLRecord, SessionMeta> = {
  // The document record carries the board title and agenda: only the facilitator changes
  // them, and the title stays one the app can show.
  document: ({ session, next, prev }) => {
    if (!PERMISSIONS[session.meta.role].canRenameBoard) return null
    if (next && next.name.length > MAX_TITLE_LENGTH) return null
    return next ?? prev
  },
  // Template background and locked shapes: a participant may not move, edit, delete, lock or
  // unlock them, nor create a shape that claims to be background. Their own shapes are free.
  shape: ({ session, next, prev }) => {
    if (PERMISSIONS[session.meta.role].canEditBackground) return next ?? prev
    if ((prev && isProtectedShape(prev)) || (next && isProtectedShape(next))) return null
    return next ?? prev
  },
}

/** Whether `secret` hashes to `secretHash` (a board's or a library's), in constant time. */
export async function secretMatches(secret: string | null, secretHash: string): Promise<boolean> {
  if (!secret) return false
  return sameHash(await hashSecret(secret), secretHash)
}

/**
 * Who may send which facilitation action (see `src/protocol/facilitation.ts`). Every action type
 * must be listed (TypeScript checks it), and an action or role not listed is refused: the
 * workshop's controls are the facilitator's; everyone may react; participants say when they
 * are done and whether they follow.
 */
export const FACILITATION_PERMISSIONS: Record<FacilitationActionType, readonly Role[]> = {
  step: ['facilitator'],
  'timer-start': ['facilitator'],
  'timer-pause': ['facilitator'],
  'timer-resume': ['facilitator'],
  'timer-add-minute': ['facilitator'],
  'timer-stop': ['facilitator'],
  summon: ['facilitator'],
  'follow-start': ['facilitator'],
  'follow-stop': ['facilitator'],
  following: ['participant', 'viewer'],
  ready: ['participant'],
  react: ['facilitator', 'participant', 'viewer'],
  name: ['facilitator', 'participant', 'viewer'],
}
