/**
 * The seam between Svelte and React: mounts the tldraw canvas into a DOM element and hands
 * back plain functions. Only `src/canvas` imports React.
 */
import { createRoot } from 'react-dom/client'
import { StrictMode } from 'react'
import { Box, setUserPreferences, getUserPreferences, type Editor, type TLShapeId } from 'tldraw'
import 'tldraw/tldraw.css'
import './zones.css'
import { BoardCanvas } from './BoardCanvas'
import { canvasNotReady, type CanvasHandle, type CanvasOptions } from './board-state'
import { isBackgroundLocked, setBackgroundLocked } from './background'
import { draftTemplate, framesOnPage } from '../templates/draft-template'
import { collectDeckSource } from '../export/deck-source'
import { exportImage, exportScopes, snapshotContent } from '../export/export-image'
import { placeTemplate } from '../templates/place-template'
import { selectedZoneCandidate, setZoneRule, zoneRuleOf } from '../facilitation/zone-rule'

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
    placeTemplate(template) {
      return editor ? placeTemplate(editor, template).shapes.length : 0
    },
    focus(shapeId) {
      const bounds = editor?.getShapePageBounds(shapeId as TLShapeId)
      if (!editor || !bounds) return
      editor.zoomToBounds(Box.From(bounds), { inset: 48, animation: { duration: 300 } })
    },
    setBackgroundLocked(locked) {
      if (editor) setBackgroundLocked(editor, locked)
    },
    isBackgroundLocked() {
      return editor ? isBackgroundLocked(editor) : null
    },
    frames() {
      return editor ? framesOnPage(editor) : { frames: [], selected: null }
    },
    selectedZone() {
      const shape = editor && selectedZoneCandidate(editor)
      return shape ? { id: shape.id, rule: zoneRuleOf(shape) } : null
    },
    setZoneRule(shapeId, rule) {
      const shape = editor?.getShape(shapeId as TLShapeId)
      if (editor && shape) setZoneRule(editor, shape, rule)
    },
    draftTemplate(frameId) {
      return editor ? draftTemplate(editor, frameId) : { elements: [], steps: [], skipped: {} }
    },
    exportScopes() {
      return editor ? exportScopes(editor) : { board: 0, frame: null, selection: 0 }
    },
    exportImage(options) {
      return editor ? exportImage(editor, options) : Promise.reject(canvasNotReady())
    },
    snapshotContent() {
      if (!editor) return Promise.reject(canvasNotReady())
      if (editor.getCurrentPageShapeIds().size === 0) {
        return Promise.reject(new Error('The board is empty: there is nothing to snapshot.'))
      }
      return snapshotContent(editor)
    },
    deckSource(info, onProgress) {
      return editor ? collectDeckSource(editor, info, onProgress) : Promise.reject(canvasNotReady())
    },
    setUser,
    unmount() {
      root.unmount()
    },
  }
}
