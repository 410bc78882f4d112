/**
 * Features' entries in the board's context menu (right-click, long-press): plain data, so that
 * a feature adds "Tidy" or "Mark as action" without touching React. Each feature replaces its
 * own list through the canvas handle (`setMenuItems`); the menu (BoardMenus.tsx) shows every
 * list, feature by feature, above tldraw's own entries, for every role that can edit.
 */
import { atom, type Editor } from 'tldraw'

export interface BoardMenuItem {
  /** Unique across the menu: tldraw keys and tests find entries by it. */
  id: string
  label: string
  /** A tldraw icon name (`lock`, `check`…), optional. */
  icon?: string
  /** The shortcut in tldraw's notation ("?!g": Alt+Shift+G), shown beside the label. */
  kbd?: string
  /**
   * Whether the entry applies now: read inside a reactive scope, so keep it cheap. `at` is the
   * page point where the menu opened (a right-click on a locked frame selects nothing).
   */
  visible?(editor: Editor, at: { x: number; y: number }): boolean
  onSelect?(editor: Editor, at: { x: number; y: number }): void
  /** A submenu instead of an action ("Sort by › Votes, Colour…"). */
  children?: readonly BoardMenuItem[]
}

export type BoardMenus = ReturnType<typeof createBoardMenus>

/** Every feature's entries, by feature, in the order the features first set them. */
export function createBoardMenus() {
  return atom<ReadonlyMap<string, readonly BoardMenuItem[]>>('board menus', new Map())
}

export function setMenuItems(menus: BoardMenus, owner: string, items: readonly BoardMenuItem[]) {
  menus.update((now) => new Map(now).set(owner, items))
}
