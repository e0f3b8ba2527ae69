import type { PublishedPart } from './contracts/publisher.js'

/** The failure taxonomy the host maps to retry, refresh, reconnect or reconcile decisions. */
export const PLUGIN_ERROR_KINDS = [
  'RateLimited',
  'Transient',
  'AuthExpired',
  'Permanent',
  'Unknown',
] as const

/** Discriminator of a {@link PluginError}. */
export type PluginErrorKind = (typeof PLUGIN_ERROR_KINDS)[number]

/** Longest platform message kept on an error. */
const MAX_PLATFORM_MESSAGE = 2000

const BRAND: unique symbol = Symbol.for('herald.plugin-sdk.PluginError')

/** Options every plugin error accepts. */
export interface PluginErrorOptions {
  /** Underlying error (never put tokens or secrets in it). */
  cause?: unknown
  /** Thread parts already live when the failure happened; the host passes them back as `resumeFrom`. */
  publishedParts?: PublishedPart[]
}

/** Serialised form of a plugin error (what the host stores and shows). */
export interface PluginErrorJSON {
  /** Error kind. */
  kind: PluginErrorKind
  /** Developer-facing message. */
  message: string
  /** RateLimited: when the limit resets (ISO 8601). */
  resetAt?: string
  /** Transient: suggested delay before retrying. */
  retryAfterMs?: number
  /** Permanent: message safe to show to the user. */
  userMessage?: string
  /** Permanent: the platform's own message, truncated. */
  platformMessage?: string
  /** Permanent: the platform's error code. */
  code?: string
  /** Thread parts already live. */
  publishedParts?: PublishedPart[]
}

/** Base of the typed failures plugins throw. Switch on `kind`. */
export abstract class PluginError extends Error {
  /** Discriminator. */
  abstract readonly kind: PluginErrorKind
  /** Thread parts already live when the failure happened. */
  readonly publishedParts?: PublishedPart[]
  /** Brand that lets {@link isPluginError} recognise errors from another copy of the SDK. */
  readonly [BRAND] = true

  constructor(message: string, options: PluginErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    if (options.publishedParts) this.publishedParts = options.publishedParts
  }

  /** Plain JSON form, without the cause or stack. */
  toJSON(): PluginErrorJSON {
    const json: PluginErrorJSON = { kind: this.kind, message: this.message }
    if (this.publishedParts) json.publishedParts = this.publishedParts
    return json
  }
}

/** The platform's rate limit is exhausted until `resetAt`; the host delays the job until then. */
export class RateLimited extends PluginError {
  readonly kind = 'RateLimited'
  /** When the limit resets. */
  readonly resetAt: Date

  constructor(resetAt: Date, message?: string, options?: PluginErrorOptions) {
    super(message ?? `Rate limited until ${resetAt.toISOString()}`, options)
    this.resetAt = resetAt
  }

  /** Milliseconds from `now` until the reset (never negative). */
  delayMs(now: Date): number {
    return Math.max(0, this.resetAt.getTime() - now.getTime())
  }

  override toJSON(): PluginErrorJSON {
    return { ...super.toJSON(), resetAt: this.resetAt.toISOString() }
  }
}

/** A temporary failure where the request was not applied (5xx before processing, connect error); safe to retry. */
export class Transient extends PluginError {
  readonly kind = 'Transient'
  /** Suggested delay before retrying, when the platform gave one. */
  readonly retryAfterMs?: number

  constructor(message: string, options: PluginErrorOptions & { retryAfterMs?: number } = {}) {
    super(message, options)
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs
  }

  override toJSON(): PluginErrorJSON {
    const json = super.toJSON()
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs
    return json
  }
}

/** The access token is expired or revoked; the host refreshes once, then asks the user to reconnect. */
export class AuthExpired extends PluginError {
  readonly kind = 'AuthExpired'
}

/** The platform refused the request for good (invalid content, missing permission); no retry. */
export class Permanent extends PluginError {
  readonly kind = 'Permanent'
  /** Message safe to show to the user. */
  readonly userMessage: string
  /** The platform's own message, truncated to 2000 characters. */
  readonly platformMessage?: string
  /** The platform's error code. */
  readonly code?: string

  constructor(
    userMessage: string,
    options: PluginErrorOptions & { platformMessage?: string; code?: string } = {}
  ) {
    super(userMessage, options)
    this.userMessage = userMessage
    if (options.platformMessage !== undefined) {
      this.platformMessage = options.platformMessage.slice(0, MAX_PLATFORM_MESSAGE)
    }
    if (options.code !== undefined) this.code = options.code
  }

  override toJSON(): PluginErrorJSON {
    const json: PluginErrorJSON = { ...super.toJSON(), userMessage: this.userMessage }
    if (this.platformMessage !== undefined) json.platformMessage = this.platformMessage
    if (this.code !== undefined) json.code = this.code
    return json
  }
}

/**
 * The outcome cannot be known: the request may have been applied (timeout or dropped connection after a
 * creating request was sent, 5xx from a gateway). The host never retries; it reconciles with `findPublished`.
 */
export class Unknown extends PluginError {
  readonly kind = 'Unknown'
}

/** Whether a value is a plugin error, also when it comes from another copy of the SDK. */
export function isPluginError(value: unknown): value is PluginError {
  if (!(value instanceof Error)) return false
  const branded = (value as unknown as Record<symbol, unknown>)[BRAND] === true
  const kind = (value as { kind?: unknown }).kind
  return branded && (PLUGIN_ERROR_KINDS as readonly unknown[]).includes(kind)
}
