/**
 * What the fast image path (`src/export/canvas-picture/`) needs of the canvas at run time:
 * tldraw's own SVG of a shape replayed on a canvas, and the export marks. Loaded lazily by the
 * painters' preparation step (`canvas-runtime.ts` there), so React and tldraw stay out of the
 * export modules' static imports, in the canvas's own chunk.
 */
export { paintShapeSvg } from './svg-paint'
export { exportMarks, LOCK_BODY, LOCK_SHACKLE, LOCK_STROKE } from './export-marks'
