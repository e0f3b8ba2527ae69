import { Permanent } from '@herald/plugin-sdk'

/** Largest image accepted from a model, decoded. */
export const DEFAULT_MAX_IMAGE_BYTES = 20 * 1024 * 1024

/** Image types Herald accepts from image models. */
export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp'

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length))
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

function isPng(bytes: Uint8Array): boolean {
  // Signature, then the IHDR chunk (length 13) with a non-zero width and height.
  if (bytes.length < 33 || !PNG_SIGNATURE.every((byte, index) => bytes[index] === byte))
    return false
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return (
    view.getUint32(8) === 13 &&
    ascii(bytes, 12, 4) === 'IHDR' &&
    view.getUint32(16) > 0 &&
    view.getUint32(20) > 0
  )
}

function isJpeg(bytes: Uint8Array): boolean {
  // SOI marker, then the first segment's marker.
  return bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
}

function isWebp(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 16 &&
    ascii(bytes, 0, 4) === 'RIFF' &&
    ascii(bytes, 8, 4) === 'WEBP' &&
    ['VP8 ', 'VP8L', 'VP8X'].includes(ascii(bytes, 12, 4))
  )
}

/** Known formats Herald refuses from a model, by their magic bytes. */
function refusedFormat(bytes: Uint8Array): string | undefined {
  const head = ascii(bytes, 0, 6)
  if (head === 'GIF87a' || head === 'GIF89a') return 'GIF'
  if (head.startsWith('BM')) return 'BMP'
  if (ascii(bytes, 4, 8) === 'ftypavif') return 'AVIF'
  if (head.startsWith('<svg') || head.startsWith('<?xml')) return 'SVG'
  return undefined
}

/** The image type from the bytes themselves (never from what the response claims), or undefined. */
export function sniffImage(bytes: Uint8Array): ImageMime | undefined {
  if (isPng(bytes)) return 'image/png'
  if (isJpeg(bytes)) return 'image/jpeg'
  if (isWebp(bytes)) return 'image/webp'
  return undefined
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** Refuses an image over `maxBytes`. */
export function checkSize(size: number, maxBytes: number, model: string): void {
  if (size > maxBytes) {
    throw new Permanent(
      `The model "${model}" returned an image of ${megabytes(size)}, over the ${megabytes(maxBytes)} limit.`,
      { code: 'image_too_large' }
    )
  }
}

/** Checks that bytes are a PNG, JPEG or WebP image and returns its type; refuses anything else. */
export function validateImage(bytes: Uint8Array, model: string, declared?: string): ImageMime {
  const mime = sniffImage(bytes)
  if (mime) return mime
  const format = refusedFormat(bytes)
  if (format) {
    throw new Permanent(
      `The model "${model}" returned a ${format} image; Herald accepts only PNG, JPEG or WebP from image models.`,
      { code: 'unsupported_image_type' }
    )
  }
  const claimed = declared ? ` (it was labelled ${declared})` : ''
  throw new Permanent(
    `The model "${model}" returned data that is not a PNG, JPEG or WebP image${claimed}.`,
    { code: 'invalid_image' }
  )
}

const DATA_URL = /^data:([^,;]*)((?:;[^,;]*)*),/i

/**
 * Decodes a base64 `data:` URL. The size is checked from the base64 length before decoding, so an oversized
 * image is refused without allocating it.
 */
export function decodeDataUrl(
  url: string,
  maxBytes: number,
  model: string
): { bytes: Uint8Array; declared: string } {
  const match = DATA_URL.exec(url)
  if (!match) {
    throw new Permanent(`The model "${model}" returned an image in a form Herald cannot read.`, {
      code: 'invalid_image',
    })
  }
  const declared = match[1].trim().toLowerCase() || 'no type'
  if (!match[2].toLowerCase().split(';').includes('base64')) {
    throw new Permanent(`The model "${model}" returned an image that is not base64-encoded.`, {
      code: 'invalid_image',
    })
  }
  const payload = url.slice(match[0].length).replaceAll(/\s+/g, '')
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0
  checkSize(Math.floor((payload.length * 3) / 4) - padding, maxBytes, model)
  const buffer = Buffer.from(payload, 'base64')
  checkSize(buffer.length, maxBytes, model)
  return {
    bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length),
    declared,
  }
}
