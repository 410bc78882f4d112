/**
 * Writes a deck as PDF with jspdf (loaded on demand). Each page is the slide as drawn in the
 * DOM (`renderSlide`, see render-slides.ts), with the frame pictures placed on top at full
 * resolution and the slide's text as an invisible layer, so the PDF is searchable and its
 * text can be selected and copied.
 */
import { errorMessage } from '../shared/error-message'
import { slideText, type Slide } from './deck'
import { addPng, registerPngStreams } from './pdf-image'
import { SLIDE } from './slide-layout'

export interface RenderedPage {
  /**
   * A PNG or JPEG data URL of the whole slide; a promise while the browser still encodes it,
   * so the next slide can be drawn meanwhile.
   */
  dataUrl: string | Promise<string>
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
  /**
   * The bytes of a picture as the PDF should hold it; by default the picture as it is. The
   * browser passes `opaquePng` (render-slides.ts), so frame pictures go in without re-encoding.
   */
  imageBytes?: (src: Blob | string) => Promise<Uint8Array>
}

export async function writePdf(slides: readonly Slide[], options: PdfOptions): Promise<Blob> {
  const { jsPDF } = await import('jspdf')
  registerPngStreams(jsPDF)
  const doc = new jsPDF({
    orientation: 'landscape',
    unit: 'in',
    format: [SLIDE.w, SLIDE.h],
    compress: true,
  })
  doc.setProperties({ title: options.title, creator: 'Switchback' })

  // Every picture is prepared at once, while the slides are drawn one by one.
  const imageBytes = options.imageBytes ?? bytesOf
  // A picture on two slides is prepared, and embedded, once (its alias).
  const pictures = new Map<Blob | string, { bytes: Promise<Uint8Array>; alias: string }>()
  for (const element of slides.flatMap((s) => s.elements)) {
    if (element.kind !== 'image' || pictures.has(element.image.src)) continue
    const bytes = imageBytes(element.image.src)
    // Awaited with its slide; a failure is reported there, not as an unhandled rejection.
    bytes.catch(() => {})
    pictures.set(element.image.src, { bytes, alias: `picture-${pictures.size}` })
  }

  // Slide n+1 is drawn while slide n is still being encoded; pages are written in order.
  const writePage = async (slide: Slide, index: number, page: RenderedPage) => {
    if (index > 0) doc.addPage([SLIDE.w, SLIDE.h], 'landscape')
    try {
      const dataUrl = await page.dataUrl
      const format = formatOf(dataUrl)
      // Named, so jspdf need not hash the whole picture to name it.
      doc.addImage(dataUrl, format, 0, 0, SLIDE.w, SLIDE.h, `slide-${index}`, 'FAST')
      for (const element of slide.elements) {
        const picture = element.kind === 'image' ? pictures.get(element.image.src) : undefined
        if (!picture) continue
        const data = await picture.bytes
        const alias = picture.alias
        if (isJpeg(data)) {
          const { x, y, w, h } = element.box
          doc.addImage(data, 'JPEG', x, y, w, h, alias, 'FAST')
        } else addPng(doc, data, element.box, alias)
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
  let written: Promise<void> = Promise.resolve()
  for (const [index, slide] of slides.entries()) {
    const page = await options.renderSlide(slide)
    await written
    written = writePage(slide, index, page)
    // Awaited with the next slide or after the last; never an unhandled rejection meanwhile.
    written.catch(() => {})
  }
  await written
  return new Blob([doc.output('arraybuffer')], { type: 'application/pdf' })
}

/** A picture's bytes: a Blob's, or a data URL's decoded. */
async function bytesOf(src: Blob | string): Promise<Uint8Array> {
  if (typeof src !== 'string') return new Uint8Array(await src.arrayBuffer())
  const binary = atob(src.slice(src.indexOf(',') + 1))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

const isJpeg = (bytes: Uint8Array) => bytes[0] === 0xff && bytes[1] === 0xd8

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
