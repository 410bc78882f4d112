/**
 * The seam between Svelte and React: mounts the tldraw canvas into a DOM element. The shell
 * hears of the editor through `onReady` (a `CanvasHandle`); what it keeps from here is only
 * how to update the user and how to unmount. Only `src/canvas` imports React.
 */
import { createRoot } from 'react-dom/client'
import { StrictMode } from 'react'
import { setUserPreferences, getUserPreferences } from 'tldraw'
import 'tldraw/tldraw.css'
import './zones.css'
import './note-badges.css'
import './frozen.css'
import './fallbacks.css'
import { BoardCanvas } from './BoardCanvas'
import type { CanvasOptions } from './board-state'

export interface MountedCanvas {
  setUser(user: CanvasOptions['user']): void
  unmount(): void
}

export function mountCanvas(element: HTMLElement, options: CanvasOptions): MountedCanvas {
  const setUser = (user: CanvasOptions['user']) =>
    // tldraw's default user store reads these preferences for presence and cursor labels.
    setUserPreferences({ ...getUserPreferences(), ...user })
  setUser(options.user)

  const root = createRoot(element)
  root.render(
    <StrictMode>
      <BoardCanvas {...options} />
    </StrictMode>,
  )
  return { setUser, unmount: () => root.unmount() }
}
