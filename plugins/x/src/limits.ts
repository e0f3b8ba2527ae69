import type {
  DraftMedia,
  PreviewHints,
  PublishDraft,
  PublisherLimits,
  ValidationIssue,
} from '@herald/plugin-sdk'
import twitterText from 'twitter-text'

/** Weighted characters per post for accounts without X Premium. */
export const MAX_WEIGHTED_CHARS = 280
/** Images per post. */
export const MAX_IMAGES = 4
/** Bytes per image (X's limit for images; GIFs are held to it too). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024
/** Posts per thread Herald publishes as one reply chain. */
export const MAX_THREAD_PARTS = 25
/** Characters of an image's alt text. */
export const MAX_ALT_TEXT = 1000
/** Image types X accepts for posts. */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const

/** What X accepts, as the core's composer counts and checks it. */
export const limits: PublisherLimits = {
  countCharacters: 'twitter-weighted',
  maxChars: MAX_WEIGHTED_CHARS,
  maxMedia: MAX_IMAGES,
  mediaTypes: [...IMAGE_TYPES],
  maxMediaBytes: MAX_IMAGE_BYTES,
  requiresMedia: false,
  maxThreadParts: MAX_THREAD_PARTS,
  // The free tier's allowance of post creations (each thread part counts); the host only warns.
  postsPer24Hours: 17,
}

/** How X shows a post: the whole text (no "show more" under 280), images in a grid, first link as a card. */
export const preview: PreviewHints = {
  mediaAspect: '16:9',
  mediaLayout: 'grid',
  linkCard: true,
}

/**
 * Length of a text as X counts it (twitter-text's weighted count, config v3): most Latin, Greek and
 * Cyrillic characters weigh 1; CJK characters and emoji (a whole emoji sequence) weigh 2; every URL
 * weighs 23 whatever its length; the text is NFC-normalised first.
 */
export function weightedLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength
}

const LABELS: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WEBP',
  'image/gif': 'GIF',
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

function mediaIssues(
  media: DraftMedia[],
  index: number,
  label: string,
  thread: boolean
): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const field = `parts.${index}.media`
  if (media.length > MAX_IMAGES) {
    issues.push({
      field,
      message: `${label} has ${media.length} images; X allows at most ${MAX_IMAGES} per post.`,
    })
  }
  const gifs = media.filter((item) => item.mime.toLowerCase() === 'image/gif').length
  if (gifs > 0 && media.length > 1) {
    issues.push({
      field,
      message: `An animated GIF must be the only image of its post on X; ${label.toLowerCase()} has ${media.length} images.`,
    })
  }
  media.forEach((item, position) => {
    const at = `${field}.${position}`
    const name = `Image ${position + 1}${thread ? ` of post ${index + 1}` : ''}`
    const mime = item.mime.toLowerCase()
    if (!(IMAGE_TYPES as readonly string[]).includes(mime)) {
      issues.push({
        field: at,
        message: `${name} is ${item.mime || 'of an unknown type'}; X accepts JPEG, PNG, WEBP and GIF images.`,
      })
    }
    if (item.size !== undefined && item.size > MAX_IMAGE_BYTES) {
      issues.push({
        field: at,
        message: `${name} is ${megabytes(item.size)}; X accepts ${LABELS[mime] ?? 'images'} up to ${megabytes(MAX_IMAGE_BYTES)}.`,
      })
    }
    if (item.altText !== undefined && [...item.altText].length > MAX_ALT_TEXT) {
      issues.push({
        field: at,
        message: `The alt text of ${name.toLowerCase()} is ${[...item.altText].length} characters long; X allows ${MAX_ALT_TEXT.toLocaleString('en-US')}.`,
      })
    }
  })
  return issues
}

/**
 * Checks a draft against X's rules, purely (no I/O, same answer for the same draft): weighted length per
 * post, empty posts, images (count, type, size, a GIF alone, alt text) and the number of thread posts.
 * Each issue names the field it concerns (`parts.1.text`, `parts.0.media.2`…).
 */
export function validate(draft: PublishDraft): ValidationIssue[] {
  const parts = Array.isArray(draft?.parts) ? draft.parts : []
  if (parts.length === 0) {
    return [{ field: 'parts', message: 'The post is empty: write some text or add an image.' }]
  }
  const issues: ValidationIssue[] = []
  if (parts.length > MAX_THREAD_PARTS) {
    issues.push({
      field: 'parts',
      message: `The thread has ${parts.length} posts; Herald publishes X threads of at most ${MAX_THREAD_PARTS}.`,
    })
  }
  parts.forEach((part, index) => {
    const label = parts.length > 1 ? `Post ${index + 1} of the thread` : 'The post'
    const text = typeof part.text === 'string' ? part.text : ''
    const media = Array.isArray(part.media) ? part.media : []
    if (text.trim() === '' && media.length === 0) {
      issues.push({
        field: `parts.${index}.text`,
        message: `${label} is empty: write some text or add an image.`,
      })
    } else {
      const length = weightedLength(text)
      if (length > MAX_WEIGHTED_CHARS) {
        issues.push({
          field: `parts.${index}.text`,
          message: `${label} is ${length} characters long as X counts them; X allows ${MAX_WEIGHTED_CHARS} (every link counts as 23, emoji and CJK characters as 2). Remove ${length - MAX_WEIGHTED_CHARS}.`,
        })
      }
    }
    issues.push(...mediaIssues(media, index, label, parts.length > 1))
  })
  return issues
}
