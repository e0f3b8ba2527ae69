import { Permanent } from '@herald/plugin-sdk'

/** The plugin's settings as the host resolves them from the manifest (env, admin UI or defaults). */
export type XSettings = {
  /** OAuth 2.0 client id of the X app. */
  clientId: string
  /** OAuth 2.0 client secret of the X app (confidential client); secret. */
  clientSecret: string
  /** Authorization page, default `https://x.com/i/oauth2/authorize`. */
  authorizeUrl: string
  /** API base, default `https://api.x.com` (posts, media upload v2, users, token and revoke endpoints). */
  apiBaseUrl: string
  /** Base of links to posts, default `https://x.com`; never called. */
  publicUrl?: string
}

/** Public defaults, the manifest's. */
export const DEFAULTS = {
  authorizeUrl: 'https://x.com/i/oauth2/authorize',
  apiBaseUrl: 'https://api.x.com',
  publicUrl: 'https://x.com',
} as const

/** Settings checked and normalised for one call. */
export interface ResolvedSettings {
  clientId: string
  clientSecret: string
  /** Without a trailing slash. */
  apiBaseUrl: string
  /** Without a trailing slash. */
  publicUrl: string
}

function baseUrl(value: unknown, fallback: string, env: string): string {
  const raw = typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback
  const url = raw.replace(/\/+$/, '')
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new Permanent(`The X plugin setting ${env} is not a valid http(s) URL.`, {
      code: 'invalid_setting',
    })
  }
  return url
}

/** Checks the settings before any request; missing credentials are the operator's to fix. */
export function resolveSettings(settings: Readonly<XSettings>): ResolvedSettings {
  const clientId = typeof settings.clientId === 'string' ? settings.clientId.trim() : ''
  const clientSecret = typeof settings.clientSecret === 'string' ? settings.clientSecret.trim() : ''
  if (clientId === '' || clientSecret === '') {
    throw new Permanent(
      'The X plugin has no OAuth client ID or secret. Set X_CLIENT_ID and X_CLIENT_SECRET, or enter them in the X plugin settings.',
      { code: 'missing_client_credentials' }
    )
  }
  return {
    clientId,
    clientSecret,
    apiBaseUrl: baseUrl(settings.apiBaseUrl, DEFAULTS.apiBaseUrl, 'X_API_BASE_URL'),
    publicUrl: baseUrl(settings.publicUrl, DEFAULTS.publicUrl, 'X_PUBLIC_URL'),
  }
}

/**
 * `Authorization: Basic` value for the token and revoke endpoints: `base64(client_id:client_secret)`, the
 * same raw form Ally's X driver sends for the code exchange (X's ids and secrets are URL-safe already).
 */
export function basicAuth(settings: ResolvedSettings): string {
  const pair = `${settings.clientId}:${settings.clientSecret}`
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`
}
