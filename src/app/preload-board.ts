/**
 * What a board page waits for before it can draw, asked for at once instead of one after the
 * other: when the app starts on a board link (`/b/<id>`), or as soon as `/new` has asked the
 * server for the board (a template board gets them while the server creates it). They are the
 * board page's and the canvas's code (otherwise the canvas chunk is asked for only once the
 * board page has loaded and mounted) and the font files tldraw waits for before its first
 * render (otherwise asked for only once the editor exists and has the board's records).
 *
 * The fonts (src/canvas/board-fonts.ts) are preloaded by URL, not loaded: tldraw makes its own
 * font faces from the same files and finds these in the page's cache.
 * Runs when first imported (main.ts imports it first, before the app's other modules run).
 */
import { BOARD_FONT_URLS } from '../canvas/board-fonts'
import { preloadFonts } from '../canvas/font-preload'
import { parseRoute } from './router.svelte'

let started = false

/** Starts fetching the board page, the canvas and its fonts; once per page load. */
export function preloadBoard(): void {
  if (started) return
  started = true
  const code = [import('./pages/Board.svelte'), import('../canvas/mount')]
  // The fonts once the code is in: asked for together, they slowed the canvas chunk (the
  // critical path) more than they saved; after it, they arrive while the board page mounts
  // and connects, before tldraw asks for them.
  // A chunk that fails to load is the board page's to report (App.svelte); nothing to add here.
  void Promise.all(code).then(
    () => preloadFonts(BOARD_FONT_URLS),
    () => {},
  )
}

// A board link: nothing else comes first. `/new` starts them itself, right after asking the
// server for the board, so that request is not queued behind these files.
if (parseRoute(window.location.pathname).page === 'board') preloadBoard()
