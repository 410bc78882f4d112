/**
 * Frozen frames, shown on the canvas to everyone: a "Frozen" badge with a lock over each
 * frozen frame's top-right corner (the frame's title is on the left), the same size on screen
 * at any zoom, and a small lock on each sticky the frame holds. Derived from the synced
 * shapes, so it appears and goes for everyone the moment the facilitator freezes or
 * unfreezes; nothing is written to the board.
 */
import { useMemo } from 'react'
import { useEditor, useValue, type Editor } from 'tldraw'
import { isBackground } from '../board/shape-meta'
import { frozenFrameOf, frozenFrames } from './freeze'

interface FrozenView {
  frames: { id: string; name: string; x: number; y: number; w: number; h: number }[]
  notes: { id: string; x: number; y: number; rotation: number; scale: number }[]
}

export function FrozenFrames() {
  const editor = useEditor()
  const frozenIds = useMemo(() => frozenFrames(editor), [editor])
  // Compared as text, so a change that freezes nothing and moves no held sticky renders nothing.
  const key = useValue('frozen frames', () => JSON.stringify(frozenView(editor, frozenIds())), [
    editor,
    frozenIds,
  ])
  const view = useMemo(() => JSON.parse(key) as FrozenView, [key])
  const zoom = useValue('zoom', () => editor.getZoomLevel(), [editor])
  return (
    <>
      {view.frames.map((frame) => (
        <div
          key={frame.id}
          className="sb-frozen-frame"
          style={{
            transform: `translate(${frame.x}px, ${frame.y}px)`,
            width: frame.w,
            height: frame.h,
            outlineWidth: 3 / zoom,
          }}
        >
          <span className="sb-frozen-heading" style={{ transform: `scale(${1 / zoom})` }}>
            <span
              className="sb-frozen-badge"
              data-testid="frozen-badge"
              data-frame={frame.id}
              role="status"
              aria-label={`Frame “${frame.name}” is frozen: read-only until the facilitator unfreezes it`}
            >
              <LockIcon size={14} />
              Frozen
            </span>
          </span>
        </div>
      ))}
      {view.notes.map((note) => (
        <div
          key={note.id}
          className="sb-frozen-note"
          data-testid="frozen-note"
          data-note={note.id}
          aria-hidden="true"
          style={{
            transform: `translate(${note.x}px, ${note.y}px) rotate(${note.rotation}rad) scale(${note.scale})`,
          }}
        >
          <LockIcon size={16} />
        </div>
      ))}
    </>
  )
}

function frozenView(editor: Editor, frozenIds: string[]): FrozenView {
  const view: FrozenView = { frames: [], notes: [] }
  if (frozenIds.length === 0) return view
  const pageId = editor.getCurrentPageId()
  for (const id of frozenIds) {
    const frame = editor.getShape(id as never)
    const bounds = frame && editor.getShapePageBounds(frame)
    if (!frame || !bounds || editor.getAncestorPageId(frame) !== pageId) continue
    const name = (frame.props as { name?: string }).name || 'Frame'
    view.frames.push({ id, name, x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h })
  }
  for (const shape of editor.getCurrentPageShapes()) {
    // Template prompts are locked anyway: only the stickies people wrote get the lock.
    if (shape.type !== 'note' || isBackground(shape)) continue
    if (frozenFrameOf(editor, shape, frozenIds) === null) continue
    const transform = editor.getShapePageTransform(shape)
    const point = transform.point()
    const scale = (shape.props as { scale?: number }).scale ?? 1
    view.notes.push({ id: shape.id, x: point.x, y: point.y, rotation: transform.rotation(), scale })
  }
  return view
}

/** Lucide's "lock" (ISC licence), drawn inline: the canvas has no icon font of ours. */
function LockIcon({ size }: { size: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2.25}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <rect width="18" height="11" x="3" y="11" rx="2" ry="2" />
      <path d="M7 11V7a5 5 0 0 1 10 0v4" />
    </svg>
  )
}
