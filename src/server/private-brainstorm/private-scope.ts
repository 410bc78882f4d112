/**
 * The board as a push would leave it, as the private brainstorm judges a new sticky's scope
 * and parent by (private-notes.ts). The board room judges the whole push first (push-board.ts)
 * and splits only a push it allowed; this view still applies the shape rule per record, so
 * the split is right on its own too (its unit tests call it directly). A paste of a frame with stickies, or a raw push, creates
 * the container and its stickies in one push, and tldraw's client may send the children
 * before their parent; judged against the board as it was, a sticky inside a new frame would
 * be out of every frame's scope (and go to the room, text and all) or have no parent (and be
 * refused, lost to its author).
 *
 * A shape the push puts or patches is seen as it will be, but only when the room would take
 * it: it must be a valid tldraw shape and pass the board's own shape rule (roles.ts), read on
 * this same view, so a container the room will refuse never makes a sticky hidden or kept.
 * New stickies are left out: the ones in scope never reach the room, so none is a parent.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import type { Role } from '../../protocol'
import { applyObjectDiff, tldrawSchema as schema } from '../core/tldraw-internals'
import type { BoardRecords } from '../core/board-records'
import { recordRules } from '../rules/roles'

/** A record being worked out: a parent chain that loops back to it sees no record there. */
const PENDING = Symbol('pending')

/** The board after `diff`, as `role` pushes it; each record worked out once, when asked for. */
export function boardAfterPush(
  board: BoardRecords,
  diff: Readonly<Record<string, unknown[]>>,
  role: Role,
): BoardRecords {
  const seen = new Map<string, TLRecord | undefined | typeof PENDING>()
  const view: BoardRecords = {
    get(id) {
      if (!Object.hasOwn(diff, id)) return board.get(id)
      const known = seen.get(id)
      if (known === PENDING) return undefined
      if (seen.has(id)) return known
      seen.set(id, PENDING)
      const record = afterOp(id, diff[id], board.get(id))
      seen.set(id, record)
      return record
    },
    frozenShapeIds: () => board.frozenShapeIds(),
  }
  const rule = recordRules(view).shape
  const session = { sessionId: '', isReadonly: false, meta: { role } }

  function afterOp(id: string, op: unknown[], prev: TLRecord | undefined): TLRecord | undefined {
    if (!Array.isArray(op)) return prev
    if (op[0] === 'remove') return prev?.typeName === 'shape' ? undefined : prev
    if (prev && prev.typeName !== 'shape') return prev
    let next: unknown
    try {
      next =
        op[0] === 'put'
          ? op[1]
          : op[0] === 'patch' && prev
            ? applyObjectDiff(prev, op[1] as object)
            : prev
    } catch {
      return prev
    }
    const shape = asShape(next)
    if (!shape || shape.id !== id || shape === prev) return prev
    // A new sticky is the private brainstorm's to decide; it is never anyone's parent here.
    if (!prev && shape.type === 'note') return undefined
    const write = prev
      ? { session, type: 'update', prev, next: shape }
      : { session, type: 'create', prev: null, next: shape }
    return rule(write as unknown as Parameters<typeof rule>[0]) ? shape : prev
  }

  return view
}

/** The value as a tldraw shape record, if tldraw's schema says it is one. */
function asShape(value: unknown): TLShape | null {
  if (!value || typeof value !== 'object' || (value as TLRecord).typeName !== 'shape') return null
  try {
    return schema.types.shape.validate(value) as TLShape
  } catch {
    return null
  }
}
