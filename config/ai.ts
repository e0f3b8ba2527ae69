/**
 * The AI studio: generation limits, retries, the model catalog cache and the
 * media library's upload rules. Providers themselves are plugins (ai-text,
 * ai-image), configured under Admin > Plugins.
 */
const aiConfig = {
  /** Plugin tried first when several AI providers are enabled */
  preferredProvider: 'openrouter',

  /** How long a provider's model list (with prices) is reused before it is asked again */
  modelCacheMs: 5 * 60_000,
  /** A failed model list is not asked for again before this (pages stay fast while a provider is down) */
  modelFailureCacheMs: 30_000,

  /** Whole text generation, streamed or not (the person is waiting) */
  textTimeoutMs: 120_000,
  /** Whole image generation, in the queue job */
  imageTimeoutMs: 180_000,

  /**
   * Provider down (5xx, timeouts) or briefly rate limited: tried again this many
   * times in all, waiting baseDelayMs, then 3x more each time (or what the
   * provider asks, up to maxDelayMs). A stream is only retried before its first
   * word reached the person.
   */
  retry: { attempts: 3, baseDelayMs: 500, maxDelayMs: 8_000 },

  /** Most output tokens asked for one post */
  maxOutputTokens: 1_000,

  /** A generation still `running` after this many minutes was interrupted (process restart) */
  staleAfterMinutes: 30,

  /** Media library uploads */
  upload: {
    maxBytes: 10 * 1024 * 1024,
    types: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
  },

  /** Aspect ratios offered for generated images */
  aspectRatios: [
    { value: '1:1', label: 'Square 1:1 (all networks)' },
    { value: '4:5', label: 'Portrait 4:5 (Instagram, Facebook)' },
    { value: '16:9', label: 'Landscape 16:9 (X, LinkedIn)' },
    { value: '9:16', label: 'Story 9:16' },
    { value: '3:2', label: 'Photo 3:2' },
  ],
}

export type AiConfig = typeof aiConfig
export default aiConfig
