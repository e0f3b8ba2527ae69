/** Smallest headers image parsers read, for tests. */

function bytes(...parts: (number[] | string)[]): Uint8Array {
  const list: number[] = []
  for (const part of parts) {
    if (typeof part === 'string') list.push(...[...part].map((char) => char.charCodeAt(0)))
    else list.push(...part)
  }
  return new Uint8Array(list)
}

const u32be = (value: number) => [
  value >>> 24,
  (value >>> 16) & 255,
  (value >>> 8) & 255,
  value & 255,
]
const u16be = (value: number) => [value >>> 8, value & 255]
const u16le = (value: number) => [value & 255, value >>> 8]

export const png = (width: number, height: number) =>
  bytes(
    [0x89],
    'PNG',
    [13, 10, 26, 10],
    u32be(13),
    'IHDR',
    u32be(width),
    u32be(height),
    [8, 6, 0, 0, 0]
  )

export const gif = (width: number, height: number) =>
  bytes('GIF89a', u16le(width), u16le(height), [0, 0, 0])

export const jpeg = (width: number, height: number) =>
  bytes(
    [0xff, 0xd8],
    [0xff, 0xe0],
    u16be(16),
    'JFIF',
    [0, 1, 1, 0, 0, 1, 0, 1, 0, 0],
    [0xff, 0xc0],
    u16be(17),
    [8],
    u16be(height),
    u16be(width),
    [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
  )

export const webp = (width: number, height: number) =>
  bytes(
    'RIFF',
    [30, 0, 0, 0],
    'WEBP',
    'VP8X',
    [10, 0, 0, 0],
    [0, 0, 0, 0],
    [(width - 1) & 255, ((width - 1) >> 8) & 255, (width - 1) >> 16],
    [(height - 1) & 255, ((height - 1) >> 8) & 255, (height - 1) >> 16]
  )
