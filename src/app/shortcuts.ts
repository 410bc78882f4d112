/**
 * The board page's own keyboard shortcuts, in one table: the page acts on them and the Help
 * dialog lists them, so the two cannot disagree. None may be one of tldraw's (Alt+Shift+H, V,
 * F, "." and "," are): `test/unit/shortcuts.test.ts` reads tldraw's own and fails on a clash,
 * and the page keeps a key it handled from reaching tldraw at all.
 */
export type BoardCommand =
  | 'help'
  | 'share'
  | 'agenda'
  | 'snapshots'
  | 'results'
  | 'export'
  | 'report'
  | 'next-step'
  | 'timer'
  | 'bring-everyone'
  | 'freeze-frame'
  | 'private-brainstorm'
  | 'vote'
  | 'outcomes'
  | 'mark-action'
  | 'mark-decision'
  | 'tidy'
  | 'sort'
  | 'stack-duplicates'
  | 'group-by-theme'
  | 'breakouts'
  | 'present'
  | 'raise-hand'

export interface Shortcut {
  command: BoardCommand
  /** As `aria-keyshortcuts` spells it, e.g. "Alt+Shift+A". */
  keys: string
  label: string
  /** Only the facilitator's (Help lists it for them alone). */
  facilitatorOnly?: boolean
  /** Only for those who can edit (not viewers). */
  editorsOnly?: boolean
}

export const BOARD_SHORTCUTS: readonly Shortcut[] = [
  { command: 'share', keys: 'Alt+Shift+S', label: 'Share this board' },
  { command: 'agenda', keys: 'Alt+Shift+A', label: 'Show or hide the agenda' },
  { command: 'snapshots', keys: 'Alt+Shift+P', label: 'Show or hide the snapshots' },
  { command: 'results', keys: 'Alt+Shift+R', label: 'Show or hide the vote results' },
  { command: 'export', keys: 'Alt+Shift+E', label: 'Export images or slides' },
  { command: 'report', keys: 'Alt+Shift+W', label: 'Download the workshop report (HTML)' },
  { command: 'next-step', keys: 'Alt+Shift+N', label: 'Next step', facilitatorOnly: true },
  {
    command: 'timer',
    keys: 'Alt+Shift+T',
    label: 'Start, pause or resume the timer',
    facilitatorOnly: true,
  },
  {
    command: 'bring-everyone',
    keys: 'Alt+Shift+B',
    label: 'Bring everyone to your view',
    facilitatorOnly: true,
  },
  {
    command: 'freeze-frame',
    keys: 'Alt+Shift+L',
    label: 'Freeze or unfreeze the selected frame (else the step’s)',
    facilitatorOnly: true,
  },
  {
    command: 'private-brainstorm',
    keys: 'Alt+Shift+I',
    label: 'Start or reveal a private brainstorm',
    facilitatorOnly: true,
  },
  {
    command: 'vote',
    keys: 'Alt+Shift+D',
    label: 'Start a vote, or end the one running',
    facilitatorOnly: true,
  },
  { command: 'outcomes', keys: 'Alt+Shift+O', label: 'Show or hide the actions and decisions' },
  {
    command: 'mark-action',
    keys: 'Alt+Shift+K',
    label: 'Mark the selected stickies as actions',
    editorsOnly: true,
  },
  {
    command: 'mark-decision',
    keys: 'Alt+Shift+J',
    label: 'Mark the selected stickies as decisions',
    facilitatorOnly: true,
  },
  { command: 'tidy', keys: 'Alt+Shift+G', label: 'Tidy the selected stickies', editorsOnly: true },
  {
    command: 'sort',
    keys: 'Alt+Shift+Q',
    label: 'Sort the selected stickies (votes, colour, author, text)',
    editorsOnly: true,
  },
  {
    command: 'stack-duplicates',
    keys: 'Alt+Shift+U',
    label: 'Stack duplicate stickies',
    editorsOnly: true,
  },
  {
    command: 'group-by-theme',
    keys: 'Alt+Shift+C',
    label: 'Group the selected stickies by theme',
    editorsOnly: true,
  },
  {
    command: 'breakouts',
    keys: 'Alt+Shift+X',
    label: 'Start breakout groups, or show the groups',
    facilitatorOnly: true,
  },
  {
    command: 'present',
    keys: 'Alt+Shift+M',
    label: 'Present frames as slides',
    facilitatorOnly: true,
  },
  {
    command: 'raise-hand',
    keys: 'Alt+Shift+Y',
    label: 'Raise or lower your hand (the facilitator: the queue of hands)',
  },
  { command: 'help', keys: 'F1', label: 'This help' },
]

export function shortcutFor(command: BoardCommand): Shortcut {
  return BOARD_SHORTCUTS.find((s) => s.command === command)!
}

/** The command a key press means, if any. Letters match by key position (`code`). */
export function commandFor(event: KeyboardEvent): BoardCommand | null {
  for (const shortcut of BOARD_SHORTCUTS) {
    const parts = shortcut.keys.split('+')
    const key = parts.at(-1)!
    const wantsAlt = parts.includes('Alt')
    const wantsShift = parts.includes('Shift')
    if (event.altKey !== wantsAlt || event.shiftKey !== wantsShift) continue
    if (event.ctrlKey || event.metaKey) continue
    if (key.length === 1 ? event.code === `Key${key}` : event.key === key) return shortcut.command
  }
  return null
}
