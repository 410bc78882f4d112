/**
 * The font files a board draws with first, by URL (no tldraw code, so the app shell may import
 * it ahead of the canvas chunk and preload them: src/app/preload-board.ts). The same imports as
 * the canvas's asset URLs (`getAssetUrlsByImport` in BoardCanvas.tsx), so the same files.
 *
 * tldraw's "draw" font (stickies, shapes) and "sans" (its interface, the templates' text and
 * labels), in the faces the built-in templates use; serif, mono and the other faces load when
 * a board uses them, as before.
 */
import drawFont from '@tldraw/assets/fonts/Shantell_Sans-Informal_Regular.woff2?url'
import drawBoldFont from '@tldraw/assets/fonts/Shantell_Sans-Informal_Bold.woff2?url'
import sansFont from '@tldraw/assets/fonts/IBMPlexSans-Medium.woff2?url'
import sansBoldFont from '@tldraw/assets/fonts/IBMPlexSans-Bold.woff2?url'
import sansItalicFont from '@tldraw/assets/fonts/IBMPlexSans-MediumItalic.woff2?url'

export const BOARD_FONT_URLS: readonly string[] = [
  drawFont,
  drawBoldFont,
  sansFont,
  sansBoldFont,
  sansItalicFont,
]
