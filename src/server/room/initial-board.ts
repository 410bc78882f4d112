/**
 * The records a new board starts with: tldraw's empty document and page, the title, and the
 * shapes and agenda of the template it was made from, if any.
 */
import { DEFAULT_INITIAL_SNAPSHOT, type RoomSnapshot } from '@tldraw/sync-core'
import { TLDOCUMENT_ID, type TLDocument } from '@tldraw/tlschema'
import { withAgenda } from '../../board/agenda'
import { renderTemplate } from '../../templates/render'
import type { Template } from '../../protocol/template-format'

export function initialBoard(
  title: string,
  template: Template | undefined,
  instance: string,
): RoomSnapshot {
  const rendered = template ? renderTemplate(template, { origin: { x: 0, y: 0 }, instance }) : null
  const documents = DEFAULT_INITIAL_SNAPSHOT.documents.map((doc) => {
    if (doc.state.id !== TLDOCUMENT_ID) return doc
    const state = doc.state as TLDocument
    const meta = rendered ? withAgenda(state.meta, [rendered.agenda]) : state.meta
    return { ...doc, state: { ...state, name: title, meta } }
  })
  const clock = DEFAULT_INITIAL_SNAPSHOT.documentClock ?? 0
  return {
    ...DEFAULT_INITIAL_SNAPSHOT,
    documents: [
      ...documents,
      ...(rendered?.shapes ?? []).map((state) => ({ state, lastChangedClock: clock })),
    ],
  }
}
