/**
 * Writes a deck as PDF with jspdf (loaded on demand). Each page is the slide as drawn in the
 * DOM (`renderSlide`, see render-slides.ts), with the frame pictures placed on top at full
 * resolution and the slide's text as an invisible layer, so the PDF is searchable and its
 * text can be selected and copied.
 */
import { errorMessage } from '../shared/error-message'
import { imageDataUrl, slideText, type Slide } from './deck'
import { SLIDE } from './slide-layout'

export interface RenderedPage {
  /** A PNG or JPEG data URL of the whole slide. */
  dataUrl: string
  width: number
  height: number
}

/** Draws a slide as a picture, leaving out its image elements (the writer adds those). */
export type RenderSlide = (slide: Slide) => Promise<RenderedPage>

export interface PdfOptions {
  title: string
  renderSlide: RenderSlide
  /** Called after each page is added. */
  onSlide?: (slide: Slide, index: number) => void
}

export async function writePdf(slides: readonly Slide[], options: PdfOptions): Promise<Blob> {
  const { jsPDF } = await import('jspdf')
  const doc = new jsPDF({
    orientation: 'landscape',
    unit: 'in',
    format: [SLIDE.w, SLIDE.h],
    compress: true,
  })
  doc.setProperties({ title: options.title, creator: 'Switchback' })

  for (const [index, slide] of slides.entries()) {
    if (index > 0) doc.addPage([SLIDE.w, SLIDE.h], 'landscape')
    const page = await options.renderSlide(slide)
    try {
      doc.addImage(page.dataUrl, formatOf(page.dataUrl), 0, 0, SLIDE.w, SLIDE.h, undefined, 'FAST')
      for (const element of slide.elements) {
        if (element.kind !== 'image') continue
        const data = await imageDataUrl(element.image.src)
        const { x, y, w, h } = element.box
        doc.addImage(data, formatOf(data), x, y, w, h, undefined, 'FAST')
      }
    } catch (error) {
      const reason = errorMessage(error)
      throw new Error(`Could not write the slide “${slide.title}”: ${reason}`, { cause: error })
    }
    for (const { text, box, style } of slideText(slide)) {
      doc.setFont('helvetica', style.bold ? 'bold' : 'normal')
      doc.setFontSize(style.size)
      doc.text(pdfText(style.caps ? text.toUpperCase() : text), box.x, box.y, {
        baseline: 'top',
        renderingMode: 'invisible',
        maxWidth: box.w,
        lineHeightFactor: style.lineHeight / style.size,
        align: 'left',
      })
    }
    options.onSlide?.(slide, index)
  }
  return new Blob([doc.output('arraybuffer')], { type: 'application/pdf' })
}

function formatOf(dataUrl: string) {
  return dataUrl.startsWith('data:image/jpeg') ? 'JPEG' : 'PNG'
}

/**
 * jspdf's built-in Helvetica knows the Windows-1252 characters only: typographic quotes and
 * dashes pass, letters outside it are spelt without accents where they can be, and anything
 * else (emoji, other scripts) is left out of the text layer rather than written as garbage.
 */
export function pdfText(text: string): string {
  let result = ''
  for (const ch of text) {
    if (ch === '\n' || isWinAnsi(ch)) {
      result += ch
      continue
    }
    const base = LETTERS[ch] ?? ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    result += [...base].every(isWinAnsi) ? base : ''
  }
  return result
}

/** Letters with a stroke, which do not decompose into a base letter and an accent. */
const LETTERS: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i' }
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ')
function isWinAnsi(ch: string) {
  const code = ch.codePointAt(0)!
  return (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)
}
