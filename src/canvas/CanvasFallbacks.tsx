/**
 * What the canvas draws when drawing fails, so that one broken record never takes the board
 * away: a shape that throws is drawn as a placeholder in its own place (it can still be
 * selected and deleted: selection and hit tests use its geometry, not its drawing), and if the
 * whole editor fails, the canvas area says so and offers to load it again, while the board's
 * Svelte chrome around it stays. tldraw's defaults are an empty box and a full-page
 * "Something went wrong".
 */
import { useEffect } from 'react'
import type { TLErrorFallbackComponent, TLShapeErrorFallbackComponent } from 'tldraw'

export const ShapePlaceholder: TLShapeErrorFallbackComponent = () => (
  <div className="sb-shape-placeholder" role="img" aria-label="A shape that could not be drawn">
    <span>This shape could not be drawn. Select it to delete it.</span>
  </div>
)

/**
 * The editor failed. The first time, the canvas is loaded again at once, from the server
 * (BoardCanvas.tsx); after that, the person decides.
 */
export function canvasFallback(
  reload: () => void,
  firstFailure: () => boolean,
): TLErrorFallbackComponent {
  return function CanvasProblem({ error }) {
    useEffect(() => {
      console.error('the canvas failed', error)
      // Asked here, not while rendering: React may render a component twice before using it.
      if (firstFailure()) reload()
    }, [error])
    return (
      <div className="sb-canvas-problem" role="alert">
        <p>The canvas hit something it could not draw.</p>
        <button type="button" className="btn btn-primary" onClick={reload}>
          Load the canvas again
        </button>
      </div>
    )
  }
}
