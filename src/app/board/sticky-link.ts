/**
 * A sticky's deep link (`/b/<id>?sticky=<shapeId>`, the report's and the CSV's links back):
 * the board opens zoomed to that sticky, with nothing selected (a viewer selects nothing, and
 * for an editor a selection would only invite an accidental drag). The sticky may arrive with
 * the board's sync a moment after the editor is ready, so it is waited for, a while.
 */
import type { Editor, TLShapeId } from 'tldraw'

const WAIT_MS = 10_000

/** The shape id a board page's query names, if any. */
export function linkedSticky(search: string): TLShapeId | null {
  const id = new URLSearchParams(search).get('sticky')
  return id && /^shape:[A-Za-z0-9_-]{1,64}$/.test(id) ? (id as TLShapeId) : null
}

/** Zooms to the sticky once it is on the board; returns how to stop waiting. */
export function openLinkedSticky(editor: Editor, id: TLShapeId): () => void {
  const zoom = () => {
    const shape = editor.getShape(id)
    if (!shape) return false
    if (editor.getCurrentPageId() !== editor.getAncestorPageId(shape)) {
      const page = editor.getAncestorPageId(shape)
      if (page) editor.setCurrentPage(page)
    }
    const bounds = editor.getShapePageBounds(shape)
    if (!bounds) return false
    editor.selectNone()
    editor.zoomToBounds(bounds, { targetZoom: 1, inset: 64 })
    return true
  }
  if (zoom()) return () => {}
  const stop = editor.store.listen(() => {
    if (zoom()) done()
  })
  const timer = setTimeout(() => done(), WAIT_MS)
  const done = () => {
    stop()
    clearTimeout(timer)
  }
  return done
}
