/**
 * Arrange as commands: what the shortcuts, the context menu and the phone's menu run. Each
 * takes the canvas handle, runs one operation (operations.ts) and says in a toast what it did
 * and what it left. Sort by remembers the last order chosen on this device, for its shortcut.
 */
import { toast } from 'svelte-sonner'
import type { TLNoteShape, TLShape } from 'tldraw'
import type { CanvasHandle } from '../canvas/handle'
import type { BoardMenuItem } from '../canvas/board-menu'
import {
  SORT_LABELS,
  groupByTheme,
  mayArrange,
  sortBy,
  stackDuplicates,
  tidy,
  type ArrangeContext,
  type ArrangeResult,
  type SortKey,
} from './operations'

export type ArrangeOperation = 'tidy' | 'stack' | 'group' | { sort: SortKey }

export const SORT_KEYS = Object.keys(SORT_LABELS) as SortKey[]

const SORT_STORAGE = 'switchback:arrange-sort'

export function lastSortKey(): SortKey | null {
  try {
    const key = localStorage.getItem(SORT_STORAGE)
    return SORT_KEYS.find((k) => k === key) ?? null
  } catch {
    return null
  }
}

function rememberSortKey(key: SortKey) {
  try {
    localStorage.setItem(SORT_STORAGE, key)
  } catch {
    // A private window without storage: the shortcut asks again next time.
  }
}

export function arrangeContext(canvas: CanvasHandle): ArrangeContext {
  return {
    editor: canvas.editor,
    role: canvas.role,
    noteText: (shape: TLShape) =>
      shape.type === 'note' ? canvas.plainText((shape as TLNoteShape).props.richText) : '',
    votes: () => canvas.noteBadges().results,
  }
}

/** Runs one operation and toasts what it did; nothing for a viewer. */
export function runArrange(canvas: CanvasHandle, op: ArrangeOperation): ArrangeResult | null {
  if (!mayArrange(canvas.role)) return null
  const ctx = arrangeContext(canvas)
  let result: ArrangeResult
  if (op === 'tidy') result = tidy(ctx)
  else if (op === 'stack') result = stackDuplicates(ctx)
  else if (op === 'group') result = groupByTheme(ctx)
  else {
    rememberSortKey(op.sort)
    result = sortBy(ctx, op.sort)
  }
  const show = result.ok ? toast.success : toast.info
  show(result.message, { id: 'arrange', description: result.detail })
  return result
}

/** The context menu's Arrange entries, for whoever can edit, when something is selected. */
export function installArrangeMenu(canvas: CanvasHandle) {
  if (!mayArrange(canvas.role)) return
  const visible = (editor: CanvasHandle['editor']) => editor.getSelectedShapeIds().length > 0
  const run = (op: ArrangeOperation) => () => void runArrange(canvas, op)
  const items: BoardMenuItem[] = [
    {
      // tldraw has its own "Arrange" submenu (id `arrange`): this one is named apart.
      id: 'sort-cluster',
      label: 'Sort and cluster',
      visible,
      children: [
        { id: 'arrange-tidy', label: 'Tidy', kbd: '?!g', onSelect: run('tidy') },
        {
          id: 'arrange-sort',
          label: 'Sort by',
          children: SORT_KEYS.map((key) => ({
            id: `arrange-sort-${key}`,
            label: SORT_LABELS[key],
            onSelect: run({ sort: key }),
          })),
        },
        { id: 'arrange-stack', label: 'Stack duplicates', kbd: '?!u', onSelect: run('stack') },
        { id: 'arrange-group', label: 'Group by theme', kbd: '?!c', onSelect: run('group') },
      ],
    },
  ]
  canvas.setMenuItems('arrange', items)
}
