/**
 * The seam between Svelte and React: mounts the tldraw canvas into a DOM element and hands
 * back plain functions. Only `src/canvas` imports React.
 */
import { createRoot } from 'react-dom/client'
import { StrictMode } from 'react'
import { setUserPreferences, getUserPreferences, type Editor } from 'tldraw'
import 'tldraw/tldraw.css'
import { BoardCanvas } from './BoardCanvas'
import type { CanvasHandle, CanvasOptions } from './board-state'

export function mountCanvas(element: HTMLElement, options: CanvasOptions): CanvasHandle {
  let editor: Editor | null = null
  const setUser = (user: CanvasOptions['user']) =>
    // tldraw's default user store reads these preferences for presence and cursor labels.
    setUserPreferences({ ...getUserPreferences(), ...user })
  setUser(options.user)

  const root = createRoot(element)
  root.render(
    <StrictMode>
      <BoardCanvas {...options} onEditor={(e) => (editor = e)} />
    </StrictMode>,
  )
  return {
    rename(title) {
      editor?.updateDocumentSettings({ name: title })
    },
    setUser,
    unmount() {
      root.unmount()
    },
  }
}
