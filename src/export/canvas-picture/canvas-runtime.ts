/**
 * The canvas's run-time helpers the shape painters use (`src/canvas/picture-runtime.ts`:
 * tldraw's SVG of a shape replayed on a canvas, the export marks), imported on first use by
 * the preparation step, since painters are synchronous. That keeps React and tldraw out of
 * the export modules' static imports (they stay in the canvas's chunk). Before the import has
 * run, the helpers answer "cannot", so a shape goes to `toImage` rather than drawn wrong.
 */
import type { Editor, TLShape } from 'tldraw'
import type { MarkPart } from '../../canvas/export-marks'

type Runtime = typeof import('../../canvas/picture-runtime')

let runtime: Runtime | null = null

/** Loads the helpers once; the painters' preparers await it. */
export async function loadCanvasRuntime(): Promise<void> {
  runtime ??= await import('../../canvas/picture-runtime')
}

/** `src/canvas/svg-paint.ts`'s `paintShapeSvg`; false before the helpers are loaded. */
export function paintShapeSvg(...args: Parameters<Runtime['paintShapeSvg']>): boolean {
  return runtime ? runtime.paintShapeSvg(...args) : false
}

/** The marks an export draws on `shape`; null before the helpers are loaded. */
export function exportMarks(editor: Editor, shape: TLShape): MarkPart[] | null {
  return runtime ? runtime.exportMarks(editor, shape) : null
}

/** The lock icon's outline (`export-marks.ts`); null before the helpers are loaded. */
export function lockIcon() {
  return runtime
    ? { body: runtime.LOCK_BODY, shackle: runtime.LOCK_SHACKLE, stroke: runtime.LOCK_STROKE }
    : null
}
