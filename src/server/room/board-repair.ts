/**
 * A board the server already holds, made one every browser can open: records stored before
 * the server checked free-form content (src/board/record-content.ts), or kept in a snapshot
 * taken then, may carry rich text the editor cannot read or `meta` nested too deep. On load
 * and on restore each such record is repaired (its text kept as plain text, bad meta dropped)
 * rather than refused, so the board opens and the facilitator can tidy it; one log line says
 * which records were changed.
 */
import type { RoomSnapshot } from '@tldraw/sync-core'
import { repairedRecord } from '../../board/record-content'

type StoredDocument = RoomSnapshot['documents'][number]

/** The stored board with its records repaired, and the documents that changed (to save). */
export function repairSnapshot(
  stored: RoomSnapshot | null,
  label: string,
): { snapshot: RoomSnapshot | null; repaired: StoredDocument[] } {
  if (!stored) return { snapshot: null, repaired: [] }
  const repaired: StoredDocument[] = []
  // Repairs are a change like any other: a newer clock, so a client that had the record gets it.
  const clock = (stored.documentClock ?? 0) + 1
  const documents = stored.documents.map((doc) => {
    const { record, repaired: changed } = repairedRecord(doc.state)
    if (!changed) return doc
    const next = { state: record, lastChangedClock: clock }
    repaired.push(next)
    return next
  })
  report(
    label,
    repaired.map((d) => d.state.id),
  )
  if (repaired.length === 0) return { snapshot: stored, repaired }
  return { snapshot: { ...stored, documentClock: clock, documents }, repaired }
}

/** A tldraw store snapshot (a restore's board) with its records repaired. */
export function repairStore<S extends { store: Record<string, { id: string }> }>(
  file: S,
  label: string,
): S {
  const ids: string[] = []
  const store = Object.fromEntries(
    Object.entries(file.store).map(([key, value]) => {
      const { record, repaired } = repairedRecord(value)
      if (repaired) ids.push(value.id)
      return [key, record]
    }),
  )
  report(label, ids)
  return ids.length > 0 ? { ...file, store } : file
}

function report(label: string, ids: string[]) {
  if (ids.length === 0) return
  const shown = ids.slice(0, 5).join(', ')
  console.warn(
    `${label}: repaired ${ids.length} record(s) whose rich text or meta the editor cannot read: ${shown}${ids.length > 5 ? ', ...' : ''}`,
  )
}
