/**
 * "Freeze frame" / "Unfreeze frame" in the facilitator's context menu and actions menu: it
 * acts on the selected frame, the frame the selection is in, or (in the context menu) the
 * frame that was right-clicked, locked template frames included. The board page's keyboard
 * shortcut (Alt+Shift+L, `src/app/shortcuts.ts`) does the same.
 */
import { useState } from 'react'
import {
  DefaultActionsMenu,
  DefaultActionsMenuContent,
  TldrawUiMenuGroup,
  TldrawUiMenuItem,
  useEditor,
  useValue,
  type TLUiActionsMenuProps,
} from 'tldraw'
import { isFrozen } from '../board/shape-meta'
import { frameToFreeze, setFrameFrozen } from './freeze'

/** tldraw's way of writing Alt+Shift+L in a menu ("?" Alt, "!" Shift). */
const KBD = '?!l'

export function FreezeFrameItem({ atPointer }: { atPointer: boolean }) {
  const editor = useEditor()
  // Where the menu opened: read once, so moving over the menu does not change its target.
  const [point] = useState(() => (atPointer ? editor.inputs.getCurrentPagePoint().clone() : null))
  const target = useValue(
    'frame to freeze',
    () => {
      const frame = frameToFreeze(editor, point ?? undefined)
      return frame ? { id: frame.id, frozen: isFrozen(frame) } : null
    },
    [editor, point],
  )
  if (!target) return null
  return (
    <TldrawUiMenuGroup id="switchback-freeze">
      <TldrawUiMenuItem
        id="switchback-freeze-frame"
        label={target.frozen ? 'Unfreeze frame' : 'Freeze frame'}
        icon={target.frozen ? 'unlock' : 'lock'}
        kbd={KBD}
        onSelect={() => setFrameFrozen(editor, target.id, !target.frozen)}
      />
    </TldrawUiMenuGroup>
  )
}

export function FacilitatorActionsMenu(props: TLUiActionsMenuProps) {
  return (
    <DefaultActionsMenu {...props}>
      <DefaultActionsMenuContent />
      <FreezeFrameItem atPointer={false} />
    </DefaultActionsMenu>
  )
}
