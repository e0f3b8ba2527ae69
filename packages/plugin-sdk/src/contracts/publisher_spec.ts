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
  /**
   * Accepted media MIME types, e.g. `['image/jpeg', 'image/png', 'video/mp4']`. Since SDK 1.4 the host
   * converts an image of another type to JPEG (or PNG when only PNG is accepted) before `validate` and
   * `publish` see it; the original is kept.
   */
  mediaTypes: string[]
  /** Maximum size of one media item, in bytes. */
  maxMediaBytes: number
  /** Whether a post must carry at least one media item (Instagram). */
  requiresMedia: boolean
  /** Maximum parts of a thread; 1 when the network has no threads. */
  maxThreadParts: number
  /**
   * Since SDK 1.4. How media reach the network: `upload` (default: the plugin reads the bytes with
   * `PublishMedia.read()` and uploads them) or `url` (the network downloads `PublishMedia.url` itself,
   * like Meta). With `url` the host hands a URL reachable from the internet (a signed, expiring one for
   * its own files) and warns before a post's time when it cannot.
   */
  mediaDelivery?: MediaDelivery
  /**
   * Since SDK 1.4. The width/height range images must fit (Instagram: `{ min: 0.8, max: 1.91 }`, 4:5 to
   * 1.91:1). The host crops an image outside it to the nearest allowed ratio (a derived copy; the
   * original is kept) before `validate` and `publish` see it.
   */
  aspectRatio?: AspectRatioRange
  /**
   * Since SDK 1.4. Posts (each part of a thread counts) an account of the network's entry tier may make
   * in 24 hours (X's free tier: about 17). The host only warns before a post's time when an account's
   * posts in the 24 hours up to it reach this; nothing is refused.
   */
  postsPer24Hours?: number
}

/** How media reach a network (SDK 1.4): uploaded by the plugin, or downloaded by the network from a URL. */
export type MediaDelivery = 'upload' | 'url'

/** An accepted range of width / height (SDK 1.4), both bounds included, e.g. 0.8 for 4:5. */
export interface AspectRatioRange {
  /** Narrowest accepted width / height. */
  min: number
  /** Widest accepted width / height. */
  max: number
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
  /**
   * Since SDK 1.4. The scopes publishing cannot work without (a subset of `scopes`); the host blocks a
   * scheduled post of an account missing one and only warns about the others. Default: every scope.
   */
  publishScopes?: string[]
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
