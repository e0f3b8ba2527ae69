import type { PluginContext } from '../context.js'
import type { PluginSettings } from '../settings.js'
import type {
  CredentialsCheck,
  OAuthSpec,
  PreviewHints,
  PublisherLimits,
} from './publisher_spec.js'

/** Tokens of a connected account, stored and refreshed by the host. */
export interface TokenSet {
  /** Access token. */
  accessToken: string
  /** Refresh token, when the platform issues one. */
  refreshToken?: string
  /** When the access token expires. */
  expiresAt?: Date
  /** Granted scopes. */
  scopes?: string[]
}

/** A connected account (a profile, or a Page reached through one). */
export interface AccountProfile {
  /** The platform's id of the account. */
  externalId: string
  /** Handle without `@`, e.g. `acme`. */
  handle: string
  /** Display name. */
  displayName: string
  /** Avatar URL. */
  avatarUrl?: string
  /** Tokens specific to this account (e.g. a Facebook Page token); the profile's tokens otherwise. */
  tokens?: TokenSet
}

/** A media item of a draft, as validated before publishing. */
export interface DraftMedia {
  /** MIME type. */
  mime: string
  /** Size in bytes. */
  size?: number
  /** Pixel width. */
  width?: number
  /** Pixel height. */
  height?: number
  /** Alternative text. */
  altText?: string
}

/** One part of a draft (a single post, or one post of a thread). */
export interface DraftPart {
  /** Text of the part. */
  text: string
  /** Media attached to the part. */
  media: DraftMedia[]
}

/** A draft as `validate` sees it. */
export interface PublishDraft {
  /** One part, or several for a thread. */
  parts: DraftPart[]
}

/** A problem found by `validate`. */
export interface ValidationIssue {
  /** Path of the offending field, e.g. `parts.1.text` or `parts.0.media`. */
  field: string
  /** Message shown next to the field. */
  message: string
}

/** A media item ready to publish. */
export interface PublishMedia extends DraftMedia {
  /** Public URL of the file (for platforms that fetch media themselves). */
  url: string
  /** Reads the file content (for platforms that need an upload). */
  read(): Promise<Uint8Array>
}

/** One part ready to publish. */
export interface PublishPart {
  /** Text of the part. */
  text: string
  /** Media attached to the part. */
  media: PublishMedia[]
}

/** One published part of a thread. */
export interface PublishedPart {
  /** The platform's id of the post. */
  externalId: string
  /** Public URL of the post. */
  url?: string
}

/** What `publish` receives. */
export interface PublishInput {
  /** Account to publish as. */
  account: AccountProfile
  /** Tokens to use (the account's own tokens when it has them). */
  tokens: TokenSet
  /** Parts to publish; several make a thread. */
  parts: PublishPart[]
  /** Host's id for this publication; forward it where the platform supports idempotency. */
  idempotencyKey: string
  /** Parts already published by an earlier attempt: continue the thread after the last of them. */
  resumeFrom?: PublishedPart[]
  /**
   * Since SDK 1.2. Await it right before sending each request that creates a post (the tweet, the LinkedIn
   * post, the Page feed or photo post, Instagram's `media_publish`), after the uploads that are safe to
   * repeat. The host records the moment: if the worker dies after it, the outcome is unknown and the post is
   * never sent again blindly; before it, the attempt is simply re-queued.
   */
  beforeCreate?: () => Promise<void>
  /**
   * Since SDK 1.2. Await it when a part of a thread is live, so the host keeps the progress even if the
   * worker dies before `publish` returns (the next attempt resumes after it).
   */
  onPartPublished?: (part: PublishedPart, index: number) => Promise<void>
}

/** What `publish` returns. */
export interface PublishResult {
  /** The platform's id of the (first) post. */
  externalId: string
  /** Public URL of the (first) post. */
  url: string
  /** Every published part, in order, for threads. */
  parts?: PublishedPart[]
}

/** A post found by `findPublished`. */
export interface FoundPost {
  /** The platform's id of the post. */
  externalId: string
  /** Public URL of the post. */
  url: string
}

/** What `findPublished` receives: look for a post made by an attempt whose outcome is unknown. */
export interface FindPublishedInput {
  /** Account that may have published. */
  account: AccountProfile
  /** Tokens to use. */
  tokens: TokenSet
  /** Text of the (first) part that was sent. */
  text: string
  /** The attempt started after this time; older posts do not match. */
  after: Date
}

/** A social network publisher (`publisher/1`). */
export interface Publisher<S = PluginSettings> {
  /** Contract version literal. */
  readonly contract: 'publisher/1'
  /** What the network accepts. */
  readonly limits: PublisherLimits
  /** How the network displays posts. */
  readonly preview: PreviewHints
  /** How accounts connect. */
  readonly oauth: OAuthSpec
  /** Who the tokens belong to (after the OAuth callback and as a connection test). */
  fetchProfile(ctx: PluginContext<S>, tokens: TokenSet): Promise<AccountProfile>
  /** Optional: further accounts the tokens can publish as (e.g. Facebook Pages). */
  fetchAccounts?(ctx: PluginContext<S>, tokens: TokenSet): Promise<AccountProfile[]>
  /** Optional: new tokens from the refresh token; keep the old refresh token if the platform omits one. */
  refresh?(ctx: PluginContext<S>, tokens: TokenSet): Promise<TokenSet>
  /** Pure, synchronous check of a draft against the network's rules; no I/O. */
  validate(draft: PublishDraft): ValidationIssue[]
  /** Publishes once. Throws SDK errors; a possibly-applied failure must be `Unknown`. */
  publish(ctx: PluginContext<S>, input: PublishInput): Promise<PublishResult>
  /** Optional, read-only: finds a post an attempt with an unknown outcome made, or null. */
  findPublished?(ctx: PluginContext<S>, input: FindPublishedInput): Promise<FoundPost | null>
  /** Optional: revokes the tokens when the account is disconnected. */
  revoke?(ctx: PluginContext<S>, tokens: TokenSet): Promise<void>
  /**
   * Optional (SDK 1.3): checks the OAuth client credentials of the settings with the platform, without a
   * person signing in (Admin > Plugins and the Accounts page call it from a "Check configuration" button).
   * Resolves with the outcome; throws only for a programming error.
   */
  checkCredentials?(ctx: PluginContext<S>): Promise<CredentialsCheck>
}
