import { Permanent } from '@herald/plugin-sdk'

/** The plugin's settings as the host resolves them from the manifest (env, admin UI or defaults). */
export interface OpenRouterSettings {
  /** OpenRouter API key (`sk-or-v1-…`); secret. */
  apiKey: string
  /** API base URL, default `https://openrouter.ai/api/v1`; tests point it at the fake. */
  baseUrl: string
  /** Sent as `X-Title` (app attribution), default `Herald`. */
  appName?: string
  /** Sent as `HTTP-Referer` (app attribution) when set. */
  appUrl?: string
}

/** Public API base URL, the manifest's default. */
export const DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1'

/** Settings checked and normalised for one call. */
export interface ResolvedSettings {
  apiKey: string
  /** Base URL without a trailing slash. */
  baseUrl: string
  /** Header-safe app name. */
  appName: string
  /** Header-safe app URL, when set. */
  appUrl?: string
}

/**
 * Header values must be printable ASCII (fetch rejects anything else with a TypeError that would look like a
 * bug); names typed in the admin UI may hold accents or emoji, so accents are dropped from their letters
 * (é → e) and other characters removed.
 */
function headerSafe(value: unknown): string {
  if (typeof value !== 'string') return ''
  return value
    .normalize('NFD')
    .replaceAll(/[^\u0020-\u007E]/g, '')
    .replaceAll(/\s+/g, ' ')
    .trim()
}

/** Checks the settings before any request; a missing key or a broken base URL is the operator's to fix. */
export function resolveSettings(settings: Readonly<OpenRouterSettings>): ResolvedSettings {
  const apiKey = typeof settings.apiKey === 'string' ? settings.apiKey.trim() : ''
  if (apiKey === '') {
    throw new Permanent(
      'OpenRouter has no API key. Set OPENROUTER_API_KEY or enter the key in the OpenRouter plugin settings.',
      { code: 'missing_api_key' }
    )
  }
  const rawBase = typeof settings.baseUrl === 'string' ? settings.baseUrl.trim() : ''
  const baseUrl = (rawBase === '' ? DEFAULT_BASE_URL : rawBase).replace(/\/+$/, '')
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new Permanent(
      'The OpenRouter base URL setting (OPENROUTER_BASE_URL) is not a valid http(s) URL.',
      { code: 'invalid_base_url' }
    )
  }
  const resolved: ResolvedSettings = {
    apiKey,
    baseUrl,
    appName: headerSafe(settings.appName) || 'Herald',
  }
  const appUrl = headerSafe(settings.appUrl)
  if (appUrl !== '') resolved.appUrl = appUrl
  return resolved
}
