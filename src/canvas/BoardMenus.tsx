/**
 * The board's context menu: the features' entries (board-menu.ts), then, for the facilitator,
 * "Freeze frame", then tldraw's own. Each feature's entries are a group of their own.
 */
import { useState } from 'react'
import {
  DefaultContextMenu,
  DefaultContextMenuContent,
  TldrawUiMenuGroup,
  TldrawUiMenuItem,
  TldrawUiMenuSubmenu,
  useEditor,
  useValue,
  type Editor,
  type TLUiContextMenuProps,
} from 'tldraw'
import type { BoardMenuItem, BoardMenus } from './board-menu'
import { FreezeFrameItem } from './FreezeMenu'

export function boardContextMenu(menus: BoardMenus, facilitator: boolean) {
  return function BoardContextMenu(props: TLUiContextMenuProps) {
    return (
      <DefaultContextMenu {...props}>
        <FeatureItems menus={menus} />
        {facilitator && <FreezeFrameItem atPointer />}
        <DefaultContextMenuContent />
      </DefaultContextMenu>
    )
  }
}

function FeatureItems({ menus }: { menus: BoardMenus }) {
  const editor = useEditor()
  // Where the menu opened: read once, so moving over the menu does not change what it is about.
  const [at] = useState(() => editor.inputs.getCurrentPagePoint().clone())
  // Which entries apply, as ids: the menu redraws when that changes, not on every edit.
  const shown = useValue(
    'board menu entries',
    () => {
      const ids: string[] = []
      for (const items of menus.get().values()) collectVisible(editor, at, items, ids)
      return ids.join('\n')
    },
    [editor, menus, at],
  )
  const visible = new Set(shown.split('\n'))
  return [...menus.get()].map(([owner, items]) => {
    const entries = items.filter((item) => visible.has(item.id))
    if (entries.length === 0) return null
    return (
      <TldrawUiMenuGroup key={owner} id={`switchback-${owner}`}>
        {entries.map((item) => (
          <Entry key={item.id} item={item} visible={visible} at={at} />
        ))}
      </TldrawUiMenuGroup>
    )
  })
}

interface EntryProps {
  item: BoardMenuItem
  visible: ReadonlySet<string>
  at: { x: number; y: number }
}

function Entry({ item, visible, at }: EntryProps) {
  const editor = useEditor()
  if (item.children) {
    return (
      <TldrawUiMenuSubmenu id={item.id} label={item.label}>
        <TldrawUiMenuGroup id={`${item.id}-items`}>
          {item.children
            .filter((child) => visible.has(child.id))
            .map((child) => (
              <Entry key={child.id} item={child} visible={visible} at={at} />
            ))}
        </TldrawUiMenuGroup>
      </TldrawUiMenuSubmenu>
    )
  }
  return (
    <TldrawUiMenuItem
      id={item.id}
      label={item.label}
      icon={item.icon}
      kbd={item.kbd}
      onSelect={() => item.onSelect?.(editor, at)}
    />
  )
}

function collectVisible(
  editor: Editor,
  at: { x: number; y: number },
  items: readonly BoardMenuItem[],
  into: string[],
) {
  for (const item of items) {
    if (item.visible && !item.visible(editor, at)) continue
    into.push(item.id)
    if (item.children) collectVisible(editor, at, item.children, into)
  }
}
