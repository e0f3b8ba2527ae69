import * as zlib from 'node:zlib'
import { deflateSync } from 'node:zlib'

/** CRC-32 (IEEE 802.3, the one PNG chunks use), table driven. */
const CRC_TABLE = Array.from({ length: 256 }, (_, index) => {
  let value = index
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1
  return value >>> 0
})

export function crc32(bytes: Uint8Array): number {
  // Node 22+ computes it natively (fast on the 20 MB images of the size tests).
  const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32
  if (native) return native(bytes) >>> 0
  let crc = 0xffffffff
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** Options of {@link createPng}. */
export interface PngOptions {
  width: number
  height: number
  /** Store the pixels uncompressed, to build a big image quickly (default false). */
  stored?: boolean
  /** Seed of the pixel pattern, so two images differ. */
  seed?: number
}

/**
 * A real, valid PNG (8-bit RGB, no interlace) built by hand: signature, IHDR, one IDAT (zlib), IEND, each
 * chunk with its CRC-32. Pixels are a gradient so decoders have something to show.
 */
export function createPng(options: PngOptions): Buffer {
  const { width, height } = options
  const seed = options.seed ?? 0
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.writeUInt8(8, 8) // bit depth
  header.writeUInt8(2, 9) // colour type: RGB
  header.writeUInt8(0, 10) // compression
  header.writeUInt8(0, 11) // filter
  header.writeUInt8(0, 12) // interlace
  const stride = width * 3 + 1
  const raw = Buffer.alloc(stride * height)
  // Stored (size-test) images stay black: filling 20 MB pixel by pixel is slow and shows nothing.
  for (let y = 0; y < (options.stored ? 0 : height); y++) {
    raw[y * stride] = 0 // filter: none
    for (let x = 0; x < width; x++) {
      const at = y * stride + 1 + x * 3
      raw[at] = (x * 255) / Math.max(1, width - 1)
      raw[at + 1] = (y * 255) / Math.max(1, height - 1)
      raw[at + 2] = (seed * 37) & 0xff
    }
  }
  const data = deflateSync(raw, { level: options.stored ? 0 : 6 })
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', data),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** Width and height of a PNG, read from its IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

/** Pixel size for an aspect ratio `w:h`, 64 px on the long side. */
export function sizeFor(aspectRatio: string | undefined): { width: number; height: number } {
  const [w, h] = (aspectRatio ?? '1:1').split(':').map(Number)
  if (!(w > 0 && h > 0)) return { width: 64, height: 64 }
  return w >= h
    ? { width: 64, height: Math.max(1, Math.round((64 * h) / w)) }
    : { width: Math.max(1, Math.round((64 * w) / h)), height: 64 }
}

const largePngs = new Map<number, Buffer>()

/**
 * A PNG of at least `bytes` bytes (stored, not compressed), built once per size: building 20 MB in
 * JavaScript takes long enough to trip a test's deadline on a busy machine.
 */
export function createLargePng(bytes: number): Buffer {
  let png = largePngs.get(bytes)
  if (!png) {
    const side = Math.ceil(Math.sqrt(bytes / 3)) + 1
    png = createPng({ width: side, height: side, stored: true })
    largePngs.set(bytes, png)
  }
  return png
}

/** A 1×1 GIF89a. */
export const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

/** The start of a baseline JPEG (SOI, APP0/JFIF), enough for type sniffing; not decodable. */
export const JPEG_HEAD = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
  0x00, 0x01, 0x00, 0x00, 0xff, 0xd9,
])

/** A RIFF/WEBP container with a VP8L chunk header, enough for type sniffing; not decodable. */
export const WEBP_HEAD = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0x1a, 0x00, 0x00, 0x00]),
  Buffer.from('WEBPVP8L'),
  Buffer.from([0x0d, 0x00, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88]),
])
