import type { AspectRatioRange, PublisherLimits } from '@herald/plugin-sdk'

/** What the host knows of a media item without reading it */
export interface MediaFacts {
  mime: string
  width: number | null
  height: number | null
}

/**
 * How a media item goes to a network: as it is (`variant` null), or as a
 * derived copy, converted to a type the network takes and/or cropped into its
 * aspect-ratio range (docs/architecture.md §8.10). Pure: no I/O.
 */
export interface MediaPlan {
  /** Name of the derived copy (`jpeg`, `jpeg-1080x1349`), deterministic per asset and format; null: as is */
  variant: string | null
  /** The type the network receives */
  mime: string
  /** The size the network receives, when known */
  width: number | null
  height: number | null
  /** Why a copy is needed, for messages */
  reasons: ('type' | 'ratio')[]
}

/** Types sharp reads (the media library only stores the first four) */
const DECODABLE = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff']
/** Types Herald writes, in order of preference when the original's is not taken */
const OUTPUTS = ['image/jpeg', 'image/png', 'image/webp']

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
}

/**
 * The size an image is cropped to so that width / height falls in the range:
 * the nearest allowed ratio, keeping the full width (too tall) or the full
 * height (too wide). Undefined when it already fits.
 */
export function cropInto(
  width: number,
  height: number,
  range: AspectRatioRange
): { width: number; height: number } | undefined {
  const ratio = width / height
  if (ratio < range.min) {
    return { width, height: Math.max(1, Math.floor(width / range.min)) }
  }
  if (ratio > range.max) {
    return { width: Math.max(1, Math.floor(height * range.max)), height }
  }
  return undefined
}

/** How a media item must be prepared for a publisher's limits */
export function planMedia(media: MediaFacts, limits: PublisherLimits): MediaPlan {
  const mime = media.mime.toLowerCase()
  const asIs: MediaPlan = {
    variant: null,
    mime,
    width: media.width,
    height: media.height,
    reasons: [],
  }
  if (!DECODABLE.includes(mime)) return asIs
  const accepted = limits.mediaTypes.map((type) => type.toLowerCase())
  const reasons: MediaPlan['reasons'] = []
  let output = mime
  if (!accepted.includes(mime)) {
    const taken = OUTPUTS.find((type) => accepted.includes(type))
    if (!taken) return asIs // nothing Herald can write is taken: validate says so
    output = taken
    reasons.push('type')
  }
  let width = media.width
  let height = media.height
  if (limits.aspectRatio && width && height) {
    const crop = cropInto(width, height, limits.aspectRatio)
    if (crop) {
      reasons.push('ratio')
      width = crop.width
      height = crop.height
      // A cropped GIF or AVIF is written in a type Herald writes.
      if (!OUTPUTS.includes(output))
        output = OUTPUTS.find((type) => accepted.includes(type)) ?? output
    }
  }
  if (reasons.length === 0) return asIs
  const ext = EXTENSIONS[output] ?? output.split('/')[1]
  const variant = reasons.includes('ratio') ? `${ext}-${width}x${height}` : ext
  return { variant, mime: output, width, height, reasons }
}
