/**
 * Draws slides in the DOM with Svelte (SlideView) and captures them as pictures with
 * html-to-image, for the PDF. The slides are mounted off screen, one at a time, and removed
 * once captured. Nothing is fetched: the slides use system fonts and data URLs only.
 */
import { flushSync, mount, unmount } from 'svelte'
import { toCanvas } from 'html-to-image'
import SlideView from './SlideView.svelte'
import type { Slide } from './deck'
import type { RenderSlide, RenderedPage } from './pdf'
import { DOM_FONT, PX_PER_IN, SLIDE_PX, letterSpacing, type Measure } from './slide-layout'

export interface SlideRenderer {
  /** The slide without its image elements (the PDF writer adds those at full resolution). */
  render: RenderSlide
  /** Removes the off-screen host. */
  dispose(): void
}

export interface SlideRendererOptions {
  /** Pixels per CSS pixel of the 1920 × 1080 slide. */
  pixelRatio?: number
  /**
   * JPEG by default: jspdf embeds a JPEG as it is, but decodes and deflates a PNG again in
   * JavaScript, which took about a second a page (measured: 9 pages, 9 s as PNG, 0.03 s as
   * JPEG). At twice the slide's size, quality 0.92 keeps the text sharp.
   */
  format?: 'jpeg' | 'png'
  /** Draw image elements too (to look at a slide as a whole). */
  withImages?: boolean
}

export function createSlideRenderer(options: SlideRendererOptions = {}): SlideRenderer {
  const pixelRatio = options.pixelRatio ?? 2
  const type = options.format === 'png' ? 'image/png' : 'image/jpeg'
  const host = document.createElement('div')
  host.setAttribute('aria-hidden', 'true')
  // Off screen, yet laid out: html-to-image reads computed styles.
  Object.assign(host.style, {
    position: 'fixed',
    left: '-10000px',
    top: '0',
    width: `${SLIDE_PX.w}px`,
    height: `${SLIDE_PX.h}px`,
    overflow: 'hidden',
    pointerEvents: 'none',
    contain: 'strict',
  })
  document.body.append(host)

  async function render(slide: Slide): Promise<RenderedPage> {
    const target = document.createElement('div')
    host.append(target)
    const view = mount(SlideView, {
      target,
      props: { slide, withImages: options.withImages ?? false },
    })
    try {
      flushSync()
      await document.fonts.ready
      await Promise.all([...target.querySelectorAll('img')].map((img) => img.decode()))
      const node = target.firstElementChild as HTMLElement
      const canvas = await toCanvas(node, {
        width: SLIDE_PX.w,
        height: SLIDE_PX.h,
        pixelRatio,
        backgroundColor: '#ffffff',
        // System fonts need no embedding, and embedding would fetch every stylesheet's fonts.
        skipFonts: true,
        cacheBust: false,
      })
      // The browser encodes off the main thread: the next slide is drawn meanwhile.
      const dataUrl = encode(canvas, type, slide.title)
      dataUrl.catch(() => {})
      return {
        dataUrl,
        width: SLIDE_PX.w * pixelRatio,
        height: SLIDE_PX.h * pixelRatio,
      }
    } catch (error) {
      // html-to-image rejects with the failed image's error event, not an Error.
      const reason =
        error instanceof Error
          ? error.message
          : typeof Event !== 'undefined' && error instanceof Event
            ? 'a picture on it could not be drawn'
            : String(error)
      throw new Error(`Could not render the slide “${slide.title}”: ${reason || 'unknown error'}`, {
        cause: error,
      })
    } finally {
      await unmount(view)
      target.remove()
    }
  }

  return {
    render,
    dispose() {
      host.remove()
    },
  }
}

/** The canvas as a data URL, encoded by `toBlob` (off the main thread, unlike `toDataURL`). */
async function encode(canvas: HTMLCanvasElement, type: string, title: string): Promise<string> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.92))
  if (!blob) throw new Error(`Could not encode the slide “${title}”: the browser gave no image.`)
  return new Promise<string>((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(reader.result as string)
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read the slide “${title}”.`))
    reader.readAsDataURL(blob)
  })
}

/**
 * A picture as an opaque 8-bit RGB PNG, the kind the PDF holds without re-encoding it
 * (pdf-image.ts): decoded and encoded again by the browser, on white, in a few tens of
 * milliseconds for a frame picture. One that is already RGB is left as it is.
 */
export async function opaquePng(src: Blob | string): Promise<Uint8Array> {
  const blob = typeof src === 'string' ? await (await fetch(src)).blob() : src
  const bytes = new Uint8Array(await blob.arrayBuffer())
  // The colour type, in the PNG's header: 2 is RGB.
  if (bytes[0] === 0x89 && bytes[25] === 2) return bytes
  const bitmap = await createImageBitmap(blob)
  try {
    const canvas = document.createElement('canvas')
    canvas.width = bitmap.width
    canvas.height = bitmap.height
    // An opaque canvas is encoded without an alpha channel.
    const ctx = canvas.getContext('2d', { alpha: false })
    if (!ctx) return bytes
    ctx.fillStyle = '#ffffff'
    ctx.fillRect(0, 0, canvas.width, canvas.height)
    ctx.drawImage(bitmap, 0, 0)
    const png = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'))
    return png ? new Uint8Array(await png.arrayBuffer()) : bytes
  } finally {
    bitmap.close()
  }
}

/**
 * The metrics of the font the DOM slides are set in (the app's system font), so the PDF's
 * slides wrap and paginate for the font they are drawn in. Each character is measured once in
 * the DOM itself (a canvas resolves `system-ui` to another font than the page does), and a
 * text's width is the sum of its characters' (no kerning, which only narrows a line).
 */
export function domMeasure(): Measure {
  const REFERENCE_PX = 100
  const widths = new Map<string, number>()
  const measureChars = (chars: string[], bold: boolean) => {
    const box = document.createElement('div')
    box.setAttribute('aria-hidden', 'true')
    box.style.cssText = `position:fixed;left:-10000px;top:0;white-space:pre;font:${
      bold ? 700 : 400
    } ${REFERENCE_PX}px ${DOM_FONT}`
    const spans = chars.map((ch) => {
      const span = document.createElement('span')
      span.textContent = ch
      box.append(span)
      return span
    })
    document.body.append(box)
    // One layout for the whole batch.
    spans.forEach((span, i) =>
      widths.set(`${bold ? 'b' : 'r'}${chars[i]}`, span.getBoundingClientRect().width),
    )
    box.remove()
  }
  const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))
  measureChars(ascii, false)
  measureChars(ascii, true)

  return (text, font) => {
    const chars = [...text]
    const prefix = font.bold ? 'b' : 'r'
    const missing = [...new Set(chars.filter((ch) => !widths.has(prefix + ch)))]
    if (missing.length > 0) measureChars(missing, font.bold)
    let px = 0
    for (const ch of chars) px += widths.get(prefix + ch)!
    const size = (font.size * PX_PER_IN) / 72
    return (px * size) / REFERENCE_PX / PX_PER_IN + letterSpacing(text, font)
  }
}
