import type { PublishMedia } from '../contracts/publisher.js'

/** Builds a {@link PublishMedia} backed by in-memory bytes. */
export function createTestMedia(input: {
  bytes: Uint8Array
  mime: string
  url?: string
  altText?: string
  width?: number
  height?: number
}): PublishMedia {
  const { bytes, url = 'http://127.0.0.1/media/test', ...rest } = input
  return { ...rest, url, size: bytes.byteLength, read: async () => bytes }
}
