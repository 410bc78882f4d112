/**
 * "Export slides": the deck of a board as PowerPoint or PDF. The one entry point; the UI calls
 * it with what `collectDeckSource` (src/canvas/deck-source.ts) read from the canvas.
 */
import { buildDeck, type DeckSource, type Slide } from './deck'
import type { RenderSlide } from './pdf'

export type SlideFormat = 'pptx' | 'pdf'
/** `done` of `total` slides are finished; `label` says what is being made now. */
export type SlideProgress = (done: number, total: number, label: string) => void

export interface ExportSlidesOptions {
  /** Draws a slide for the PDF; by default in the DOM (render-slides.ts). */
  renderSlide?: RenderSlide
}

export async function exportSlides(
  source: DeckSource,
  format: SlideFormat,
  onProgress: SlideProgress = () => {},
  options: ExportSlidesOptions = {},
): Promise<Blob> {
  // The PDF's slides are drawn in the DOM: they are laid out for the DOM's font.
  const dom = format === 'pdf' && !options.renderSlide ? await import('./render-slides') : null
  const slides = buildDeck(source, dom ? { measure: dom.domMeasure() } : {})
  const total = slides.length
  const title = source.title.trim() || 'Untitled workshop'
  // Each slide is announced as it starts, and counted once it is done.
  const start = (slide: Slide) => onProgress(slide.number - 1, total, slideLabel(slide, total))
  const onSlide = (_slide: Slide, index: number) => {
    const next = slides[index + 1]
    if (next) start(next)
    else onProgress(total, total, 'Saving the file')
  }
  start(slides[0])

  if (format === 'pptx') {
    const { writePptx } = await import('./pptx')
    return writePptx(slides, { title, onSlide })
  }
  const { writePdf } = await import('./pdf')
  if (!dom) return writePdf(slides, { title, renderSlide: options.renderSlide!, onSlide })
  const renderer = dom.createSlideRenderer()
  try {
    return await writePdf(slides, {
      title,
      renderSlide: renderer.render,
      onSlide,
      imageBytes: dom.opaquePng,
    })
  } finally {
    renderer.dispose()
  }
}

/** "Slide 3 of 12: Stickies in “Drivers”" */
export function slideLabel(slide: Slide, total: number): string {
  return `Slide ${slide.number} of ${total}: ${slide.label}`
}
