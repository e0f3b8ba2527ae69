import { Permanent } from '@herald/plugin-sdk'

/** The plugin's settings as the host resolves them from the manifest (env, admin UI or defaults). */
export type InstagramSettings = {
  /** Meta app id. */
  appId: string
  /** Meta app secret; secret. */
  appSecret: string
  /** Graph API version, e.g. `v25.0`. */
  graphVersion: string
  /** Graph base URL, default `https://graph.facebook.com` (the version is appended). */
  graphBaseUrl: string
  /** Login dialog base URL, default `https://www.facebook.com`. */
  dialogBaseUrl: string
  /** How long to wait for a media container to be FINISHED, in seconds (default 60). */
  containerTimeoutSeconds?: number
}

/** Public defaults, the manifest's. */
export const DEFAULTS = {
  graphVersion: 'v25.0',
  graphBaseUrl: 'https://graph.facebook.com',
  dialogBaseUrl: 'https://www.facebook.com',
  containerTimeoutSeconds: 60,
} as const

/** Settings checked and normalised for one call. */
export interface ResolvedSettings {
  appId: string
  appSecret: string
  graphVersion: string
  /** `<graphBaseUrl>/<graphVersion>`, without a trailing slash. */
  graphUrl: string
  /** Bound of the container status polling, in ms. */
  containerTimeoutMs: number
}

function baseUrl(value: unknown, fallback: string, env: string): string {
  const raw = typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback
  const url = raw.replace(/\/+$/, '')
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new Permanent(`The Instagram plugin setting ${env} is not a valid http(s) URL.`, {
      code: 'invalid_setting',
    })
  }
  return url
}

/** Checks the settings before any request; wrong values are the operator's to fix. */
export function resolveSettings(settings: Readonly<InstagramSettings>): ResolvedSettings {
  const appId = typeof settings.appId === 'string' ? settings.appId.trim() : ''
  const appSecret = typeof settings.appSecret === 'string' ? settings.appSecret.trim() : ''
  if (appId === '' || appSecret === '') {
    throw new Permanent(
      'The Instagram plugin has no app ID or secret. Set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET, or enter them in the Instagram plugin settings.',
      { code: 'missing_client_credentials' }
    )
  }
  const version =
    typeof settings.graphVersion === 'string' && settings.graphVersion.trim() !== ''
      ? settings.graphVersion.trim()
      : DEFAULTS.graphVersion
  if (!/^v\d+\.\d+$/.test(version)) {
    throw new Permanent(
      `The Graph API version setting (INSTAGRAM_GRAPH_VERSION) must look like v25.0, not "${version}".`,
      { code: 'invalid_setting' }
    )
  }
  const graph = baseUrl(settings.graphBaseUrl, DEFAULTS.graphBaseUrl, 'INSTAGRAM_GRAPH_BASE_URL')
  const seconds = Number(settings.containerTimeoutSeconds ?? DEFAULTS.containerTimeoutSeconds)
  const containerTimeoutMs =
    Number.isFinite(seconds) && seconds > 0
      ? Math.min(seconds, 600) * 1000
      : DEFAULTS.containerTimeoutSeconds * 1000
  return {
    appId,
    appSecret,
    graphVersion: version,
    graphUrl: `${graph}/${version}`,
    containerTimeoutMs,
  }
}
