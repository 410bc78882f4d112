/**
 * Whether a sticky draws its text now. tldraw keeps every shape mounted, off screen too, and
 * each note's label turns its rich text into HTML through TipTap (which builds its whole
 * schema again for every note) and gives the browser a block of text to lay out: on a board of
 * 2,000 stickies, seconds before the first paint, for text nobody can see.
 *
 * So a note shows its text when it is on screen and large enough to read: far out (text a
 * few pixels high, which reads as a smudge) or off screen (culled), the note is drawn without
 * it (note-plain.tsx); tldraw's note and its label come back as soon as the note is on screen
 * at a readable zoom. A note being selected or edited always has its label, since tldraw's
 * text editor lives in it. Exports (`toSvg`, the canvas painters) draw the text whatever the
 * zoom.
 */
import { atom, useValue, type Atom, type Editor, type TLNoteShape } from 'tldraw'

/**
 * Below this zoom (times the note's scale) a note shows no text: tldraw's medium sticky font
 * (22 px) is then under 4 px high on screen.
 */
export const FAR_ZOOM = 0.18

/**
 * Whether the editor has drawn its first frame. The board opens zoomed to fit, but tldraw draws
 * its shapes once before that, at its starting camera (zoom 1 at the origin): the notes there
 * would build their labels only to drop them a moment later. Until the first frame, notes are
 * drawn plain.
 */
const firstFrameDrawn = new WeakMap<Editor, Atom<boolean>>()

/** Called as the note util is made, once per editor. */
export function holdLabelsForFirstFrame(editor: Editor): void {
  const drawn = atom('first frame drawn', false)
  firstFrameDrawn.set(editor, drawn)
  requestAnimationFrame(() => drawn.set(true))
}

/** Why a note draws no text, or 'shown'. */
export type NoteLabelState = 'shown' | 'far' | 'culled'

export function useNoteLabelState(editor: Editor, shape: TLNoteShape): NoteLabelState {
  const { id } = shape
  const { scale } = shape.props
  return useValue(
    'note label state',
    (): NoteLabelState => {
      // tldraw's note puts its text editor inside the label: selected, being edited, or
      // hovered while another note is edited (tldraw's "ready for editing").
      if (editor.getOnlySelectedShapeId() === id) return 'shown'
      const editing = editor.getEditingShapeId()
      if (editing !== null && (editing === id || editor.getHoveredShapeId() === id)) return 'shown'
      if (editor.getCulledShapes().has(id)) return 'culled'
      if (firstFrameDrawn.get(editor)?.get() === false) return 'far'
      if (editor.getEfficientZoomLevel() * scale < FAR_ZOOM) return 'far'
      return 'shown'
    },
    [editor, id, scale],
  )
}
