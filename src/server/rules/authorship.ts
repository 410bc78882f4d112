/**
 * A sticky's author (`meta.switchback.author`, the name a named reveal writes) is the
 * server's to write: only the private brainstorm's reveal sets it, straight into the room's
 * storage. Without this rule any participant could label any sticky "Ana".
 *
 * A client's write that changes it on an existing shape is refused: no honest client edits it
 * (tldraw keeps a shape's meta as it is through edits and moves). A new shape carrying one is
 * kept without it: a paste, a duplicate or an undo of a revealed sticky copies its meta, and
 * refusing those would lose the copy for a label that is not the copier's to claim. tldraw's
 * room takes the record a rule returns for a new record (not for an update), so stripping is
 * possible only there.
 */
import type { TLShape } from '@tldraw/tlschema'
import { META_KEY } from '../../board/shape-meta'

type ShapeWrite = {
  type: 'create' | 'update' | 'delete'
  prev: TLShape | null
  next: TLShape | null
}

/** The rule's answer (`allowed`, null: refused) with the server's authorship enforced. */
export function withServerAuthorship(write: ShapeWrite, allowed: TLShape | null): TLShape | null {
  if (!allowed || write.type === 'delete') return allowed
  if (write.type === 'update') {
    return authorOf(write.prev) === authorOf(write.next) ? allowed : null
  }
  return authorOf(allowed) === undefined ? allowed : withoutAuthor(allowed)
}

function ownMeta(shape: TLShape | null): Record<string, unknown> | undefined {
  const meta = (shape?.meta as Record<string, unknown> | undefined)?.[META_KEY]
  return meta && typeof meta === 'object' && !Array.isArray(meta)
    ? (meta as Record<string, unknown>)
    : undefined
}

/** The author field as JSON (undefined when absent), so any change of it counts. */
function authorOf(shape: TLShape | null): string | undefined {
  const meta = ownMeta(shape)
  return meta && Object.hasOwn(meta, 'author') ? JSON.stringify(meta.author) : undefined
}

function withoutAuthor(shape: TLShape): TLShape {
  const { author: _, ...rest } = ownMeta(shape) ?? {}
  void _
  return { ...shape, meta: { ...shape.meta, [META_KEY]: rest } } as TLShape
}
