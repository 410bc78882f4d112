/**
 * Frame pictures into the PDF without re-encoding them. jspdf decodes every PNG in JavaScript,
 * splits off its alpha channel and deflates the pixels again: measured on the export bench's
 * deck (10 frames of 2,400 × 1,350 px), about 2.6 s of the PDF's 8.9 s. A PDF image can hold
 * a PNG's pixel stream as it is (FlateDecode with the PNG predictors, /Predictor 15), so an
 * 8-bit RGB PNG without interlacing goes in byte for byte: lossless, and nothing decoded.
 * Any other PNG (with alpha, a palette, 16 bits) goes through jspdf's own path as before.
 * The browser draws frame pictures opaque (`opaquePng` in render-slides.ts), so they qualify.
 */
import type { jsPDF } from 'jspdf'

/** The pixel stream of an RGB PNG: the concatenated IDAT chunks, a zlib stream. */
export interface PngStream {
  data: Uint8Array
  width: number
  height: number
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** The PNG's pixel stream if a PDF can hold it as it is; null for any other image. */
export function rgbPngStream(bytes: Uint8Array): PngStream | null {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const type = (at: number) => String.fromCharCode(...bytes.subarray(at + 4, at + 8))
  if (type(8) !== 'IHDR') return null
  const width = view.getUint32(16)
  const height = view.getUint32(20)
  const [depth, colorType, compression, filter, interlace] = bytes.subarray(24, 29)
  if (depth !== 8 || colorType !== 2 || compression !== 0 || filter !== 0 || interlace !== 0) {
    return null
  }
  const parts: Uint8Array[] = []
  let at = 8
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at)
    const chunk = type(at)
    if (at + 12 + length > bytes.length) return null
    // A transparent colour (tRNS) would need a mask: leave that PNG to jspdf.
    if (chunk === 'tRNS') return null
    if (chunk === 'IDAT') parts.push(bytes.subarray(at + 8, at + 8 + length))
    if (chunk === 'IEND') break
    at += 12 + length
  }
  if (parts.length === 0) return null
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    data.set(part, offset)
    offset += part.length
  }
  return { data, width, height }
}

/** jspdf picks a processor by format name: ours hands it the stream as it is. */
const FORMAT = 'SWITCHBACK_PNG_STREAM'
const pending = new WeakMap<Uint8Array, PngStream>()

interface ProcessedImage {
  alias: string
  index: number
  data: string
  width: number
  height: number
  filter: string
  decodeParameters: string
  colorSpace: string
  bitsPerComponent: number
}

type Processor = (data: Uint8Array, index: number, alias: string) => ProcessedImage | undefined

/**
 * Teaches jspdf the pass-through format. Call it before making the document: jspdf copies its
 * API onto each document when the document is made.
 */
export function registerPngStreams(jsPDFClass: typeof jsPDF) {
  const api = jsPDFClass.API as unknown as Record<string, Processor | undefined>
  api[`process${FORMAT}`] ??= (data, index, alias) => {
    const image = pending.get(data)
    if (!image) return undefined
    return {
      alias,
      index,
      data: binaryString(image.data),
      width: image.width,
      height: image.height,
      filter: 'FlateDecode',
      decodeParameters: `/Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns ${image.width}`,
      colorSpace: 'DeviceRGB',
      bitsPerComponent: 8,
    }
  }
}

/**
 * Adds a PNG to the page at `box` (inches): an RGB one as it is, any other through jspdf.
 * `alias` names the image in the file (the same alias is embedded once).
 */
export function addPng(
  doc: jsPDF,
  bytes: Uint8Array,
  box: { x: number; y: number; w: number; h: number },
  alias: string,
) {
  const stream = rgbPngStream(bytes)
  if (!stream) {
    doc.addImage(bytes, 'PNG', box.x, box.y, box.w, box.h, alias, 'FAST')
    return
  }
  // A zlib stream matches none of the file signatures jspdf sniffs, so it keeps our format.
  pending.set(stream.data, stream)
  doc.addImage(stream.data, FORMAT, box.x, box.y, box.w, box.h, alias, 'NONE')
}

function binaryString(bytes: Uint8Array): string {
  let result = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    result += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return result
}
