/**
 * The private brainstorm on this person's canvas: which stickies are hidden (the "Only you"
 * mark), the hidden stickies the server sends this person's sockets, and the frame a
 * facilitator may scope a brainstorm to. The server decides what is hidden and sends it to
 * nobody else; nothing here is trusted by it.
 *
 * A sticky this person creates while the brainstorm is on, in its scope, is hidden by the
 * server (participants only), so it is marked here as it is created; the ones created on
 * another of this person's devices or tabs, and all of them after a reconnect, arrive as
 * `private-notes` messages and are put on the canvas as remote changes.
 */
import type { Editor, TLShape, TLShapeId } from 'tldraw'
import type { CanvasHandle } from '../canvas/handle'
import type { PrivateScope } from '../protocol/facilitation'
import type { PrivateNotesMessage, Workshop } from './workshop.svelte'

/** A frame a brainstorm may be scoped to. */
export interface FrameChoice {
  frameId: string
  label: string
}

/** The selected frame, or the frame around the first selected shape; null when none. */
export function frameScopeFor(editor: Editor): FrameChoice | null {
  for (const shape of editor.getSelectedShapes()) {
    const frame =
      shape.type === 'frame'
        ? shape
        : editor.findShapeAncestor(shape, (parent) => parent.type === 'frame')
    if (frame) return { frameId: frame.id, label: frameLabel(frame) }
  }
  return null
}

function frameLabel(frame: TLShape): string {
  const name = (frame.props as { name?: unknown }).name
  return (typeof name === 'string' && name.trim().slice(0, 60)) || 'Frame'
}

/** Whether the server hides a new sticky with this parent during a brainstorm on `scope`. */
function inScope(editor: Editor, note: TLShape, scope: PrivateScope): boolean {
  if (scope.kind === 'board') return true
  if (note.parentId === scope.frameId) return true
  return !!editor.findShapeAncestor(note, (parent) => parent.id === scope.frameId)
}

/**
 * Keeps the canvas's hidden stickies and their "Only you" marks while the page is open.
 * `scope()` is the brainstorm on now (null: none); `hidesMine` whether this person's new
 * stickies are hidden (a participant's are, the facilitator's are not).
 */
export function trackHiddenNotes(
  canvas: CanvasHandle,
  workshop: Workshop,
  scope: () => PrivateScope | null,
  hidesMine: boolean,
) {
  const hidden = new Set<string>()
  // Public stickies this person deleted: an undo brings one back with its id, and the server
  // keeps an id the board has had public, so it gets no "Only you" mark.
  const deletedPublic = new Set<string>()
  const show = () =>
    canvas.setNoteBadges({ hidden: Object.fromEntries([...hidden].map((id) => [id, true])) })
  const timers = new Set<ReturnType<typeof setTimeout>>()

  const apply = (message: PrivateNotesMessage) => {
    for (const id of canvas.mergePrivateNotes(message.puts, message.deletes)) hidden.add(id)
    for (const id of message.deletes) hidden.delete(id)
    show()
  }
  workshop.listenPrivateNotes((message) => {
    if (message.reset) return apply(message)
    // A change may answer a push of ours the server did not commit whole: tldraw's client
    // rolls that push back on its next rebase (a frame later), so this goes on after it.
    const timer = setTimeout(() => {
      timers.delete(timer)
      apply(message)
    }, 150)
    timers.add(timer)
  })

  const stopListening = canvas.editor.store.listen(
    ({ changes }) => {
      const now = scope()
      let changed = false
      if (now && hidesMine) {
        for (const record of Object.values(changes.added)) {
          if (record.typeName !== 'shape' || record.type !== 'note') continue
          if (deletedPublic.has(record.id) || !inScope(canvas.editor, record, now)) continue
          hidden.add(record.id)
          changed = true
        }
      }
      for (const id of Object.keys(changes.removed)) {
        if (hidden.has(id)) changed = hidden.delete(id) || changed
        else deletedPublic.add(id)
      }
      if (changed) show()
    },
    { source: 'user', scope: 'document' },
  )

  return {
    /** The brainstorm is over (revealed): nothing is hidden any more. */
    clear() {
      if (hidden.size === 0) return
      hidden.clear()
      show()
    },
    isHidden: (id: TLShapeId | string) => hidden.has(id),
    stop() {
      stopListening()
      workshop.listenPrivateNotes(null)
      for (const timer of timers) clearTimeout(timer)
      hidden.clear()
      show()
    },
  }
}
