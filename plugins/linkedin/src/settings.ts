import { Permanent } from '@herald/plugin-sdk'

/** The plugin's settings as the host resolves them from the manifest (env, admin UI or defaults). */
export type LinkedInSettings = {
  /** OAuth client id of the LinkedIn app. */
  clientId: string
  /** OAuth client secret of the LinkedIn app; secret. */
  clientSecret: string
  /** OAuth base, default `https://www.linkedin.com/oauth/v2` (authorization, accessToken, revoke). */
  oauthBaseUrl: string
  /** API base, default `https://api.linkedin.com` (/v2/userinfo, /rest/images, /rest/posts). */
  apiBaseUrl: string
  /** `LinkedIn-Version` header, `YYYYMM` (or `YYYYMM.RR`). */
  apiVersion: string
  /** Post visibility, `PUBLIC` (default) or `CONNECTIONS`. */
  visibility?: string
}

/** Public defaults, the manifest's. */
export const DEFAULTS = {
  oauthBaseUrl: 'https://www.linkedin.com/oauth/v2',
  apiBaseUrl: 'https://api.linkedin.com',
  apiVersion: '202610',
  visibility: 'PUBLIC',
} as const

/** Where published posts are shown: `https://www.linkedin.com/feed/update/<urn>`. */
export const FEED_URL = 'https://www.linkedin.com/feed/update/'

/** Settings checked and normalised for one call. */
export interface ResolvedSettings {
  clientId: string
  clientSecret: string
  /** Without a trailing slash. */
  oauthBaseUrl: string
  /** Without a trailing slash. */
  apiBaseUrl: string
  apiVersion: string
  visibility: 'PUBLIC' | 'CONNECTIONS'
}

function baseUrl(value: unknown, fallback: string, env: string): string {
  const raw = typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback
  const url = raw.replace(/\/+$/, '')
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new Permanent(`The LinkedIn plugin setting ${env} is not a valid http(s) URL.`, {
      code: 'invalid_setting',
    })
  }
  return url
}

/** Checks the settings before any request; wrong values are the operator's to fix. */
export function resolveSettings(settings: Readonly<LinkedInSettings>): ResolvedSettings {
  const clientId = typeof settings.clientId === 'string' ? settings.clientId.trim() : ''
  const clientSecret = typeof settings.clientSecret === 'string' ? settings.clientSecret.trim() : ''
  if (clientId === '' || clientSecret === '') {
    throw new Permanent(
      'The LinkedIn plugin has no client ID or secret. Set LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET, or enter them in the LinkedIn plugin settings.',
      { code: 'missing_client_credentials' }
    )
  }
  const version =
    typeof settings.apiVersion === 'string' && settings.apiVersion.trim() !== ''
      ? settings.apiVersion.trim()
      : DEFAULTS.apiVersion
  if (!/^\d{6}(?:\.\d{2})?$/.test(version)) {
    throw new Permanent(
      `The LinkedIn-Version setting (LINKEDIN_API_VERSION) must look like 202610, not "${version}".`,
      { code: 'invalid_setting' }
    )
  }
  return {
    clientId,
    clientSecret,
    oauthBaseUrl: baseUrl(settings.oauthBaseUrl, DEFAULTS.oauthBaseUrl, 'LINKEDIN_OAUTH_BASE_URL'),
    apiBaseUrl: baseUrl(settings.apiBaseUrl, DEFAULTS.apiBaseUrl, 'LINKEDIN_API_BASE_URL'),
    apiVersion: version,
    visibility: settings.visibility === 'CONNECTIONS' ? 'CONNECTIONS' : 'PUBLIC',
  }
}
