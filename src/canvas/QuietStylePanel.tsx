/**
 * tldraw's style panel, shown only when it has something to act on: a selection, or a drawing
 * tool in hand. On an idle board it stays out of the way of the template and the step bar.
 */
import { DefaultStylePanel, useEditor, useValue, type TLUiStylePanelProps } from 'tldraw'

const IDLE_TOOLS = new Set(['select', 'hand', 'laser', 'zoom'])

export function QuietStylePanel(props: TLUiStylePanelProps) {
  const editor = useEditor()
  const needed = useValue(
    'style panel needed',
    () => editor.getSelectedShapeIds().length > 0 || !IDLE_TOOLS.has(editor.getCurrentToolId()),
    [editor],
  )
  return needed ? <DefaultStylePanel {...props} /> : null
}
