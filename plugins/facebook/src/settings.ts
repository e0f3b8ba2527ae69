import { Permanent } from '@herald/plugin-sdk'

/** The plugin's settings as the host resolves them from the manifest (env, admin UI or defaults). */
export type FacebookSettings = {
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
}

/** Public defaults, the manifest's. */
export const DEFAULTS = {
  graphVersion: 'v25.0',
  graphBaseUrl: 'https://graph.facebook.com',
  dialogBaseUrl: 'https://www.facebook.com',
} as const

/** Settings checked and normalised for one call. */
export interface ResolvedSettings {
  appId: string
  appSecret: string
  graphVersion: string
  /** `<graphBaseUrl>/<graphVersion>`, without a trailing slash. */
  graphUrl: string
}

function baseUrl(value: unknown, fallback: string, env: string): string {
  const raw = typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback
  const url = raw.replace(/\/+$/, '')
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new Permanent(`The Facebook plugin setting ${env} is not a valid http(s) URL.`, {
      code: 'invalid_setting',
    })
  }
  return url
}

/** Checks the settings before any request; wrong values are the operator's to fix. */
export function resolveSettings(settings: Readonly<FacebookSettings>): ResolvedSettings {
  const appId = typeof settings.appId === 'string' ? settings.appId.trim() : ''
  const appSecret = typeof settings.appSecret === 'string' ? settings.appSecret.trim() : ''
  if (appId === '' || appSecret === '') {
    throw new Permanent(
      'The Facebook plugin has no app ID or secret. Set FACEBOOK_APP_ID and FACEBOOK_APP_SECRET, or enter them in the Facebook plugin settings.',
      { code: 'missing_client_credentials' }
    )
  }
  const version =
    typeof settings.graphVersion === 'string' && settings.graphVersion.trim() !== ''
      ? settings.graphVersion.trim()
      : DEFAULTS.graphVersion
  if (!/^v\d+\.\d+$/.test(version)) {
    throw new Permanent(
      `The Graph API version setting (FACEBOOK_GRAPH_VERSION) must look like v25.0, not "${version}".`,
      { code: 'invalid_setting' }
    )
  }
  const graph = baseUrl(settings.graphBaseUrl, DEFAULTS.graphBaseUrl, 'FACEBOOK_GRAPH_BASE_URL')
  return { appId, appSecret, graphVersion: version, graphUrl: `${graph}/${version}` }
}
