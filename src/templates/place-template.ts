/**
 * Places a template on an open board: to the right of what is already there, never on top
 * of it, and adds its steps to the board's agenda.
 */
import type { Editor } from 'tldraw'
import { nanoid } from 'nanoid'
import { readAgenda, withAgenda } from '../board/agenda'
import { renderTemplate } from './render'
import type { Template } from '../protocol/template-format'

/** Space between what is on the board and the template placed beside it. */
const GAP = 160

export function placeTemplate(editor: Editor, template: Template) {
  const existing = editor.getCurrentPageBounds()
  const origin = existing ? { x: existing.maxX + GAP, y: existing.minY } : { x: 0, y: 0 }
  const pageId = editor.getCurrentPageId()
  // Shape ids are `shape:<instance>-<element>`: keep the instance to letters and digits.
  const instance = nanoid(8)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')
  const rendered = renderTemplate(template, { origin, instance, pageId })
  editor.run(
    () => {
      // Frames and other top-level shapes go above everything already on the page.
      editor.createShapes(
        rendered.shapes.map((shape) =>
          shape.parentId === pageId ? { ...shape, index: undefined } : shape,
        ),
      )
      const document = editor.getDocumentSettings()
      editor.updateDocumentSettings({
        meta: withAgenda(document.meta, [...readAgenda(document.meta), rendered.agenda]),
      })
    },
    { ignoreShapeLock: true },
  )
  editor.zoomToBounds(rendered.bounds, { inset: 48, animation: { duration: 300 } })
  return rendered
}
