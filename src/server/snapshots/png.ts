/**
 * Reads a PNG's size from its header. A snapshot's width and height come from here, not from
 * the client, and a file that does not open with a well-formed IHDR is not taken as a PNG.
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
/** Signature, then the IHDR chunk: length (4), type (4), 13 bytes of data, CRC (4). */
const HEADER_BYTES = 8 + 4 + 4 + 13 + 4
/** The PNG specification caps both dimensions at 2^31 - 1. */
const MAX_DIMENSION = 0x7fffffff
/** Bit depths allowed for each colour type (PNG specification, table 11.1). */
const BIT_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
}

export interface PngHeader {
  width: number
  height: number
}

/** The image's size, or null when the bytes do not open as a PNG. */
export function readPngHeader(bytes: Uint8Array): PngHeader | null {
  if (bytes.length < HEADER_BYTES) return null
  if (SIGNATURE.some((byte, i) => bytes[i] !== byte)) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // The IHDR chunk must come first and hold exactly 13 bytes.
  if (view.getUint32(8) !== 13) return null
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null
  const width = view.getUint32(16)
  const height = view.getUint32(20)
  const bitDepth = bytes[24]
  const colourType = bytes[25]
  const [compression, filter, interlace] = [bytes[26], bytes[27], bytes[28]]
  if (width === 0 || height === 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) return null
  if (!BIT_DEPTHS[colourType]?.includes(bitDepth)) return null
  if (compression !== 0 || filter !== 0 || interlace > 1) return null
  // The CRC covers the chunk type and data: a header that was cut or altered fails it.
  if (crc32(bytes.subarray(12, 29)) !== view.getUint32(29)) return null
  return { width, height }
}

let crcTable: Uint32Array | null = null

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[n] = c >>> 0
    }
  }
  let crc = 0xffffffff
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
