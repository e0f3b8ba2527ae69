import { RateLimited, Transient } from '@herald/plugin-sdk'
import {
  META_DEFAULTS,
  type MetaNetwork,
  type MetaResolvedSettings,
  type MetaSettings,
  permanent,
  resolveMetaSettings,
} from '@herald/meta-graph'

/** The plugin's settings as the host resolves them from the manifest (env, admin UI or defaults). */
export type InstagramSettings = MetaSettings & {
  /** How long to wait for a media container to be FINISHED, in seconds (default 60). */
  containerTimeoutSeconds?: number
}

/** Public defaults, the manifest's. */
export const DEFAULTS = { ...META_DEFAULTS, containerTimeoutSeconds: 60 } as const

/** Settings checked and normalised for one call. */
export interface ResolvedSettings extends MetaResolvedSettings {
  /** Bound of the container status polling, in ms. */
  containerTimeoutMs: number
}

/** Instagram's name, env prefix and error rules (publishing limit, image fetch, aspect ratio, media not ready). */
export const INSTAGRAM: MetaNetwork = {
  network: 'Instagram',
  envPrefix: 'INSTAGRAM',
  earlyRules(problem, { now, because }) {
    const { code, subcode } = problem
    if (subcode === 2207042) {
      const resetAt = new Date(now.getTime() + 60 * 60_000)
      return new RateLimited(
        resetAt,
        `Instagram's publishing limit (posts per 24 hours) is reached${because}; retry after ${resetAt.toISOString()}`
      )
    }
    if (subcode === 2207052) {
      return permanent(
        'Instagram could not download the image: its URL must be publicly reachable from the internet (not localhost or a private address).',
        problem,
        'media_fetch_failed'
      )
    }
    if (subcode === 2207009 || code === 36003) {
      return permanent(
        'Instagram refused the image: its aspect ratio must be between 4:5 (portrait) and 1.91:1 (landscape).',
        problem,
        'aspect_ratio'
      )
    }
    if (code === 9007 || subcode === 2207027) {
      return new Transient(
        `Instagram says the media is not ready for publishing${because}; nothing was posted, try again.`
      )
    }
    return undefined
  },
}

/** Checks the settings before any request; wrong values are the operator's to fix. */
export function resolveSettings(settings: Readonly<InstagramSettings>): ResolvedSettings {
  const resolved = resolveMetaSettings(settings, INSTAGRAM)
  const seconds = Number(settings.containerTimeoutSeconds ?? DEFAULTS.containerTimeoutSeconds)
  const containerTimeoutMs =
    Number.isFinite(seconds) && seconds > 0
      ? Math.min(seconds, 600) * 1000
      : DEFAULTS.containerTimeoutSeconds * 1000
  return { ...resolved, containerTimeoutMs }
}
