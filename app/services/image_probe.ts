import type { Metadata } from 'sharp'
import { loadSharp } from '#services/sharp'

/** Image types the media library accepts */
export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif'

/** An image checked by its content */
export interface ProbedImage {
  mime: ImageMime
  width: number
  height: number
}

/** The bytes are not an image Herald accepts; `message` says why in words */
export class InvalidImageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidImageError'
  }
}

const ascii = (bytes: Uint8Array, start: number, text: string) =>
  bytes.length >= start + text.length &&
  [...text].every((char, index) => bytes[start + index] === char.charCodeAt(0))

/** The type from the first bytes (magic numbers), never from the name or the declared type */
export function sniffImageType(bytes: Uint8Array): ImageMime | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'image/jpeg'
  }
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, 'PNG\r\n\x1a\n')) return 'image/png'
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp'
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'image/gif'
  return undefined
}

const SHARP_FORMATS: Record<string, ImageMime> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
}

/**
 * Checks that bytes are a JPEG, PNG, WebP or GIF image by their magic bytes,
 * then reads the header with sharp (libvips) for its size; a file whose
 * header does not parse, or whose format differs from its magic bytes, is
 * refused. Throws InvalidImageError.
 */
export async function probeImage(bytes: Uint8Array): Promise<ProbedImage> {
  const mime = sniffImageType(bytes)
  if (!mime) {
    throw new InvalidImageError('This file is not a JPEG, PNG, WebP or GIF image.')
  }
  let metadata: Metadata
  const sharp = await loadSharp()
  try {
    metadata = await sharp(bytes, {
      animated: mime === 'image/gif' || mime === 'image/webp',
    }).metadata()
  } catch {
    throw new InvalidImageError('This image is damaged or incomplete and cannot be read.')
  }
  const format = metadata.format ? SHARP_FORMATS[metadata.format] : undefined
  if (format !== mime || !metadata.width || !metadata.height) {
    throw new InvalidImageError('This image is damaged or incomplete and cannot be read.')
  }
  // For animations sharp reports the height of all frames stacked; pageHeight is one frame.
  const height = metadata.pageHeight ?? metadata.height
  return { mime, width: metadata.width, height }
}
