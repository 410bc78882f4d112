/**
 * The board's own shortcuts never clash with tldraw's. tldraw's listener runs first (on the
 * body), so an app shortcut that is also one of tldraw's does both: Alt+Shift+V used to start a
 * vote *and* distribute the selected stickies for everyone.
 *
 * The shortcuts are read from tldraw itself, not copied: its actions and tools are built by its
 * own providers (`TldrawUiContextProvider`, rendered once on the server side of React with a
 * stand-in editor: the providers only build plain objects with `kbd` strings, and no action is
 * run), and each `kbd` is parsed with tldraw's own functions (`getHotkeysStringFromKbd`,
 * `parseKbd`, the ones `useKeyboardShortcuts` registers with). So a tldraw upgrade that adds a
 * shortcut, or changes its notation, is seen here. The last step, matching a key press against
 * the parsed shortcut, follows tldraw's `matchesEvent` (not exported): same modifiers, and the
 * key (or, for a non-ASCII key such as macOS's Option letters, the key position).
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import {
  EditorContext,
  TldrawUiContextProvider,
  useActions,
  useTools,
  type Editor,
  type TLUiActionsContextType,
  type TLUiToolsContextType,
} from 'tldraw'
import { describe, expect, it } from 'vitest'
import { BOARD_SHORTCUTS, commandFor } from '../../src/app/shortcuts'

interface ParsedKbd {
  key: string
  shift: boolean
  alt: boolean
  ctrl: boolean
  meta: boolean
}
interface TldrawKbd {
  getHotkeysStringFromKbd(kbd: string): string
  parseKbd(hotkeys: string): ParsedKbd[]
}

// tldraw's parser is not in its public exports: load its module by file (a string, so the
// type checker does not look for declarations it does not ship).
const kbdModule = join(
  import.meta.dirname,
  '../../node_modules/tldraw/dist-esm/lib/ui/hooks/useKeyboardShortcuts.mjs',
)
const { getHotkeysStringFromKbd, parseKbd } = (await import(kbdModule)) as TldrawKbd

/** Any property, any call: enough for the providers to build their lists without an editor. */
function standIn(): unknown {
  return new Proxy(function () {}, {
    get: (_target, key) =>
      key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : standIn(),
    apply: () => standIn(),
  })
}

/** Every tldraw action and tool with a shortcut, as tldraw defines them. */
function tldrawShortcuts(): { id: string; kbd: string; parsed: ParsedKbd[] }[] {
  let actions: TLUiActionsContextType = {}
  let tools: TLUiToolsContextType = {}
  function Probe() {
    actions = useActions()
    tools = useTools()
    return null
  }
  renderToString(
    createElement(
      EditorContext.Provider,
      { value: standIn() as Editor },
      createElement(TldrawUiContextProvider, {}, createElement(Probe)),
    ),
  )
  return [
    ...Object.values(actions).map((a) => ({ id: `action ${a.id}`, kbd: a.kbd })),
    ...Object.values(tools).map((t) => ({ id: `tool ${t.id}`, kbd: t.kbd })),
  ].flatMap(({ id, kbd }) =>
    kbd ? [{ id, kbd, parsed: parseKbd(getHotkeysStringFromKbd(kbd)) }] : [],
  )
}

/** The key events Chromium sends for "Alt+Shift+D": on Linux and Windows, and on a Mac. */
function pressesFor(keys: string) {
  const parts = keys.split('+')
  const key = parts.at(-1)!
  const letter = /^[A-Z]$/.test(key)
  const base = {
    altKey: parts.includes('Alt'),
    shiftKey: parts.includes('Shift'),
    ctrlKey: parts.includes('Ctrl'),
    metaKey: parts.includes('Meta'),
    code: letter ? `Key${key}` : key,
  }
  return [
    { ...base, key: letter && !base.shiftKey ? key.toLowerCase() : key },
    // macOS: Option turns the letter into another character (⌥⇧D is "Î").
    ...(letter && base.altKey ? [{ ...base, key: 'Î' }] : []),
  ]
}

type Press = ReturnType<typeof pressesFor>[number]

/** tldraw's `matchesEvent`, for these presses. */
function matches(press: Press, parsed: ParsedKbd): boolean {
  if (press.shiftKey !== parsed.shift || press.altKey !== parsed.alt) return false
  if (press.ctrlKey !== parsed.ctrl || press.metaKey !== parsed.meta) return false
  const key = press.key.toLowerCase()
  if (key === parsed.key) return true
  if (key.length === 1 && /^[\x20-\x7e]$/.test(key)) return false
  return /^Key[A-Z]$/.test(press.code) && press.code.slice(3).toLowerCase() === parsed.key
}

function clashes(keys: string, shortcuts = tldrawShortcuts()): string[] {
  return shortcuts
    .filter(({ parsed }) => pressesFor(keys).some((p) => parsed.some((k) => matches(p, k))))
    .map(({ id, kbd }) => `${keys} is tldraw's ${id} (${kbd})`)
}

describe("the board's shortcuts and tldraw's", () => {
  const shortcuts = tldrawShortcuts()

  it("reads tldraw's own shortcuts, and would see a clash", () => {
    expect(shortcuts.length).toBeGreaterThan(50)
    // The clash this test is for: the vote's old key is tldraw's "distribute vertically".
    expect(clashes('Alt+Shift+V', shortcuts)).toEqual([
      "Alt+Shift+V is tldraw's action distribute-vertical (alt+shift+V)",
    ])
    expect(clashes('Alt+Shift+H', shortcuts)).toHaveLength(1)
    expect(clashes('Alt+Shift+F', shortcuts)).toHaveLength(1)
    expect(clashes('N', shortcuts)).toEqual(["N is tldraw's tool note (n)"])
  })

  it.each(BOARD_SHORTCUTS.map((s) => [s.keys, s.command] as const))(
    '%s (%s) is none of tldraw’s',
    (keys) => {
      expect(clashes(keys, shortcuts)).toEqual([])
    },
  )

  it('has one command per key, and each key press means its command', () => {
    const keys = BOARD_SHORTCUTS.map((s) => s.keys)
    expect(new Set(keys).size).toBe(keys.length)
    for (const shortcut of BOARD_SHORTCUTS) {
      for (const press of pressesFor(shortcut.keys)) {
        expect(commandFor(press as KeyboardEvent), shortcut.keys).toBe(shortcut.command)
      }
    }
    expect(commandFor(pressesFor('Alt+Shift+V')[0] as KeyboardEvent)).toBeNull()
  })

  it('is spelled the same in the buttons, titles and README as in the table', () => {
    const known = new Set(BOARD_SHORTCUTS.map((s) => s.keys))
    const root = join(import.meta.dirname, '../..')
    const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.svelte') || f.endsWith('.ts') || f.endsWith('.tsx'))
      .map((f) => join(root, 'src', f))
    const named: string[] = []
    for (const file of [...files, join(root, 'README.md')]) {
      const text = readFileSync(file, 'utf8')
        .replace(/<kbd>(\w+)<\/kbd>\+<kbd>(\w+)<\/kbd>\+<kbd>(\w+)<\/kbd>/g, '$1+$2+$3')
        // What the user sees (attributes, titles, labels, the README), not comments.
        .split('\n')
        .filter((line) => !/^\s*(\*|\/\*|\/\/)/.test(line))
        .join('\n')
      for (const [keys] of text.matchAll(/\bAlt\+Shift\+[A-Z0-9]\b/g)) named.push(keys)
    }
    expect(named.length).toBeGreaterThan(10)
    expect(named.filter((keys) => !known.has(keys))).toEqual([])
  })
})
