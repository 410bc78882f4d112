/**
 * Crowd mode as the people list shows it, and this person's own "show others' cursors" (kept
 * on this device). What the server enforces is in the workshop view (`cursors`); this only
 * words it and remembers the local choice.
 */
import { z } from 'zod'
import type { CursorMode, CursorModeChoice, CursorsView } from '../protocol'
import { readLocal, writeLocal } from '../shared/local-store'

const SHOW_KEY = 'switchback:show-cursors'

/** Whether this person shows others' cursors; the board hands it to every new canvas. */
class CursorPreference {
  show = $state(readLocal(SHOW_KEY, z.boolean(), true))
  setShow(show: boolean) {
    this.show = show
    writeLocal(SHOW_KEY, show)
  }
}
export const cursorPreference = new CursorPreference()

export const MODE_CHOICES: { value: CursorModeChoice; label: string }[] = [
  { value: 'auto', label: 'Auto' },
  { value: 'everyone', label: 'Everyone' },
  { value: 'facilitators', label: 'Facilitators only' },
  { value: 'none', label: 'None' },
]

const MODE_WORDS: Record<CursorMode, string> = {
  everyone: 'everyone',
  facilitators: 'facilitators only',
  none: 'none',
}

/** "Cursors: facilitators only (auto, 42 people)": what is in force, and why. */
export function cursorModeLine(view: CursorsView): string {
  const people = `${view.editors} ${view.editors === 1 ? 'person' : 'people'}`
  const why = view.chosen === 'auto' ? `auto, ${people}` : 'set by the facilitator'
  return `Cursors: ${MODE_WORDS[view.effective]} (${why})`
}
