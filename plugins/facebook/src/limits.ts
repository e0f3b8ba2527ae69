import type {
  PreviewHints,
  PublishDraft,
  PublisherLimits,
  ValidationIssue,
} from '@herald/plugin-sdk'

/** Characters of a Page post (Meta's documented limit is 63,206). */
export const MAX_CHARS = 63_206
/** Photos of one post: one through /photos, 2-10 as unpublished photos attached to a /feed post. */
export const MAX_PHOTOS = 10
/** Bytes per photo (Page photos: under 4 MB, JPG/PNG; platform-apis.md §4.4). */
export const MAX_PHOTO_BYTES = 4 * 1024 * 1024
/** Photo types Facebook takes by URL. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png'] as const

/** What a Facebook Page accepts. */
export const limits: PublisherLimits = {
  countCharacters: 'plain',
  maxChars: MAX_CHARS,
  maxMedia: MAX_PHOTOS,
  mediaTypes: [...PHOTO_TYPES],
  maxMediaBytes: MAX_PHOTO_BYTES,
  requiresMedia: false,
  maxThreadParts: 1,
  // Facebook downloads photos from their URL: the host hands a public one (SDK 1.4).
  mediaDelivery: 'url',
}

/** How the feed shows a post: about 480 characters then "See more", photos in a grid, a link card. */
export const preview: PreviewHints = {
  truncateAt: 480,
  showMoreLabel: '… See more',
  mediaAspect: '1:1',
  mediaLayout: 'grid',
  linkCard: true,
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** Checks a draft against a Page's rules, purely: one part, 63,206 characters, up to 10 JPEG/PNG photos of 4 MB. */
export function validate(draft: PublishDraft): ValidationIssue[] {
  const parts = Array.isArray(draft?.parts) ? draft.parts : []
  if (parts.length === 0)
    return [{ field: 'parts', message: 'The post is empty: write some text or add a photo.' }]
  const issues: ValidationIssue[] = []
  if (parts.length > 1) {
    issues.push({
      field: 'parts',
      message: `Facebook has no threads: publish one post (this draft has ${parts.length} parts).`,
    })
  }
  parts.forEach((part, index) => {
    const text = typeof part.text === 'string' ? part.text : ''
    const media = Array.isArray(part.media) ? part.media : []
    if (text.trim() === '' && media.length === 0) {
      issues.push({
        field: `parts.${index}.text`,
        message: 'The post is empty: write some text or add a photo.',
      })
    }
    const length = [...text].length
    if (length > MAX_CHARS) {
      issues.push({
        field: `parts.${index}.text`,
        message: `The post is ${length.toLocaleString('en-US')} characters long; Facebook allows ${MAX_CHARS.toLocaleString('en-US')}.`,
      })
    }
    if (media.length > MAX_PHOTOS) {
      issues.push({
        field: `parts.${index}.media`,
        message: `The post has ${media.length} photos; Facebook allows at most ${MAX_PHOTOS}.`,
      })
    }
    media.forEach((item, position) => {
      const field = `parts.${index}.media.${position}`
      if (!(PHOTO_TYPES as readonly string[]).includes(item.mime.toLowerCase())) {
        issues.push({
          field,
          message: `Photo ${position + 1} is ${item.mime || 'of an unknown type'}; Facebook accepts JPEG and PNG photos.`,
        })
      }
      if (item.size !== undefined && item.size > MAX_PHOTO_BYTES) {
        issues.push({
          field,
          message: `Photo ${position + 1} is ${megabytes(item.size)}; Facebook accepts photos up to 4 MB.`,
        })
      }
    })
  })
  return issues
}
