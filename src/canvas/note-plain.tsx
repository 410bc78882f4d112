/**
 * A sticky drawn without tldraw's note component: its colour and bottom edge, exactly as
 * tldraw draws a note below its shadow zoom (0.25), in tldraw's own note class. Used where the
 * note shows no text (note-label.ts: far out, or off screen), so a board of thousands of
 * stickies mounts thousands of plain boxes instead of thousands of editable text labels with
 * their hooks; a note gets tldraw's component back once it is on screen at a readable zoom.
 */
import { getDisplayValues, useValue, type NoteShapeUtil, type TLNoteShape } from 'tldraw'
import type { NoteLabelState } from './note-label'

export function PlainNote({
  util,
  shape,
  state,
}: {
  util: NoteShapeUtil
  shape: TLNoteShape
  state: Exclude<NoteLabelState, 'shown'>
}) {
  const editor = util.editor
  const colorMode = useValue('color mode', () => editor.getColorMode(), [editor])
  const dv = getDisplayValues(util, shape, colorMode)
  const { scale, growY } = shape.props
  return (
    <div
      className="tl-note__container"
      data-sb-label={state}
      style={{
        width: dv.noteWidth * scale,
        height: (dv.noteHeight + growY) * scale,
        backgroundColor: dv.noteBackgroundColor,
        borderBottom: `${dv.borderWidth * scale}px solid ${dv.borderColor}`,
        boxShadow: 'none',
      }}
    />
  )
}
