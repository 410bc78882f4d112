/**
 * A tool for picking stickies (a dot vote's clicks): a click or tap on a sticky the feature
 * allows calls it back; dragging pans the board, as the hand tool does; nothing on the board
 * is selected, moved or edited meanwhile. Features start and stop it through the canvas
 * handle (`startPicking` / `stopPicking`); choosing another tool (or Escape) stops it, and the
 * feature hears so (`onStop`), to offer coming back.
 */
import { StateNode, Vec, type Editor, type TLShape, type TLShapeId } from 'tldraw'
import { NOTE_SIZE } from '../board/geometry'

export const PICK_TOOL_ID = 'sb-pick-sticky'

export interface StickyPicker {
  /** A sticky was clicked; `onDots`: on the corner where this person's dots are drawn. */
  onPick(shapeId: string, where: { onDots: boolean }): void
  /** Whether clicking this sticky does anything (a sticky outside the vote does not). */
  isPickable(shapeId: string): boolean
  /** The tool was left (another tool chosen, Escape, or `stopPicking`). */
  onStop(): void
}

/** Where the canvas keeps the picker in use: set by the handle, read by the tool. */
export interface PickerSlot {
  current: StickyPicker | null
}

/** The part of a note, from its bottom-right corner, where own dots are drawn (note-badges). */
const DOTS_CORNER = { w: 0.6, h: 0.3 }

export function pickToolFor(slot: PickerSlot) {
  return class PickStickyTool extends StateNode {
    static override id = PICK_TOOL_ID

    /** The sticky under the pointer when it went down, and the camera then (for a pan). */
    private down: { shapeId: TLShapeId | null; camera: Vec } | null = null
    private panning = false

    override onEnter() {
      this.editor.selectNone()
      this.editor.setCursor({ type: 'default', rotation: 0 })
    }

    override onExit() {
      this.down = null
      slot.current?.onStop()
    }

    override onPointerDown() {
      this.down = {
        shapeId: pickableAt(this.editor, slot)?.id ?? null,
        camera: Vec.From(this.editor.getCamera()),
      }
      this.panning = false
    }

    override onPointerMove() {
      const { editor, down } = this
      if (!down) {
        const over = pickableAt(editor, slot)
        editor.setCursor({ type: over ? 'pointer' : 'default', rotation: 0 })
        return
      }
      if (!this.panning && !editor.inputs.getIsDragging()) return
      this.panning = true
      const delta = Vec.Sub(
        editor.inputs.getCurrentScreenPoint(),
        editor.inputs.getOriginScreenPoint(),
      ).div(editor.getZoomLevel())
      editor.setCamera(down.camera.clone().add(delta))
    }

    override onPointerUp() {
      const { down, panning } = this
      this.down = null
      if (!down?.shapeId || panning) return
      // Still on the same sticky: a click, not a press that slid off.
      const now = pickableAt(this.editor, slot)
      if (now?.id !== down.shapeId) return
      slot.current?.onPick(now.id, { onDots: onDotsCorner(this.editor, now) })
    }

    override onCancel() {
      this.editor.setCurrentTool('select')
    }

    override onInterrupt() {
      this.down = null
    }
  }
}

function pickableAt(editor: Editor, slot: PickerSlot): TLShape | undefined {
  const picker = slot.current
  if (!picker) return undefined
  return editor.getShapeAtPoint(editor.inputs.getCurrentPagePoint(), {
    hitInside: true,
    hitLocked: true,
    renderingOnly: true,
    filter: (shape) => shape.type === 'note' && picker.isPickable(shape.id),
  })
}

/** Whether the pointer is on the corner of the note where its own dots are drawn. */
function onDotsCorner(editor: Editor, shape: TLShape): boolean {
  const local = editor.getPointInShapeSpace(shape, editor.inputs.getCurrentPagePoint())
  const scale = (shape.props as { scale?: number }).scale ?? 1
  const size = NOTE_SIZE * scale
  return local.x > size * (1 - DOTS_CORNER.w) && local.y > size * (1 - DOTS_CORNER.h)
}
