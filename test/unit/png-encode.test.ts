import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { encodePng } from '../../src/export/canvas-picture/png-encode'

/** A picture like a board's: flat areas, a gradient, noise (text), transparency. */
function picture(width: number, height: number) {
  const data = new Uint8ClampedArray(width * height * 4)
  let seed = 7
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      if (x < width / 3) data.set([255, 235, 160, 255], i)
      else if (x < (2 * width) / 3) data.set([x & 255, y & 255, (x + y) & 255, 200], i)
      else {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff
        data.set([seed & 255, (seed >> 8) & 255, (seed >> 16) & 255, (seed >> 4) & 255], i)
      }
    }
  }
  return data
}

function concat(parts: Uint8Array[]) {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    all.set(p, at)
    at += p.length
  }
  return Buffer.from(all)
}

describe('encodePng', () => {
  for (const [width, height] of [
    [1, 1],
    [3, 2],
    [300, 700],
    [1031, 263],
  ]) {
    it(`round-trips ${width} × ${height} through a strict PNG reader`, () => {
      const data = picture(width, height)
      const png = concat(
        encodePng(
          (top, rows) => data.subarray(top * width * 4, (top + rows) * width * 4),
          width,
          height,
        ),
      )
      // pngjs checks every chunk's CRC and zlib's Adler-32.
      const read = PNG.sync.read(png, { checkCRC: true } as never)
      expect([read.width, read.height]).toEqual([width, height])
      expect(Buffer.from(read.data).equals(Buffer.from(data))).toBe(true)
    })
  }

  it('shrinks flat colour a hundredfold', () => {
    const width = 2000
    const height = 1000
    const data = new Uint8ClampedArray(width * height * 4).fill(255)
    const size = concat(
      encodePng(
        (top, rows) => data.subarray(top * width * 4, (top + rows) * width * 4),
        width,
        height,
      ),
    ).length
    expect(size).toBeLessThan((width * height * 4) / 100)
  })
})
