/**
 * Who may do what on a board. This is the one server-side place that decides it: the board
 * party asks `resolveRole` when a socket connects and hands `recordRules` to the sync room,
 * which runs them on every write a client pushes (after the board room has run them on the
 * push as a whole, `push-board.ts`). Every record type has a rule (the compiler insists), so
 * nothing is written that was not decided here.
 */
import type { TLRecordAuthorizer } from '@tldraw/sync-core'
import type { TLAsset, TLBinding, TLImageAsset, TLRecord, TLShape } from '@tldraw/tlschema'
import { LIMITS, MAX_TITLE_LENGTH, RECORD_RULES, type Credentials, type Role } from '../../protocol'
import type { FacilitationActionType } from '../../protocol/facilitation'
import { frozenFrameHolding, frozenFrameHoldingTree } from '../../board/frozen'
import { isProtectedShape, rawZoneRule } from '../../board/shape-meta'
import { withServerAuthorship } from './authorship'
import type { BoardRecords } from '../core/board-records'
import { checkingContent } from './content-rules'
import { outcomeProblem } from './outcome-rules'

/** What the server keeps of a board's secrets: only their SHA-256 hashes. */
export interface BoardAuth {
  facilitatorHash: string
  participantHash: string
  createdAt: number
}

export interface SessionMeta {
  role: Role
}

/**
 * What each role may write. `canEditBackground` covers template background, locked and frozen
 * shapes and zone rules; `canEditPages` creating, renaming and deleting pages.
 */
export const PERMISSIONS: Record<
  Role,
  { canEdit: boolean; canRenameBoard: boolean; canEditBackground: boolean; canEditPages: boolean }
> = {
  facilitator: { canEdit: true, canRenameBoard: true, canEditBackground: true, canEditPages: true },
  participant: {
    canEdit: true,
    canRenameBoard: false,
    canEditBackground: false,
    canEditPages: false,
  },
  viewer: { canEdit: false, canRenameBoard: false, canEditBackground: false, canEditPages: false },
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

/** The board before a push and as the push would leave it, which its writes are judged on. */
export interface BoardViews {
  before: BoardRecords
  after: BoardRecords
}

/** What the rules tell the room besides yes or no. */
export interface RuleHooks {
  /** A session's write was refused because of a frozen frame (the room tells that socket). */
  frozenRefused?(sessionId: string): void
  /**
   * The push this session's write belongs to, while it is judged (`push-board.ts`): the
   * rules read its two boards. Null or absent: the board as it stands is both.
   */
  views?(sessionId: string): BoardViews | null
  /** A session's record was refused for its content (content-rules.ts), saying why. */
  contentRefused?(sessionId: string, reason: string): void
}

/** Every record type a client might name, except presence (which tldraw never authorizes). */
type WritableTypeName = Exclude<TLRecord['typeName'], 'instance_presence'>

/**
 * One rule per record type, none optional: tldraw lets an unlisted type write through
 * untouched, so a record type added to the schema must fail to compile here until someone
 * decides who may write it. That is what makes the rules default-deny.
 */
export type RecordRules = {
  [K in WritableTypeName]-?: TLRecordAuthorizer<Extract<TLRecord, { typeName: K }>, SessionMeta>
}

type Write<R> = Parameters<TLRecordAuthorizer<R & TLRecord, SessionMeta>>[0]

/** The record as written, or null to refuse: tldraw reads a non-null answer as "allowed". */
const allowed = <R>(write: { next: R | null; prev: R | null }): R | null => write.next ?? write.prev
const refused = () => null

/**
 * Per-record write rules, given a lookup into the board. Viewers' sessions are read-only and
 * never get here (tldraw skips their writes before asking); every rule still refuses them, so
 * a session marked writable by mistake gains nothing.
 *
 *   record                 facilitator            participant
 *   document               title (≤ 120), agenda  -
 *   page                   create, rename, delete -
 *   shape                  any, parent must exist own shapes: not background, locked, frozen,
 *                          (after the push), no   nor a zone rule, nor in a frozen frame, nor
 *                          child left orphaned    holding a shape in one (before or after the
 *                                                 push); parent must exist, no orphans
 *   (outcome marks)        on stickies, valid     action marks only; a decided sticky is
 *                                                 read-only (outcome-rules.ts)
 *   binding                both ends exist        both ends exist, neither locked,
 *                          (after the push)       background, frozen nor in a frozen frame
 *   asset                  images and videos inline (`data:`) or on our origin, within the
 *                          image limits; bookmarks with such a picture (both roles)
 *   user, session records  - (tldraw's client keeps these to itself)
 *
 * And whatever the rule, a record written must have sound content: `meta` bounded plain JSON,
 * rich text one the editor's schema reads (content-rules.ts); a delete always may.
 */
export function recordRules(board: BoardRecords, hooks: RuleHooks = {}): RecordRules {
  const may = (write: { session: { meta: SessionMeta } }) => PERMISSIONS[write.session.meta.role]
  // Whatever a rule allows, its record's rich text and meta must be sound (content-rules.ts).
  return checkingContent(rulesByType(board, hooks, may), hooks.contentRefused)
}

function rulesByType(
  board: BoardRecords,
  hooks: RuleHooks,
  may: (write: { session: { meta: SessionMeta } }) => (typeof PERMISSIONS)[Role],
): RecordRules {
  return {
    // The document record carries the board title and agenda: only the facilitator changes
    // them, the title stays one the app can show, and nobody creates or deletes it.
    document: (write) => {
      if (write.type !== 'update' || !may(write).canRenameBoard) return null
      return write.next.name.length > MAX_TITLE_LENGTH ? null : write.next
    },
    // Pages are the board's structure; a participant deleting `page:page` would hide the
    // whole template from everyone.
    page: (write) => (may(write).canEditPages ? allowed(write) : null),
    // A sticky's author is the server's to write (authorship.ts).
    shape: (write) => withServerAuthorship(write, shapeRule(board, write, hooks)),
    binding: (write) => bindingRule(board, write, hooks),
    asset: (write) => (may(write).canEdit && assetRule(write) ? allowed(write) : null),
    // Who someone is comes from the server (roles) and their presence, never a stored record.
    user: refused,
    // Session-scoped: tldraw's client never syncs these, and its server refuses them anyway.
    camera: refused,
    instance: refused,
    instance_page_state: refused,
    pointer: refused,
  }
}

/** The two boards a session's write is judged on: its push's, or the board as it stands. */
function viewsOf(board: BoardRecords, hooks: RuleHooks, sessionId: string): BoardViews {
  return hooks.views?.(sessionId) ?? { before: board, after: board }
}

/**
 * A shape: its parent must be on the board as the push leaves it (a page, or a shape under
 * one, created in the same push or before), and deleting it must not leave a child behind. A
 * participant may not touch protected shapes (background, locked, frozen) nor zone rules, nor
 * what a frozen frame holds: not as it was, the shape and every shape under it (an edit, a
 * move out, a delete), nor as the push would leave them (a new shape, a move in). See
 * `src/board/frozen.ts` for what "holds" means.
 */
function shapeRule(board: BoardRecords, write: Write<TLShape>, hooks: RuleHooks): TLShape | null {
  const can = PERMISSIONS[write.session.meta.role]
  if (!can.canEdit) return null
  const { before, after } = viewsOf(board, hooks, write.session.sessionId)
  if (write.next && !parentChainIsSound(after, write.next)) return null
  if (write.type === 'delete' && leavesOrphans(after, write.prev)) return null
  // Action and decision marks, and decided stickies (outcome-rules.ts): the writer hears why.
  const outcome = outcomeProblem(write.session.meta.role, write)
  if (outcome) {
    hooks.contentRefused?.(write.session.sessionId, outcome)
    return null
  }
  if (can.canEditBackground) return allowed(write)
  const { prev, next } = write
  if ((prev && isProtectedShape(prev)) || (next && isProtectedShape(next))) return null
  if ((prev && carriesFrozen(before, prev)) || (next && carriesFrozen(after, next))) {
    hooks.frozenRefused?.(write.session.sessionId)
    return null
  }
  // A zone rule may not be added, changed or removed, nor its shape deleted.
  if (write.type === 'create' && rawZoneRule(write.next) !== undefined) return null
  if (write.type === 'delete' && rawZoneRule(write.prev) !== undefined) return null
  if (
    write.type === 'update' &&
    JSON.stringify(rawZoneRule(write.prev)) !== JSON.stringify(rawZoneRule(write.next))
  ) {
    return null
  }
  return allowed(write)
}

function inFrozenFrame(board: BoardRecords, shape: TLShape): boolean {
  return frozenFrameHolding(board, shape, board.frozenShapeIds()) !== null
}

/** Whether the shape, or any shape under it, is in a frozen frame on that board. */
function carriesFrozen(board: BoardRecords, shape: TLShape): boolean {
  const children = (id: string) => referrers(board, id).filter((r) => r.typeName === 'shape')
  const childIds = (id: string) => children(id).map((child) => child.id)
  return frozenFrameHoldingTree(board, shape, board.frozenShapeIds(), childIds) !== null
}

/**
 * Whether a shape's children or bindings would stay on the board without it: tldraw deletes
 * them with it, and one left behind would point at nothing.
 */
function leavesOrphans(board: BoardRecords, shape: TLShape): boolean {
  return referrers(board, shape.id).length > 0
}

/** The records on that board that point at `id` now (a shape under it, a binding to it). */
function referrers(board: BoardRecords, id: string): (TLShape | TLBinding)[] {
  const found: (TLShape | TLBinding)[] = []
  for (const referrerId of board.referrerIds?.(id) ?? []) {
    const record = board.get(referrerId)
    if (record?.typeName === 'shape' && record.parentId === id) found.push(record)
    if (record?.typeName === 'binding' && (record.fromId === id || record.toId === id)) {
      found.push(record)
    }
  }
  return found
}

/** The shape's parents lead to a page on the board, without a cycle, within the depth cap. */
function parentChainIsSound(board: BoardRecords, shape: TLShape): boolean {
  let parentId: string = shape.parentId
  for (let depth = 0; depth < RECORD_RULES.maxShapeDepth; depth++) {
    if (parentId === shape.id) return false
    const parent = board.get(parentId)
    if (!parent) return false
    if (parent.typeName === 'page') return true
    if (parent.typeName !== 'shape') return false
    parentId = parent.parentId
  }
  return false
}

/**
 * A binding (an arrow stuck to a shape) changes how both its ends are drawn, so both must be
 * shapes on the board as the push leaves it (one pasted with it counts), and a participant
 * binds only shapes they could change anyway: not locked, background, frozen or in a frozen
 * frame (else their arrow would redraw the locked template arrow for everyone). Deleting one
 * is allowed (tldraw removes the bindings of a deleted shape) as long as no end it had before
 * the push is protected.
 */
function bindingRule(
  board: BoardRecords,
  write: Write<TLBinding>,
  hooks: RuleHooks,
): TLBinding | null {
  const can = PERMISSIONS[write.session.meta.role]
  if (!can.canEdit) return null
  const { before, after } = viewsOf(board, hooks, write.session.sessionId)
  let frozen = false
  // The old ends as they were, the new ones as the push leaves them.
  const end = (id: string, mustExist: boolean) => {
    const view = mustExist ? after : before
    const record = view.get(id)
    if (record?.typeName !== 'shape') return !mustExist
    if (can.canEditBackground) return true
    if (isProtectedShape(record)) return false
    frozen = inFrozenFrame(view, record)
    return !frozen
  }
  const refuse = () => {
    if (frozen) hooks.frozenRefused?.(write.session.sessionId)
    return null
  }
  if (write.prev && !(end(write.prev.fromId, false) && end(write.prev.toId, false))) return refuse()
  if (write.next && !(end(write.next.fromId, true) && end(write.next.toId, true))) return refuse()
  return allowed(write)
}

/** An asset only points where an attendee's browser may go: inside the record or our origin. */
function assetRule(write: Write<TLAsset>): boolean {
  const asset = write.next
  if (!asset) return true
  switch (asset.type) {
    case 'image':
      return (
        sourceIsLocal(asset.props.src, RECORD_RULES.imageDataTypes) &&
        withinImageLimits(asset.props)
      )
    case 'video':
      return (
        sourceIsLocal(asset.props.src, RECORD_RULES.videoDataTypes) &&
        (asset.props.fileSize ?? 0) <= LIMITS.maxImageBytes
      )
    case 'bookmark':
      // The link itself is only followed on a click; its picture and icon load for everyone.
      return (
        sourceIsLocal(asset.props.image || null, RECORD_RULES.imageDataTypes) &&
        sourceIsLocal(asset.props.favicon || null, RECORD_RULES.imageDataTypes)
      )
    default:
      return false
  }
}

/** What the app itself makes of a pasted image: at most 8 MB, and scaled to 2,400 px. */
function withinImageLimits(props: TLImageAsset['props']): boolean {
  const { w, h, isAnimated, fileSize, src } = props
  if ((fileSize ?? 0) > LIMITS.maxImageBytes) return false
  if (src?.startsWith('data:') && dataUrlBytes(src) > LIMITS.maxImageBytes) return false
  // tldraw scales still images only; an animated one keeps its size (and the byte limit).
  if (isAnimated) return true
  return w <= LIMITS.maxImageDimension && h <= LIMITS.maxImageDimension
}

/** A `data:` URL of one of `types`, or a path on our own origin (not `//host`), or none. */
function sourceIsLocal(src: string | null, types: readonly string[]): boolean {
  if (src === null || src === '') return true
  if (src.startsWith('/')) return !src.startsWith('//') && !src.includes('\\')
  const data = /^data:([a-z0-9.+/-]+)[;,]/i.exec(src)
  return data !== null && types.includes(data[1].toLowerCase())
}

/** The bytes a `data:` URL holds (base64 decoded, or the raw text). */
function dataUrlBytes(src: string): number {
  const comma = src.indexOf(',')
  const payload = src.length - comma - 1
  return src.slice(0, comma).endsWith(';base64') ? Math.floor((payload * 3) / 4) : payload
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
 * are done and whether they follow; whoever may edit may vote.
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
  'vote-start': ['facilitator'],
  vote: ['facilitator', 'participant'],
  'vote-end': ['facilitator'],
  'vote-cancel': ['facilitator'],
  'private-start': ['facilitator'],
  'private-reveal': ['facilitator'],
  'private-discard': ['facilitator'],
  'private-end': ['facilitator'],
  'set-cursor-mode': ['facilitator'],
  // Breakouts are the facilitator's to start, change and end; a participant picks their own.
  'breakout-start': ['facilitator'],
  'breakout-move': ['facilitator'],
  'breakout-pick': ['participant'],
  'breakout-message': ['facilitator'],
  'breakout-send': ['facilitator'],
  'breakout-end': ['facilitator'],
  'present-start': ['facilitator'],
  'present-go': ['facilitator'],
  'present-stop': ['facilitator'],
  // Anyone with a name may raise and lower their own hand (a viewer in a big room too).
  'hand-raise': ['facilitator', 'participant', 'viewer'],
  'hand-lower': ['facilitator', 'participant', 'viewer'],
  'hand-lower-for': ['facilitator'],
  'hands-clear': ['facilitator'],
}
