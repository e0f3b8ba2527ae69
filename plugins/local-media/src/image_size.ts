/** Pixel size of an image. */
export interface ImageSize {
  width: number
  height: number
}

const ascii = (bytes: Uint8Array, start: number, text: string) =>
  text.split('').every((char, index) => bytes[start + index] === char.charCodeAt(0))

function png(view: DataView, bytes: Uint8Array): ImageSize | undefined {
  if (
    bytes.length < 24 ||
    bytes[0] !== 0x89 ||
    !ascii(bytes, 1, 'PNG') ||
    !ascii(bytes, 12, 'IHDR')
  )
    return undefined
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

function gif(view: DataView, bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 10 || !ascii(bytes, 0, 'GIF8')) return undefined
  return { width: view.getUint16(6, true), height: view.getUint16(8, true) }
}

function jpeg(view: DataView, bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined
  let offset = 2
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined
    const marker = bytes[offset + 1]
    if (marker === 0xff) {
      offset++
      continue
    }
    const length = view.getUint16(offset + 2)
    // Start-of-frame markers carry the size (not DHT c4, JPG c8, DAC cc).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) }
    }
    offset += 2 + length
  }
  return undefined
}

function webp(view: DataView, bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 30 || !ascii(bytes, 0, 'RIFF') || !ascii(bytes, 8, 'WEBP')) return undefined
  if (ascii(bytes, 12, 'VP8 ')) {
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff }
  }
  if (ascii(bytes, 12, 'VP8L')) {
    const bits = view.getUint32(21, true)
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 }
  }
  if (ascii(bytes, 12, 'VP8X')) {
    const width = 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16))
    const height = 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16))
    return { width, height }
  }
  return undefined
}

/** Width and height from the header of a PNG, JPEG, GIF or WebP file; undefined for anything else. */
export function imageSize(bytes: Uint8Array): ImageSize | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  try {
    return png(view, bytes) ?? gif(view, bytes) ?? jpeg(view, bytes) ?? webp(view, bytes)
  } catch {
    return undefined
  }
}
