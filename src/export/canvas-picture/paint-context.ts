/**
 * What every painter of the fast image path gets (see `draw-board.ts`): a 2D context already
 * moved into the shape's own coordinates, and the colours and marks the board shows. A painter
 * draws one shape and returns `true`, or returns `false` when it cannot match tldraw's own
 * picture of it, and that shape is then drawn by `editor.toImage` instead.
 */
import type { Editor, TLShape, TLTheme, TLThemeColors } from 'tldraw'
import type { NoteBadges } from '../../canvas/note-badges'

export interface PaintContext {
  /** Already transformed to the shape's own coordinates (page transform × export scale). */
  ctx: CanvasRenderingContext2D
  editor: Editor
  dark: boolean
  /**
   * The palette for this export's colour mode: tldraw 5's equivalent of
   * `getDefaultColorTheme({ isDarkMode: dark })`, i.e. `editor.getCurrentTheme().colors[mode]`.
   */
  theme: TLThemeColors
  /** The whole theme (font sizes, line height, stroke width), for painters that need them. */
  themeDef: TLTheme
  /** The marks the board shows on stickies (vote results, author labels...). */
  badges: NoteBadges
  /** Image pixels per page unit. */
  scale: number
}

/** Draws `shape`; false when it cannot be drawn the way tldraw draws it (then `toImage` does). */
export type Painter<S extends TLShape = TLShape> = (shape: S, pc: PaintContext) => boolean

/** The palette for one colour mode of the editor's current theme. */
export function themeColors(editor: Editor, dark: boolean): TLThemeColors {
  return editor.getCurrentTheme().colors[dark ? 'dark' : 'light']
}
