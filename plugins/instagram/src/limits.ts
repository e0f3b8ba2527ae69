import type {
  PreviewHints,
  PublishDraft,
  PublisherLimits,
  ValidationIssue,
} from '@herald/plugin-sdk'

/** Characters of a caption. */
export const MAX_CHARS = 2200
/** Hashtags of a caption. */
export const MAX_HASHTAGS = 30
/** Images of a post: 1, or 2-10 as a carousel. */
export const MAX_IMAGES = 10
/** Bytes per image (Instagram's documented limit for images is 8 MB). */
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024
/**
 * Image types Instagram takes: JPEG only. A host on SDK 1.4 converts other images (e.g. AI PNGs) to JPEG
 * before `validate` and `publish` see them, because this type list says so.
 */
export const IMAGE_TYPES = ['image/jpeg'] as const
/** Width / height range of feed images: 4:5 (portrait) to 1.91:1 (landscape); the host crops into it. */
export const ASPECT_RATIO = { min: 0.8, max: 1.91 } as const

/** What an Instagram business account accepts through the Content Publishing API. */
export const limits: PublisherLimits = {
  countCharacters: 'plain',
  maxChars: MAX_CHARS,
  maxMedia: MAX_IMAGES,
  mediaTypes: [...IMAGE_TYPES],
  maxMediaBytes: MAX_IMAGE_BYTES,
  requiresMedia: true,
  maxThreadParts: 1,
  // Meta downloads each image from its URL (SDK 1.4: the host hands a public one).
  mediaDelivery: 'url',
  aspectRatio: { ...ASPECT_RATIO },
}

/** How the feed shows a post: square crop, a carousel, caption cut after about 125 characters. */
export const preview: PreviewHints = {
  truncateAt: 125,
  showMoreLabel: '… more',
  mediaAspect: '1:1',
  mediaLayout: 'carousel',
  linkCard: false,
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** A ratio in words, e.g. `9:16 (0.56)`. */
function ratioWords(width: number, height: number): string {
  const divisor = (a: number, b: number): number => (b === 0 ? a : divisor(b, a % b))
  const d = divisor(width, height)
  const exact = width / d <= 50 ? `${width / d}:${height / d} ` : ''
  return `${exact}(${(width / height).toFixed(2)})`
}

/**
 * Checks a draft, purely: one part, at least one image and at most 10, JPEG within 4:5 to 1.91:1,
 * 2,200 characters, 30 hashtags.
 */
export function validate(draft: PublishDraft): ValidationIssue[] {
  const parts = Array.isArray(draft?.parts) ? draft.parts : []
  if (parts.length === 0) return [{ field: 'parts', message: 'An Instagram post needs an image.' }]
  const issues: ValidationIssue[] = []
  if (parts.length > 1) {
    issues.push({
      field: 'parts',
      message: `Instagram has no threads: publish one post (this draft has ${parts.length} parts).`,
    })
  }
  parts.forEach((part, index) => {
    const text = typeof part.text === 'string' ? part.text : ''
    const media = Array.isArray(part.media) ? part.media : []
    if (media.length === 0)
      issues.push({
        field: `parts.${index}.media`,
        message: 'An Instagram post needs at least one image.',
      })
    if (media.length > MAX_IMAGES) {
      issues.push({
        field: `parts.${index}.media`,
        message: `The post has ${media.length} images; an Instagram carousel holds at most ${MAX_IMAGES}.`,
      })
    }
    const length = [...text].length
    if (length > MAX_CHARS) {
      issues.push({
        field: `parts.${index}.text`,
        message: `The caption is ${length.toLocaleString('en-US')} characters long; Instagram allows ${MAX_CHARS.toLocaleString('en-US')}.`,
      })
    }
    const hashtags = text.match(/(^|\s)#[\p{L}\p{N}_]+/gu)?.length ?? 0
    if (hashtags > MAX_HASHTAGS) {
      issues.push({
        field: `parts.${index}.text`,
        message: `The caption has ${hashtags} hashtags; Instagram allows ${MAX_HASHTAGS}.`,
      })
    }
    media.forEach((item, position) => {
      const field = `parts.${index}.media.${position}`
      if (!(IMAGE_TYPES as readonly string[]).includes(item.mime.toLowerCase())) {
        issues.push({
          field,
          message: `Image ${position + 1} is ${item.mime || 'of an unknown type'}; Instagram takes JPEG images only.`,
        })
      }
      if (item.width && item.height) {
        const ratio = item.width / item.height
        if (ratio < ASPECT_RATIO.min - 1e-9 || ratio > ASPECT_RATIO.max + 1e-9) {
          issues.push({
            field,
            message: `Image ${position + 1} is ${ratioWords(item.width, item.height)} wide; Instagram takes 4:5 (0.80) to 1.91:1.`,
          })
        }
      }
      if (item.size !== undefined && item.size > MAX_IMAGE_BYTES) {
        issues.push({
          field,
          message: `Image ${position + 1} is ${megabytes(item.size)}; Instagram accepts images up to 8 MB.`,
        })
      }
    })
  })
  return issues
}
