/**
 * Defence in depth for the canvas: a shape whose rich text tldraw's editor cannot read (or
 * whose meta is unbounded) throws wherever the editor measures or draws it, culling and
 * bounds included, so one such record took the whole canvas down for everyone, wherever it
 * was on the board. The server refuses and repairs those (src/board/record-content.ts); this
 * applies the same repair to whatever reaches this tab's store anyway (an older server, a
 * record it missed): the records there when the first sync lands, and every one the sync
 * creates or changes afterwards. The repair is local, as a remote change, so nothing is sent
 * back for it; the shape shows the words that could be read, and can be edited or deleted.
 */
import type { TLRecord, TLShape, TLStore } from 'tldraw'
import { repairedRecord } from '../board/record-content'

const guarded = new WeakSet<TLStore>()

/** Starts keeping the store's shapes readable (once per store; it lives as long as the store). */
export function keepRecordsReadable(store: TLStore): void {
  if (guarded.has(store)) return
  guarded.add(store)
  repairUnreadable(store)
  store.sideEffects.registerBeforeCreateHandler('shape', (shape) => readable(shape))
  // Only when the free-form parts changed: tldraw keeps unchanged props the same objects, so a
  // drag does not parse every moving sticky's text again.
  store.sideEffects.registerBeforeChangeHandler('shape', (prev, next) =>
    prev.meta === next.meta && richTextOf(prev) === richTextOf(next) ? next : readable(next),
  )
}

/** Repairs what the store holds now (the first sync). */
function repairUnreadable(store: TLStore): void {
  const unreadable: TLRecord[] = []
  for (const record of store.allRecords()) {
    const { record: fixed, repaired } = repairedRecord(record)
    if (repaired) unreadable.push(fixed)
  }
  if (unreadable.length > 0) store.mergeRemoteChanges(() => store.put(unreadable))
}

function readable(shape: TLShape): TLShape {
  return repairedRecord(shape).record
}

function richTextOf(shape: TLShape): unknown {
  return (shape.props as { richText?: unknown }).richText
}
