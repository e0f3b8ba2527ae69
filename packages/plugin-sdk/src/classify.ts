import { HttpNetworkError, HttpTimeoutError } from './http_errors.js'
import {
  AuthExpired,
  Permanent,
  type PluginError,
  RateLimited,
  Transient,
  Unknown,
} from './errors.js'

/** Options of the classify helpers. */
export interface ClassifyOptions {
  /** Whether the request creates something (a post, an upload): failures after it left become `Unknown`. */
  creating?: boolean
  /** Current time, for `RateLimited.resetAt` (pass `ctx.clock.now()`); defaults to the real time. */
  now?: Date
  /** Rate-limit wait when the platform gives no hint, in ms (default 60 000). */
  defaultRateLimitMs?: number
}

const MAX_MESSAGE = 2000

function header(headers: Headers | Record<string, string>, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name)
  return key === undefined ? undefined : headers[key]
}

/**
 * Reset time from `retry-after` (seconds or HTTP date) or `x-rate-limit-reset` (epoch seconds, epoch
 * milliseconds as OpenRouter sends, or delta seconds).
 */
function resetTime(headers: Headers | Record<string, string>, now: Date, fallbackMs: number): Date {
  const retryAfter = header(headers, 'retry-after')
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter)
    if (Number.isFinite(seconds)) return new Date(now.getTime() + seconds * 1000)
    const date = Date.parse(retryAfter)
    if (!Number.isNaN(date)) return new Date(date)
  }
  const reset = header(headers, 'x-rate-limit-reset') ?? header(headers, 'x-ratelimit-reset')
  const value = reset === undefined ? Number.NaN : Number(reset)
  if (Number.isFinite(value)) {
    if (value > 1e12) return new Date(value)
    return value > 1e9 ? new Date(value * 1000) : new Date(now.getTime() + value * 1000)
  }
  return new Date(now.getTime() + fallbackMs)
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string' && value.length > 0)
}

/** Best-effort human message from a JSON or text error body. */
export function platformMessageOf(body: unknown): string | undefined {
  let value = body
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body)
    } catch {
      return body.trim().slice(0, MAX_MESSAGE) || undefined
    }
  }
  if (typeof value !== 'object' || value === null) return undefined
  const record = value as Record<string, unknown>
  const error = record.error
  const nested =
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {}
  const list = Array.isArray(record.errors) ? record.errors : []
  const first =
    typeof list[0] === 'object' && list[0] !== null ? (list[0] as Record<string, unknown>) : {}
  const message = firstString(
    record.message,
    record.error_description,
    nested.message,
    error,
    record.detail,
    first.message,
    first.detail,
    record.title
  )
  return message?.slice(0, MAX_MESSAGE)
}

/**
 * Maps a failed (non-2xx) response to the SDK taxonomy: 401 AuthExpired, 429 RateLimited (reset from
 * headers), 408 Transient, 503 Transient, other 5xx Transient or (when `creating`) Unknown, other 4xx
 * Permanent. Plugins with richer platform codes should check those first and use this as the fallback.
 */
export function classifyHttpFailure(
  status: number,
  headers: Headers | Record<string, string>,
  body: unknown,
  options: ClassifyOptions = {}
): PluginError {
  const now = options.now ?? new Date()
  const platformMessage = platformMessageOf(body)
  const detail = platformMessage ? `: ${platformMessage}` : ''
  if (status === 401) return new AuthExpired(`HTTP 401${detail}`)
  if (status === 429) {
    const resetAt = resetTime(headers, now, options.defaultRateLimitMs ?? 60_000)
    return new RateLimited(resetAt, `HTTP 429, rate limited until ${resetAt.toISOString()}`)
  }
  if (status === 408 || status === 503) {
    const retryAt =
      header(headers, 'retry-after') === undefined ? undefined : resetTime(headers, now, 0)
    const retryAfterMs = retryAt && Math.max(0, retryAt.getTime() - now.getTime())
    return new Transient(`HTTP ${status}${detail}`, { retryAfterMs })
  }
  if (status >= 500) {
    return options.creating
      ? new Unknown(`HTTP ${status} after the request was sent; it may have been applied${detail}`)
      : new Transient(`HTTP ${status}${detail}`)
  }
  return new Permanent(`The platform rejected the request (HTTP ${status}).`, {
    platformMessage,
    code: String(status),
  })
}

/**
 * Maps a transport error from `ctx.http` to the SDK taxonomy: a failure before the request left is
 * Transient; after it left, Unknown when `creating`, otherwise Transient. Returns undefined for other errors
 * (aborts, programming errors), which the plugin should rethrow.
 */
export function classifyTransportError(
  error: unknown,
  options: ClassifyOptions = {}
): PluginError | undefined {
  if (!(error instanceof HttpTimeoutError) && !(error instanceof HttpNetworkError)) return undefined
  if (error.phase === 'response' && options.creating) {
    return new Unknown(`${error.message}; the request may have been applied`, { cause: error })
  }
  return new Transient(error.message, { cause: error })
}
