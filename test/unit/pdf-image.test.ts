/**
 * Frame pictures go into the PDF as they are: an RGB PNG's pixel stream is copied byte for
 * byte (no decoding and deflating again in JavaScript, which was most of a PDF's time after
 * the pictures themselves), and the PDF still shows exactly its pixels (decoded by pdf.js).
 * Any other PNG still goes through jspdf.
 */
import { PNG } from 'pngjs'
import { getDocumentProxy, getResolvedPDFJS } from 'unpdf'
import { describe, expect, it } from 'vitest'
import { buildDeck, type Slide } from '../../src/export/deck'
import { writePdf, type RenderSlide } from '../../src/export/pdf'
import { rgbPngStream } from '../../src/export/pdf-image'
import { pngImage, sampleSource } from '../support/sample-deck'

// pdf.js decodes images with ArrayBuffer.transferToFixedLength, which Node 20 lacks.
const proto = ArrayBuffer.prototype as ArrayBuffer & { transferToFixedLength?: unknown }
proto.transferToFixedLength ??= function (this: ArrayBuffer, length = this.byteLength) {
  const copy = new ArrayBuffer(length)
  new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)))
  return copy
}

const W = 120
const H = 68

/** A picture with a different colour in every pixel, so a wrong byte anywhere shows. */
function pixels(): Buffer {
  const data = Buffer.alloc(W * H * 4)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4
      data[i] = (x * 2) & 255
      data[i + 1] = (y * 3) & 255
      data[i + 2] = (x * y) & 255
      data[i + 3] = 255
    }
  }
  return data
}

function png(colorType: 2 | 6): Uint8Array {
  const image = new PNG({ width: W, height: H })
  pixels().copy(image.data)
  return new Uint8Array(PNG.sync.write(image, { colorType }))
}

const page = pngImage(96, 54)
const fakeRender: RenderSlide = async () => ({
  dataUrl: page.src as string,
  width: page.width,
  height: page.height,
})

/** The sample deck's frame slides, each showing `bytes` as its picture. */
function slidesWith(bytes: Uint8Array): Slide[] {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' })
  return buildDeck(sampleSource()).map((slide) => ({
    ...slide,
    elements: slide.elements.map((e) =>
      e.kind === 'image' ? { ...e, image: { src: blob, width: W, height: H } } : e,
    ),
  }))
}

/** The RGB pixels of the frame picture on the PDF's first page that has one, as pdf.js draws them. */
async function framePixels(pdfBytes: Uint8Array): Promise<Uint8Array> {
  const { OPS } = await getResolvedPDFJS()
  const pdf = await getDocumentProxy(pdfBytes)
  for (let n = 1; n <= pdf.numPages; n++) {
    const p = await pdf.getPage(n)
    const ops = await p.getOperatorList()
    const names = ops.fnArray
      .map((fn, i) => (fn === OPS.paintImageXObject ? (ops.argsArray[i] as string[])[0] : null))
      .filter((name): name is string => name !== null)
    for (const name of names) {
      const image = (await new Promise((resolve) => p.objs.get(name, resolve))) as {
        width: number
        height: number
        data: Uint8ClampedArray
      }
      if (image.width !== W || image.height !== H) continue
      const channels = image.data.length / (W * H)
      const rgb = new Uint8Array(W * H * 3)
      for (let i = 0; i < W * H; i++) {
        for (let c = 0; c < 3; c++) rgb[i * 3 + c] = image.data[i * channels + c]
      }
      return rgb
    }
  }
  throw new Error('no frame picture in the PDF')
}

const expectedRgb = () => {
  const rgba = pixels()
  const rgb = new Uint8Array(W * H * 3)
  for (let i = 0; i < W * H; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = rgba[i * 4 + c]
  return rgb
}

const contains = (haystack: Uint8Array, needle: Uint8Array) =>
  Buffer.from(haystack.buffer, haystack.byteOffset, haystack.length).indexOf(
    Buffer.from(needle.buffer, needle.byteOffset, needle.length),
  ) >= 0

describe('rgbPngStream', () => {
  it("gives an RGB PNG's IDAT stream and refuses anything else", () => {
    const rgb = rgbPngStream(png(2))
    expect(rgb).toMatchObject({ width: W, height: H })
    expect(rgb!.data[0]).toBe(0x78) // a zlib stream
    expect(rgbPngStream(png(6))).toBeNull() // alpha needs a mask
    expect(rgbPngStream(new TextEncoder().encode('not a png at all, not a png at all'))).toBeNull()
    expect(rgbPngStream(png(2).subarray(0, 60))).toBeNull() // cut short
  })
})

describe('frame pictures in the PDF', () => {
  it('holds an RGB PNG byte for byte, and shows its exact pixels', async () => {
    const bytes = png(2)
    const blob = await writePdf(slidesWith(bytes), { title: 't', renderSlide: fakeRender })
    const pdf = new Uint8Array(await blob.arrayBuffer())
    expect(contains(pdf, rgbPngStream(bytes)!.data)).toBe(true)
    expect(new TextDecoder('latin1').decode(pdf)).toContain(`/Predictor 15 /Colors 3`)
    expect(Buffer.from(await framePixels(pdf)).equals(Buffer.from(expectedRgb()))).toBe(true)
  })

  it('embeds one picture once however many slides show it', async () => {
    const bytes = png(2)
    const slides = slidesWith(bytes)
    const blob = await writePdf(slides, { title: 't', renderSlide: fakeRender })
    const pdf = Buffer.from(await blob.arrayBuffer())
    const needle = Buffer.from(rgbPngStream(bytes)!.data)
    const shown = slides.filter((s) => s.elements.some((e) => e.kind === 'image')).length
    expect(shown).toBeGreaterThan(1)
    expect(pdf.indexOf(needle)).toBe(pdf.lastIndexOf(needle))
  })

  // jspdf decodes and deflates this one in JavaScript: slow on a busy machine.
  it(
    'still takes a PNG with alpha, through jspdf, with the same pixels',
    { timeout: 30_000 },
    async () => {
      const blob = await writePdf(slidesWith(png(6)), { title: 't', renderSlide: fakeRender })
      const pdf = new Uint8Array(await blob.arrayBuffer())
      expect(Buffer.from(await framePixels(pdf)).equals(Buffer.from(expectedRgb()))).toBe(true)
    },
  )
})
