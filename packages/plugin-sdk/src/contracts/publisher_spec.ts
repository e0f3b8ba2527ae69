import type { AspectRatio } from './ai_image.js'

/** How a network counts characters: plain code points, or X's weighted count (CJK and emoji 2, URLs 23). */
export type CharacterCounting = 'plain' | 'twitter-weighted'

/** What a network accepts; the core validates drafts and renders counters from it. */
export interface PublisherLimits {
  /** How characters are counted. */
  countCharacters: CharacterCounting
  /** Maximum characters per post (per thread part). */
  maxChars: number
  /** Maximum media items per post. */
  maxMedia: number
  /** Accepted media MIME types, e.g. `['image/jpeg', 'image/png', 'video/mp4']`. */
  mediaTypes: string[]
  /** Maximum size of one media item, in bytes. */
  maxMediaBytes: number
  /** Whether a post must carry at least one media item (Instagram). */
  requiresMedia: boolean
  /** Maximum parts of a thread; 1 when the network has no threads. */
  maxThreadParts: number
}

/** How the network displays a post, so the core can render a faithful preview. */
export interface PreviewHints {
  /** Characters shown before the text is cut. */
  truncateAt?: number
  /** Label of the link that expands cut text, e.g. `…see more`. */
  showMoreLabel?: string
  /** Aspect ratio media is cropped to in the feed. */
  mediaAspect?: AspectRatio
  /** How several media items are laid out. */
  mediaLayout?: 'grid' | 'carousel' | 'stack'
  /** Whether the first link in the text is shown as a card. */
  linkCard?: boolean
}

/** Built-in Ally drivers the host can use instead of its generic OAuth2 driver. */
export type AllyDriverName = 'twitterX' | 'linkedinOpenidConnect' | 'facebook'

/**
 * OAuth 2 described as data; the host builds the Ally driver from it, so adding a platform edits no config.
 * URLs may contain `{settingName}` placeholders filled from settings (see `resolveOAuthSpec`), so tests can
 * point them at a fake. The client id and secret are read from the settings named below.
 */
export interface OAuthSpec {
  /** Built-in Ally driver to use, when one fits. */
  allyDriver?: AllyDriverName
  /** Authorization endpoint. */
  authorizeUrl: string
  /** Token endpoint. */
  tokenUrl: string
  /** Scopes to request. */
  scopes: string[]
  /** Whether to use PKCE (S256). */
  pkce: boolean
  /** How the client authenticates at the token endpoint: HTTP Basic header or form body. */
  clientAuth: 'basic' | 'body'
  /** Extra authorize-URL parameters, e.g. `{ prompt: 'consent' }`. */
  extraParams?: Record<string, string>
  /** Separator between scopes in the authorize URL (default a space). */
  scopeSeparator?: string
  /** Setting holding the OAuth client id (default `clientId`). */
  clientIdSetting?: string
  /** Setting holding the OAuth client secret (default `clientSecret`). */
  clientSecretSetting?: string
}

/**
 * What `checkCredentials` found about the OAuth client credentials in the plugin's settings (SDK 1.3):
 * - `valid`: the platform accepted the client id and secret;
 * - `invalid`: the platform refused them (the message says which setting to fix);
 * - `unverifiable`: the platform offers no way to check them before a real sign-in, or could not be
 *   reached (the message says which).
 */
export interface CredentialsCheck {
  status: 'valid' | 'invalid' | 'unverifiable'
  /** One sentence for the admin, naming the settings to fix when `invalid`. */
  message: string
}
