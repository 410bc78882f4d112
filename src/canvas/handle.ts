/**
 * The one handle the canvas hands out, once tldraw's editor is ready. Features take it and
 * do their editor work in their own folders, with tldraw's `Editor` as a type only: this
 * module is where the few capabilities that need tldraw's runtime live, so that React and
 * tldraw stay inside `src/canvas` (and inside its lazily loaded chunk).
 *
 * Adding an editor capability: write it as a function of the editor in its feature; only
 * when it needs tldraw's runtime (a class, a helper function) does it go here.
 */
import {
  getColorValue,
  renderPlaintextFromRichText,
  type Editor,
  type TLDefaultColor,
  type TLNoteShape,
  type TLRichText,
} from 'tldraw'
import type { Role } from '../protocol'
import type { NoteBadges, NoteBadgesAtom } from './note-badges'
import { PICK_TOOL_ID, type PickerSlot, type StickyPicker } from './pick-tool'
import type { CursorLane } from './cursor-lane'
import { createBoardMenus, setMenuItems, type BoardMenuItem, type BoardMenus } from './board-menu'
import { boardOutcomes, watchBoardOutcomes, type BoardOutcome } from './note-outcomes'

export interface CanvasHandle {
  /** tldraw's editor, synced with the board's room. */
  readonly editor: Editor
  readonly roomId: string
  /** What the server decided this connection may do. */
  readonly role: Role
  /** A shape's rich text as plain text, trimmed. */
  plainText(richText: TLRichText): string
  /** A tldraw colour name as CSS, in the light theme (what exports and slides show). */
  colorValue(color: string, variant: keyof TLDefaultColor): string
  /** Marks on stickies (vote counts, own dots, hidden): replaces the layers given. */
  setNoteBadges(layers: Partial<NoteBadges>): void
  /** The marks on stickies now (what an export draws over them). */
  noteBadges(): NoteBadges
  /**
   * Clicks on stickies go to `picker` (a dot vote) until `stopPicking`, another tool is chosen
   * or Escape is pressed; dragging pans. Calling it again replaces the picker.
   */
  startPicking(picker: StickyPicker): void
  stopPicking(): void
  /**
   * This person's hidden stickies from the server (a private brainstorm), put in or taken out
   * of the canvas as remote changes: tldraw's sync client never pushes those back. Only valid
   * note records are taken; returns the ids put.
   */
  mergePrivateNotes(puts: readonly unknown[], deletes: readonly string[]): string[]
  /**
   * Shows or hides others' cursors on this screen; the server is told too, so it stops sending
   * them (the facilitators' views still come, for follow-me).
   */
  setShowCursors(show: boolean): void
  /** Replaces this feature's entries in the board's context menu (board-menu.ts). */
  setMenuItems(owner: string, items: readonly BoardMenuItem[]): void
  /** The board's actions and decisions, own marks and zone-declared (note-outcomes.ts). */
  outcomes(): BoardOutcome[]
  /** Calls `onChange` whenever `outcomes()` may say something new; returns the stop. */
  watchOutcomes(onChange: () => void): () => void
}

export function createCanvasHandle(
  editor: Editor,
  roomId: string,
  role: Role,
  badges: NoteBadgesAtom,
  picker: PickerSlot = { current: null },
  lane: Pick<CursorLane, 'setShowCursors'> | null = null,
  menus: BoardMenus = createBoardMenus(),
): CanvasHandle {
  return {
    editor,
    roomId,
    role,
    plainText: (richText) => renderPlaintextFromRichText(editor, richText).trim(),
    colorValue: (color, variant) =>
      getColorValue(editor.getCurrentTheme().colors.light, color, variant),
    setNoteBadges: (layers) => badges.update((now) => ({ ...now, ...layers })),
    noteBadges: () => badges.get(),
    startPicking(next) {
      picker.current = next
      if (editor.getCurrentToolId() !== PICK_TOOL_ID) editor.setCurrentTool(PICK_TOOL_ID)
    },
    stopPicking() {
      if (editor.getCurrentToolId() === PICK_TOOL_ID) editor.setCurrentTool('select')
      picker.current = null
    },
    mergePrivateNotes: (puts, deletes) => {
      const notes = puts.flatMap((value) => {
        const record = value as Partial<TLNoteShape> | null
        if (record?.typeName !== 'shape' || record.type !== 'note') return []
        try {
          return [editor.store.schema.types.shape.validate(record) as TLNoteShape]
        } catch {
          return []
        }
      })
      const gone = deletes.filter((id) => {
        const shape = editor.store.get(id as TLNoteShape['id'])
        return shape?.typeName === 'shape' && shape.type === 'note'
      }) as TLNoteShape['id'][]
      editor.store.mergeRemoteChanges(() => {
        if (notes.length > 0) editor.store.put(notes)
        if (gone.length > 0) editor.store.remove(gone)
      })
      return notes.map((note) => note.id)
    },
    setShowCursors: (show) => lane?.setShowCursors(show),
    setMenuItems: (owner, items) => setMenuItems(menus, owner, items),
    outcomes: () =>
      boardOutcomes(editor, (shape) =>
        shape.type === 'note'
          ? renderPlaintextFromRichText(editor, (shape as TLNoteShape).props.richText).trim()
          : '',
      ),
    watchOutcomes: (onChange) => watchBoardOutcomes(editor, onChange),
  }
}
