/**
 * What an image export is asked for: shared by the export dialog, the canvas that renders it
 * and the command-line exporter, so all three mean the same thing by "2x, transparent".
 */
import { z } from 'zod'

/** Room around a whole board or a selection; a frame is exported edge to edge, like a slide. */
export const PADDING = 32

export const EXPORT_SCOPES = ['board', 'frame', 'selection'] as const
export const IMAGE_FORMATS = ['png', 'svg'] as const
export const EXPORT_SCALES = [1, 2, 4] as const

export const imageExportOptionsSchema = z.strictObject({
  /** The whole page, the current frame, or the selected shapes. */
  scope: z.enum(EXPORT_SCOPES),
  format: z.enum(IMAGE_FORMATS),
  scale: z.union(EXPORT_SCALES.map((s) => z.literal(s))),
  /** White (the theme's background in dark mode) or none. */
  background: z.enum(['white', 'transparent']),
  dark: z.boolean(),
  /**
   * Who draws a PNG: our canvas painters (the default, `canvas-picture/`), or tldraw's own
   * `toImage` (for comparing the two; SVG is always tldraw's).
   */
  engine: z.enum(['canvas', 'tldraw']).optional(),
})
export type ImageExportOptions = z.infer<typeof imageExportOptionsSchema>
export type ExportScope = ImageExportOptions['scope']
export type ImageFormat = ImageExportOptions['format']

export const DEFAULT_IMAGE_EXPORT: ImageExportOptions = {
  scope: 'board',
  format: 'png',
  scale: 2,
  background: 'white',
  dark: false,
}

/** What each scope would export right now, so the dialog can name it or rule it out. */
export interface ExportScopes {
  /** Shapes on the page. */
  board: number
  /** The selected frame, the frame holding the selection, or the one in the middle of the view. */
  frame: { id: string; name: string } | null
  /** Selected shapes. */
  selection: number
}

export interface ExportedImage {
  blob: Blob
  width: number
  height: number
  /**
   * True when the browser's largest canvas could not hold the requested size and tldraw drew
   * it smaller: the person should know the 4x they asked for is not 4x.
   */
  shrunk: boolean
}

export const MIME_TYPES: Record<ImageFormat | 'pptx' | 'pdf', string> = {
  png: 'image/png',
  svg: 'image/svg+xml',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  pdf: 'application/pdf',
}
