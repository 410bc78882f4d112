import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { readPngHeader } from '../../src/server/snapshots/png'

function png(width: number, height: number, options: Partial<{ colorType: 0 | 2 | 4 | 6 }> = {}) {
  const image = new PNG({ width, height, ...options })
  image.data.fill(128)
  return new Uint8Array(PNG.sync.write(image, options))
}

/** Recomputes nothing: flips one byte, as corruption in transit would. */
function withByte(bytes: Uint8Array, index: number, value: number) {
  const copy = bytes.slice()
  copy[index] = value
  return copy
}

describe('readPngHeader', () => {
  it('reads the width and height of real PNGs', () => {
    expect(readPngHeader(png(1600, 900))).toEqual({ width: 1600, height: 900 })
    expect(readPngHeader(png(1, 1))).toEqual({ width: 1, height: 1 })
    expect(readPngHeader(png(300, 7000, { colorType: 2 }))).toEqual({ width: 300, height: 7000 })
    expect(readPngHeader(png(2, 3, { colorType: 0 }))).toEqual({ width: 2, height: 3 })
  })

  it('reads a PNG inside a larger buffer (a view with an offset)', () => {
    const bytes = png(64, 32)
    const padded = new Uint8Array(bytes.length + 10)
    padded.set(bytes, 10)
    expect(readPngHeader(padded.subarray(10))).toEqual({ width: 64, height: 32 })
  })

  it('refuses a header cut short, at every length', () => {
    const bytes = png(10, 10)
    for (let length = 0; length < 33; length++) {
      expect(readPngHeader(bytes.subarray(0, length)), `${length} bytes`).toBeNull()
    }
    // Only the header is read: the rest of the file does not matter here.
    expect(readPngHeader(bytes.subarray(0, 33))).toEqual({ width: 10, height: 10 })
  })

  it('refuses a wrong signature, and other formats', () => {
    const bytes = png(10, 10)
    for (let i = 0; i < 8; i++) {
      expect(readPngHeader(withByte(bytes, i, bytes[i] ^ 0x20)), `byte ${i}`).toBeNull()
    }
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, ...new Array(40)])
    expect(readPngHeader(jpeg)).toBeNull()
    expect(
      readPngHeader(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')),
    ).toBeNull()
  })

  it('refuses an IHDR that is missing, altered or impossible', () => {
    const bytes = png(10, 10)
    // Another chunk first.
    expect(readPngHeader(withByte(bytes, 12, 'I'.charCodeAt(0) + 1))).toBeNull()
    // A different chunk length.
    expect(readPngHeader(withByte(bytes, 11, 14))).toBeNull()
    // Width changed but not the CRC: the CRC catches it.
    expect(readPngHeader(withByte(bytes, 19, 11))).toBeNull()
    // The CRC itself damaged.
    expect(readPngHeader(withByte(bytes, 32, bytes[32] ^ 1))).toBeNull()
  })

  it('refuses a zero size or a bit depth the colour type does not allow, even with a good CRC', () => {
    const build = (fields: {
      width?: number
      height?: number
      depth?: number
      colour?: number
    }) => {
      const bytes = png(10, 10).slice(0, 33)
      const view = new DataView(bytes.buffer)
      view.setUint32(16, fields.width ?? 10)
      view.setUint32(20, fields.height ?? 10)
      bytes[24] = fields.depth ?? 8
      bytes[25] = fields.colour ?? 6
      view.setUint32(29, crc32(bytes.subarray(12, 29)))
      return bytes
    }
    expect(readPngHeader(build({}))).toEqual({ width: 10, height: 10 })
    expect(readPngHeader(build({ width: 0 }))).toBeNull()
    expect(readPngHeader(build({ height: 0 }))).toBeNull()
    expect(readPngHeader(build({ width: 0x80000000 }))).toBeNull()
    expect(readPngHeader(build({ depth: 4, colour: 6 }))).toBeNull()
    expect(readPngHeader(build({ colour: 5 }))).toBeNull()
    expect(readPngHeader(build({ depth: 16, colour: 3 }))).toBeNull()
  })
})

function crc32(bytes: Uint8Array) {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}
