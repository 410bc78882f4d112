/**
 * A push judged as a whole. tldraw's sync room runs the record rules one op at a time, inside
 * its commit, in the order the client listed them, against the board as it stands mid-commit;
 * and tldraw's client lists a duplicated frame's stickies before the frame itself, so a rule
 * such as "the parent must exist" refused them and the copy arrived empty. Here a push is read
 * before the room sees it into two boards, the board as it was and the board as the push would
 * leave it, and every write in it is judged against both: a parent created in the same push
 * counts, a shape is judged where the push puts it and its children with it, and one refused
 * write refuses the whole push, so a push is applied whole or not at all.
 *
 * A push diff maps each record id to one op (tldraw's `RecordOpType`): `['put', record]`,
 * `['patch', objectDiff]` (applied with sync-core's `applyObjectDiff`, as the room applies it)
 * or `['remove']`. A patch or remove of a record the board lacks is skipped, as the room skips
 * it. A push this cannot read (an op it does not know, a record whose id or type does not
 * match) is not judged here: the board room refuses it (default-deny).
 */
import type { TLRecord } from '@tldraw/tlschema'
import { applyObjectDiff } from '../core/tldraw-internals'
import { isFrozen } from '../../board/shape-meta'
import type { BoardRecords } from '../core/board-records'
import type { BoardViews, RecordRules, SessionMeta } from '../rules/roles'
import { targetsOf } from '../core/room-storage'

/** The board the room keeps: a lookup with both indexes the rules read. */
export type IndexedBoard = BoardRecords & Required<Pick<BoardRecords, 'referrerIds'>>

/** One record's change in a push, as a rule sees it. */
export interface RecordWrite {
  id: string
  type: 'create' | 'update' | 'delete'
  prev: TLRecord | null
  next: TLRecord | null
}

/** A push read into its writes and the two boards they are judged on. */
export interface PushBoards extends BoardViews {
  writes: RecordWrite[]
}

export type PushReading = { kind: 'read'; push: PushBoards } | { kind: 'unread'; reason: string }

export type PushVerdict =
  { kind: 'allowed' } | { kind: 'refused'; write: RecordWrite } | { kind: 'unread'; reason: string }

/**
 * Reads a push's diff against the board as it stands now. The boards it returns read `board`
 * for every record the push leaves alone: they hold while the room commits this same push
 * (`before` keeps its own copy of what the push touches, and both boards correct the index for
 * the push's writes, made or not yet), but not once anything else has written to `board`.
 */
export function readPush(board: IndexedBoard, diff: Record<string, unknown>): PushReading {
  const writes: RecordWrite[] = []
  const before = new Map<string, TLRecord>()
  const after = new Map<string, TLRecord | null>()
  for (const [id, op] of Object.entries(diff)) {
    if (!Array.isArray(op)) return { kind: 'unread', reason: `${id}: not an op` }
    const prev = board.get(id) ?? null
    let next: TLRecord | null
    switch (op[0]) {
      case 'put': {
        const record = op[1] as Partial<TLRecord> | null
        if (!record || typeof record !== 'object' || record.id !== id) {
          return { kind: 'unread', reason: `${id}: a put of another record` }
        }
        if (typeof record.typeName !== 'string' || (prev && prev.typeName !== record.typeName)) {
          return { kind: 'unread', reason: `${id}: a put that changes the record's type` }
        }
        next = record as TLRecord
        break
      }
      case 'patch': {
        if (!prev) continue
        if (!op[1] || typeof op[1] !== 'object')
          return { kind: 'unread', reason: `${id}: bad patch` }
        try {
          next = applyObjectDiff(prev, op[1] as object)
        } catch {
          return { kind: 'unread', reason: `${id}: a patch that does not apply` }
        }
        if (next?.id !== id || next.typeName !== prev.typeName) {
          return { kind: 'unread', reason: `${id}: a patch that changes the record's id or type` }
        }
        break
      }
      case 'remove':
        if (!prev) continue
        next = null
        break
      default:
        return { kind: 'unread', reason: `${id}: an op the board does not know` }
    }
    if (prev) before.set(id, prev)
    after.set(id, next)
    writes.push({ id, type: !prev ? 'create' : next ? 'update' : 'delete', prev, next })
  }
  return { kind: 'read', push: { writes, ...boardsOf(board, before, after) } }
}

/**
 * Runs the rules on every write of the push, each seeing the push's two boards through
 * `views` (set by the caller to this push while it judges): the first refusal refuses it. The
 * records are not yet checked by tldraw's schema (the room does that as it commits), so a rule
 * that throws on one refuses it, as the room treats a rule that throws.
 */
export function judgePush(
  rules: RecordRules,
  session: { sessionId: string; isReadonly: boolean; meta: SessionMeta },
  push: PushBoards,
): PushVerdict {
  for (const write of push.writes) {
    const record = write.next ?? write.prev
    const rule = (rules as Partial<Record<string, (write: object) => unknown>>)[
      String(record?.typeName)
    ]
    if (!rule) return { kind: 'unread', reason: `${write.id}: no rule for its type` }
    if (!passes(() => rule({ session, ...write }))) return { kind: 'refused', write }
  }
  return { kind: 'allowed' }
}

/**
 * The push a session is having judged or committed, which the rules read through `views`.
 * The board room judges a push with `judge` and hands it to the sync room inside `during`;
 * both are synchronous, so no other push is read on these boards.
 */
export class PushJudge {
  private current: { sessionId: string; push: PushBoards } | null = null

  /** The rules' `views` hook: this session's push while it is judged or committed, else null. */
  readonly views = (sessionId: string): BoardViews | null =>
    this.current?.sessionId === sessionId ? this.current.push : null

  /** The push's diff read on `board` and judged by `rules`, with the boards when allowed. */
  judge(
    rules: RecordRules,
    board: IndexedBoard,
    diff: Record<string, unknown>,
    session: { sessionId: string; isReadonly: boolean; meta: SessionMeta },
  ): { kind: 'allowed'; push: PushBoards } | Exclude<PushVerdict, { kind: 'allowed' }> {
    const reading = readPush(board, diff)
    if (reading.kind === 'unread') return reading
    const verdict = this.during(session.sessionId, reading.push, () =>
      judgePush(rules, session, reading.push),
    )
    return verdict.kind === 'allowed' ? { kind: 'allowed', push: reading.push } : verdict
  }

  /** Runs `task` with `push` as what the rules read for this session (none: the board). */
  during<T>(sessionId: string, push: PushBoards | null, task: () => T): T {
    this.current = push && { sessionId, push }
    try {
      return task()
    } finally {
      this.current = null
    }
  }
}

/** The board before the push (its own copy of what it touches) and as it would leave it. */
function boardsOf(
  board: IndexedBoard,
  touched: Map<string, TLRecord>,
  written: Map<string, TLRecord | null>,
): BoardViews {
  // Which records stop or start pointing where: a shape's parent, a binding's ends.
  const left = new Map<string, Set<string>>()
  const joined = new Map<string, Set<string>>()
  const file = (index: Map<string, Set<string>>, parent: string, child: string) => {
    const set = index.get(parent) ?? new Set<string>()
    set.add(child)
    index.set(parent, set)
  }
  const frozenBefore = [...board.frozenShapeIds()]
  const frozen = new Set(frozenBefore)
  for (const [id, next] of written) {
    const prev = touched.get(id)
    for (const target of prev ? targetsOf(prev) : []) file(left, target, id)
    for (const target of next ? targetsOf(next) : []) file(joined, target, id)
    if (next?.typeName === 'shape' && isFrozen(next)) frozen.add(id)
    else frozen.delete(id)
  }
  // Referrers are read from the board's index with this push's changes taken out or put in,
  // so both boards stay what they were while the room commits the push (and updates it).
  const referrersWith = (id: string, without?: Set<string>, plus?: Set<string>) => {
    const kept = [...board.referrerIds(id)].filter((referrer) => !without?.has(referrer))
    return plus ? [...new Set([...kept, ...plus])] : kept
  }
  const before: IndexedBoard = {
    get: (id) => touched.get(id) ?? (written.has(id) ? undefined : board.get(id)),
    frozenShapeIds: () => frozenBefore,
    referrerIds: (id) => referrersWith(id, joined.get(id), left.get(id)),
  }
  const after: IndexedBoard = {
    get: (id) => (written.has(id) ? (written.get(id) ?? undefined) : board.get(id)),
    frozenShapeIds: () => frozen,
    referrerIds: (id) => referrersWith(id, left.get(id), joined.get(id)),
  }
  return { before, after }
}

function passes(rule: () => unknown): boolean {
  try {
    return rule() !== null
  } catch {
    return false
  }
}
