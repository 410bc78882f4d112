/**
 * A collaborator's cursor that glides. The lane brings a position every 50 ms or so (a tick),
 * which drawn as is would step; this draws tldraw's own cursor markup, moved from where it is
 * shown towards each new position over the time the last tick took to come (the idea of
 * `perfect-cursors`, in a few lines: straight segments, no spline), so it keeps moving between
 * ticks and lags at most one tick behind. Hidden while this person hides others' cursors.
 */
import { memo, useLayoutEffect, useRef } from 'react'
import { useSharedSafeId, useValue, type Atom, type TLCursorProps } from 'tldraw'

/** The longest a glide lasts: a cursor that was still and moves again jumps no slower. */
const MAX_GLIDE_MS = 120

/** tldraw's `CollaboratorCursor` component, drawn only while `show` holds. */
export function laneCursor(show: Atom<boolean>) {
  return memo(function LaneCursor(props: TLCursorProps) {
    const visible = useValue(show)
    if (!visible || !props.point) return null
    return <GlidingCursor {...props} />
  })
}

function GlidingCursor({ className, zoom, point, color, name, chatMessage }: TLCursorProps) {
  const rCursor = useRef<HTMLDivElement>(null)
  const cursorId = useSharedSafeId('cursor')
  const glide = useRef<Glide | null>(null)
  const x = point?.x ?? 0
  const y = point?.y ?? 0

  useLayoutEffect(() => {
    const element = rCursor.current
    if (!element) return
    const now = performance.now()
    const g = glide.current
    if (!g) {
      glide.current = { fromX: x, fromY: y, toX: x, toY: y, start: now, duration: 0, last: now }
    } else {
      const [shownX, shownY] = position(g, now)
      g.fromX = shownX
      g.fromY = shownY
      g.toX = x
      g.toY = y
      g.duration = Math.min(MAX_GLIDE_MS, now - g.last)
      g.start = now
      g.last = now
    }
    let frame = 0
    const draw = () => {
      const current = glide.current
      if (!current) return
      const t = performance.now()
      const [px, py] = position(current, t)
      element.style.transform = `translate(${px}px, ${py}px) scale(${1 / zoom})`
      if (t < current.start + current.duration) frame = requestAnimationFrame(draw)
    }
    draw()
    return () => cancelAnimationFrame(frame)
  }, [x, y, zoom])

  return (
    <div ref={rCursor} className={['tl-collaborators__item', className].join(' ')}>
      <svg className="tl-cursor" aria-hidden="true">
        <use href={`#${cursorId}`} color={color} />
      </svg>
      {chatMessage ? (
        <>
          {name && (
            <div className="tl-nametag-title" style={{ color }}>
              {name}
            </div>
          )}
          <div className="tl-nametag-chat" style={{ backgroundColor: color }}>
            {chatMessage}
          </div>
        </>
      ) : (
        name && (
          <div className="tl-nametag" style={{ backgroundColor: color }}>
            {name}
          </div>
        )
      )}
    </div>
  )
}

interface Glide {
  fromX: number
  fromY: number
  toX: number
  toY: number
  start: number
  duration: number
  /** When the previous position came: how long the next glide takes. */
  last: number
}

function position(g: Glide, now: number): [number, number] {
  if (g.duration <= 0 || now >= g.start + g.duration) return [g.toX, g.toY]
  const t = (now - g.start) / g.duration
  return [g.fromX + (g.toX - g.fromX) * t, g.fromY + (g.toY - g.fromY) * t]
}
