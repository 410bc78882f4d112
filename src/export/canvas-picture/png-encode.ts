/**
 * A quick PNG encoder for board pictures. Chromium's `canvas.toBlob('image/png')` compresses
 * hard (zlib with adaptive row filters), and on a whole board at 1x that encoding is nearly
 * all of an export's time once the shapes are painted. A board is mostly flat colour, so a
 * single pass that takes each row's difference from the row above and codes runs of a repeated
 * pixel in it as deflate matches (fixed Huffman codes), everything else as literals is several times faster and still small: text and
 * shadows stay literals, flat areas shrink about a hundredfold. The file is a plain PNG
 * (8-bit RGBA, every row filtered "Up") any reader opens. Rows are read from the canvas in strips, so even
 * the largest picture never holds a second full copy of its pixels.
 */

const STRIP_ROWS = 256

/** Encodes the canvas's pixels as a PNG. */
export function encodeCanvasPng(ctx: CanvasRenderingContext2D, width: number, height: number) {
  const parts = encodePng((top, rows) => ctx.getImageData(0, top, width, rows).data, width, height)
  return new Blob(parts as BlobPart[], { type: 'image/png' })
}

/** A PNG's bytes, in parts, from RGBA rows read a strip at a time. */
export function encodePng(
  readRows: (top: number, rows: number) => Uint8ClampedArray,
  width: number,
  height: number,
): Uint8Array[] {
  const out = new BitWriter(Math.max(1 << 16, (width * height) >> 2))
  // zlib header: deflate, 32 K window, no preset dictionary, check bits.
  out.bytes(0x78, 0x01)
  out.bits(1, 1) // the final block
  out.bits(1, 2) // fixed Huffman codes
  const adler = new Adler32()
  const rowBytes = width * 4
  // Each row as its difference from the row above (PNG filter 2, "Up"), so anything that
  // repeats down the picture becomes zeros, which the runs then take.
  let above = new Uint8Array(rowBytes)
  let row = new Uint8Array(rowBytes)
  const filtered = new Uint8Array(rowBytes)
  for (let top = 0; top < height; top += STRIP_ROWS) {
    const rows = Math.min(STRIP_ROWS, height - top)
    const strip = readRows(top, rows)
    for (let r = 0; r < rows; r++) {
      const start = r * rowBytes
      row.set(strip.subarray(start, start + rowBytes))
      for (let j = 0; j < rowBytes; j++) filtered[j] = (row[j] - above[j]) & 255
      literal(out, 2)
      adler.byte(2)
      deflateRow(out, filtered, 0, rowBytes)
      adler.update(filtered, 0, rowBytes)
      ;[above, row] = [row, above]
    }
  }
  writeSymbol(out, 256) // end of block
  out.flushByte()
  const check = adler.value()
  out.bytes((check >>> 24) & 255, (check >>> 16) & 255, (check >>> 8) & 255, check & 255)
  const idat = out.result()

  const ihdr = new Uint8Array(13)
  const view = new DataView(ihdr.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  ihdr.set([8, 6, 0, 0, 0], 8) // 8-bit, RGBA, deflate, filter method 0, no interlace
  return [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    ...chunk('IHDR', ihdr),
    ...chunk('IDAT', idat),
    ...chunk('IEND', new Uint8Array(0)),
  ]
}

/** One filtered row: runs of a byte equal to the one 4 back (a pixel repeated) as matches. */
function deflateRow(out: BitWriter, data: Uint8Array, start: number, end: number) {
  let i = start
  while (i < end) {
    if (i - start >= 4) {
      let run = 0
      const limit = Math.min(258, end - i)
      while (run < limit && data[i + run] === data[i + run - 4]) run++
      if (run >= 3) {
        writeLength(out, run)
        out.bits(DIST4_CODE, 5)
        i += run
        continue
      }
    }
    literal(out, data[i])
    i++
  }
}

// Fixed Huffman codes (RFC 1951 3.2.6), bit-reversed for the LSB-first stream.
const CODES = new Uint16Array(288)
const LENGTHS = new Uint8Array(288)
for (let s = 0; s < 288; s++) {
  let code: number
  let len: number
  if (s < 144) [code, len] = [0x30 + s, 8]
  else if (s < 256) [code, len] = [0x190 + s - 144, 9]
  else if (s < 280) [code, len] = [s - 256, 7]
  else [code, len] = [0xc0 + s - 280, 8]
  CODES[s] = reverse(code, len)
  LENGTHS[s] = len
}
/** Distance code 3 (distance 4, no extra bits), 5 bits, reversed. */
const DIST4_CODE = reverse(3, 5)

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258,
]
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
]
/** For each match length 3..258: its length code's index. */
const LENGTH_INDEX = new Uint8Array(259)
for (let k = 0; k < LENGTH_BASE.length; k++) {
  const upTo = k + 1 < LENGTH_BASE.length ? LENGTH_BASE[k + 1] : 259
  for (let l = LENGTH_BASE[k]; l < upTo && l < 259; l++) LENGTH_INDEX[l] = k
}
LENGTH_INDEX[258] = 28

function reverse(code: number, len: number) {
  let r = 0
  for (let b = 0; b < len; b++) r |= ((code >> b) & 1) << (len - 1 - b)
  return r
}

function literal(out: BitWriter, byte: number) {
  out.bits(CODES[byte], LENGTHS[byte])
}

function writeSymbol(out: BitWriter, symbol: number) {
  out.bits(CODES[symbol], LENGTHS[symbol])
}

function writeLength(out: BitWriter, length: number) {
  const k = LENGTH_INDEX[length]
  writeSymbol(out, 257 + k)
  if (LENGTH_EXTRA[k] > 0) out.bits(length - LENGTH_BASE[k], LENGTH_EXTRA[k])
}

class BitWriter {
  private buf: Uint8Array
  private at = 0
  private acc = 0
  private count = 0
  constructor(size: number) {
    this.buf = new Uint8Array(size)
  }
  bits(value: number, n: number) {
    this.acc |= value << this.count
    this.count += n
    while (this.count >= 8) {
      this.push(this.acc & 255)
      this.acc >>>= 8
      this.count -= 8
    }
  }
  flushByte() {
    if (this.count > 0) this.push(this.acc & 255)
    this.acc = 0
    this.count = 0
  }
  bytes(...values: number[]) {
    for (const v of values) this.push(v)
  }
  private push(byte: number) {
    if (this.at === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2)
      bigger.set(this.buf)
      this.buf = bigger
    }
    this.buf[this.at++] = byte
  }
  result() {
    return this.buf.subarray(0, this.at)
  }
}

class Adler32 {
  private a = 1
  private b = 0
  byte(v: number) {
    this.a = (this.a + v) % 65521
    this.b = (this.b + this.a) % 65521
  }
  update(data: Uint8Array, start: number, end: number) {
    let { a, b } = this
    let i = start
    while (i < end) {
      // 5552 bytes keep the sums inside 32 bits before the modulo (zlib's NMAX).
      const stop = Math.min(end, i + 5552)
      for (; i < stop; i++) {
        a += data[i]
        b += a
      }
      a %= 65521
      b %= 65521
    }
    this.a = a
    this.b = b
  }
  value() {
    return ((this.b << 16) | this.a) >>> 0
  }
}

const CRC_TABLE = new Uint32Array(256)
for (let n = 0; n < 256; n++) {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  CRC_TABLE[n] = c >>> 0
}

function crc32(parts: Uint8Array[]) {
  let c = 0xffffffff
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) c = CRC_TABLE[(c ^ part[i]) & 255] ^ (c >>> 8)
  }
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Uint8Array[] {
  const head = new Uint8Array(8)
  const view = new DataView(head.buffer)
  view.setUint32(0, data.length)
  const name = new Uint8Array([...type].map((c) => c.charCodeAt(0)))
  head.set(name, 4)
  const tail = new Uint8Array(4)
  new DataView(tail.buffer).setUint32(0, crc32([name, data]))
  return [head, data, tail]
}
