/**
 * Freezing a frame when its step is done: the facilitator's command (keyboard, step bar),
 * acting on the selected frame, the frame the selection is in, or the current step's frame.
 * What a frozen frame holds is read-only for everyone else; the server enforces it
 * (`src/server/rules/roles.ts`), the canvas guards and marks it (`src/canvas/freeze.ts`).
 */
import type { Editor, TLShape, TLShapeId } from 'tldraw'
import { toast } from 'svelte-sonner'
import type { CanvasHandle } from '../canvas/handle'
import { frameOf, frameToFreeze, setFrameFrozen } from '../canvas/freeze'
import { isFrozen } from '../board/shape-meta'

/** The frame an agenda step focuses: the focus itself, or the frame its zone is in. */
export function stepFrame(editor: Editor, focus: string | undefined): TLShape | null {
  const shape = focus ? editor.getShape(focus as TLShapeId) : undefined
  return shape ? frameOf(editor, shape) : null
}

/** A frame's name as its heading shows it. */
export function frameName(frame: TLShape): string {
  return (frame.props as { name?: string }).name || 'Frame'
}

/**
 * Freezes the frame the command means (or unfreezes it, when it is frozen), and says so;
 * tells the facilitator what to select when there is none.
 */
export function toggleFreeze(canvas: CanvasHandle, stepFocus?: string): void {
  const { editor } = canvas
  const frame = frameToFreeze(editor) ?? stepFrame(editor, stepFocus)
  if (!frame) {
    toast.error('Select a frame, or a sticky in one, to freeze it.')
    return
  }
  setFrozen(canvas, frame, !isFrozen(frame))
}

export function setFrozen(canvas: CanvasHandle, frame: TLShape, frozen: boolean) {
  setFrameFrozen(canvas.editor, frame.id, frozen)
  const name = frameName(frame)
  toast.success(
    frozen ? `“${name}” is frozen: read-only for participants.` : `“${name}” can be edited again.`,
    {
      id: 'freeze',
    },
  )
}

/** Calls `onChange` with the frame's frozen state now and whenever it changes; stops on call. */
export function watchFrozen(
  editor: Editor,
  frameId: string,
  onChange: (frozen: boolean) => void,
): () => void {
  let last: boolean | null = null
  const read = () => {
    const shape = editor.getShape(frameId as TLShapeId)
    const now = shape ? isFrozen(shape) : false
    if (now !== last) onChange((last = now))
  }
  read()
  return editor.store.listen(read, { scope: 'document' })
}
