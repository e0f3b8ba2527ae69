import type {
  PreviewHints,
  PublishDraft,
  PublisherLimits,
  ValidationIssue,
} from '@herald/plugin-sdk'

/** Characters of a post's commentary. */
export const MAX_CHARS = 3000
/** Images of one post: 1 as a single image, 2 to 20 as a multi-image post. */
export const MAX_IMAGES = 20
/** Bytes per image (LinkedIn documents pixels, not bytes; 8 MB is what third-party tools report). */
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024
/** Characters of an image's alt text. */
export const MAX_ALT_TEXT = 4086
/** Image types the Images API takes. */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif'] as const

/** What LinkedIn accepts for a member post. */
export const limits: PublisherLimits = {
  countCharacters: 'plain',
  maxChars: MAX_CHARS,
  maxMedia: MAX_IMAGES,
  mediaTypes: [...IMAGE_TYPES],
  maxMediaBytes: MAX_IMAGE_BYTES,
  requiresMedia: false,
  maxThreadParts: 1,
}

/** How the feed shows a post: about 210 characters then "…see more", images in a grid, a link card. */
export const preview: PreviewHints = {
  truncateAt: 210,
  showMoreLabel: '…see more',
  mediaAspect: '1.91:1',
  mediaLayout: 'grid',
  linkCard: true,
}

/** Length as the composer counts it: Unicode code points. */
export function plainLength(text: string): number {
  return [...text].length
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/**
 * Checks a draft against LinkedIn's rules, purely: one part (LinkedIn has no threads), 3,000 characters,
 * text or images, up to 20 JPEG/PNG/GIF images of 8 MB, an animated GIF alone, alt text length.
 */
export function validate(draft: PublishDraft): ValidationIssue[] {
  const parts = Array.isArray(draft?.parts) ? draft.parts : []
  if (parts.length === 0) {
    return [{ field: 'parts', message: 'The post is empty: write some text or add an image.' }]
  }
  const issues: ValidationIssue[] = []
  if (parts.length > 1) {
    issues.push({
      field: 'parts',
      message: `LinkedIn has no threads: publish one post (this draft has ${parts.length} parts).`,
    })
  }
  parts.forEach((part, index) => {
    const text = typeof part.text === 'string' ? part.text : ''
    const media = Array.isArray(part.media) ? part.media : []
    if (text.trim() === '' && media.length === 0) {
      issues.push({
        field: `parts.${index}.text`,
        message: 'The post is empty: write some text or add an image.',
      })
    }
    const length = plainLength(text)
    if (length > MAX_CHARS) {
      issues.push({
        field: `parts.${index}.text`,
        message: `The post is ${length.toLocaleString('en-US')} characters long; LinkedIn allows ${MAX_CHARS.toLocaleString('en-US')}. Remove ${length - MAX_CHARS}.`,
      })
    }
    if (media.length > MAX_IMAGES) {
      issues.push({
        field: `parts.${index}.media`,
        message: `The post has ${media.length} images; LinkedIn allows at most ${MAX_IMAGES}.`,
      })
    }
    if (media.length > 1 && media.some((item) => item.mime.toLowerCase() === 'image/gif')) {
      issues.push({
        field: `parts.${index}.media`,
        message: `An animated GIF must be the only image of a LinkedIn post; this one has ${media.length} images.`,
      })
    }
    media.forEach((item, position) => {
      const field = `parts.${index}.media.${position}`
      const name = `Image ${position + 1}`
      if (!(IMAGE_TYPES as readonly string[]).includes(item.mime.toLowerCase())) {
        issues.push({
          field,
          message: `${name} is ${item.mime || 'of an unknown type'}; LinkedIn accepts JPEG, PNG and GIF images.`,
        })
      }
      if (item.size !== undefined && item.size > MAX_IMAGE_BYTES) {
        issues.push({
          field,
          message: `${name} is ${megabytes(item.size)}; LinkedIn accepts images up to ${megabytes(MAX_IMAGE_BYTES)}.`,
        })
      }
      if (item.altText !== undefined && plainLength(item.altText) > MAX_ALT_TEXT) {
        issues.push({
          field,
          message: `The alt text of ${name.toLowerCase()} is ${plainLength(item.altText).toLocaleString('en-US')} characters long; LinkedIn allows ${MAX_ALT_TEXT.toLocaleString('en-US')}.`,
        })
      }
    })
  })
  return issues
}
