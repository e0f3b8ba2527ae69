import {
  HttpTimeoutError,
  HttpTransportError,
  isPluginError,
  Permanent,
  type PluginError,
  RateLimited,
  Transient,
} from '@herald/plugin-sdk'
import type { WireError } from './wire.js'

/** Wait after a 429 that carries no reset header. */
export const DEFAULT_RATE_LIMIT_MS = 30_000

/** Longest excerpt of OpenRouter's own message kept in our messages. */
const MAX_EXCERPT = 300

/** What the mapping needs to know about the call that failed. */
export interface FailureContext {
  /** Model of the request, named in model errors. */
  model?: string
  /** Request path, e.g. `/chat/completions`. */
  path: string
  /** Current time (`ctx.clock.now()`), for `RateLimited.resetAt`. */
  now: Date
  /** The API key, scrubbed from anything OpenRouter echoes back. */
  apiKey: string
}

/** Removes the API key (and anything shaped like an OpenRouter key) from text we keep or show. */
export function redact(text: string, apiKey: string): string {
  const scrubbed = apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text
  return scrubbed.replaceAll(/sk-or-[\w-]{4,}/g, 'sk-or-[redacted]')
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

/** The `{ error: {...} }` envelope of a body, or a bare text message (HTML error pages are dropped). */
export function parseErrorBody(body: string): WireError {
  try {
    const parsed = record(JSON.parse(body))
    const error = parsed.error
    if (typeof error === 'string') return { message: error }
    const nested = record(error)
    const message = typeof nested.message === 'string' ? nested.message : parsed.message
    return {
      code:
        typeof nested.code === 'number' || typeof nested.code === 'string'
          ? nested.code
          : undefined,
      message: typeof message === 'string' ? message : undefined,
      metadata: record(nested.metadata),
    }
  } catch {
    const text = body.trim()
    return text === '' || text.startsWith('<') ? {} : { message: text }
  }
}

function excerpt(message: string | undefined, apiKey: string): string | undefined {
  if (message === undefined || message.trim() === '') return undefined
  const clean = redact(message.trim(), apiKey)
  return clean.length > MAX_EXCERPT ? `${clean.slice(0, MAX_EXCERPT)}…` : clean
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers.get(name)
  return value === null || value.trim() === '' ? undefined : value.trim()
}

/** Epoch in ms or seconds, or seconds from now, whichever the value looks like. */
function fromResetValue(value: number, now: Date): Date {
  if (value > 1e12) return new Date(value)
  if (value > 1e9) return new Date(value * 1000)
  return new Date(now.getTime() + value * 1000)
}

/** `Retry-After` in seconds or as an HTTP date. */
function fromRetryAfter(value: string, now: Date): Date | undefined {
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return new Date(now.getTime() + seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : new Date(date)
}

/**
 * When a 429 resets: `X-RateLimit-Reset` (OpenRouter documents it in ms since the epoch; seconds are
 * accepted too), else `Retry-After`, else {@link DEFAULT_RATE_LIMIT_MS} from now. A reset already in the
 * past falls through to the next source.
 */
export function rateLimitReset(headers: Headers, now: Date): Date {
  const reset = Number(header(headers, 'x-ratelimit-reset') ?? Number.NaN)
  if (Number.isFinite(reset) && reset > 0) {
    const at = fromResetValue(reset, now)
    if (at.getTime() > now.getTime()) return at
  }
  const retryAfter = header(headers, 'retry-after')
  const at = retryAfter === undefined ? undefined : fromRetryAfter(retryAfter, now)
  if (at && at.getTime() > now.getTime()) return at
  return new Date(now.getTime() + DEFAULT_RATE_LIMIT_MS)
}

function retryAfterMs(headers: Headers, now: Date): number | undefined {
  const value = header(headers, 'retry-after')
  const at = value === undefined ? undefined : fromRetryAfter(value, now)
  return at === undefined ? undefined : Math.max(0, at.getTime() - now.getTime())
}

const MODEL_PROBLEM =
  /not a valid model|invalid model|unknown model|model .*(?:not found|does not exist|is not available)|no endpoints? found/i

function moderationReasons(metadata: Record<string, unknown>): string[] | undefined {
  const reasons = metadata.reasons
  const list = Array.isArray(reasons)
    ? reasons.filter((reason): reason is string => typeof reason === 'string' && reason !== '')
    : []
  if (list.length > 0) return list
  return typeof metadata.flagged_input === 'string' ? ['flagged content'] : undefined
}

function permanent(
  message: string,
  status: number,
  error: WireError,
  apiKey: string,
  code?: string
) {
  const platformMessage = excerpt(error.message, apiKey)
  return new Permanent(message, {
    code: code ?? String(status),
    ...(platformMessage === undefined ? {} : { platformMessage }),
  })
}

/**
 * Maps an OpenRouter failure (an HTTP error status, or an error carried in a 200 body or a stream chunk) to
 * the SDK taxonomy with a message a person can act on. Generation creates nothing that a retry could
 * duplicate, so every "try again" case is Transient, never Unknown.
 */
export function mapOpenRouterError(
  status: number,
  error: WireError,
  headers: Headers,
  context: FailureContext
): PluginError {
  const { model, apiKey, now } = context
  const detail = excerpt(error.message, apiKey)
  const metadata = error.metadata ?? {}
  const errorType = typeof metadata.error_type === 'string' ? metadata.error_type : undefined
  const named = model === undefined ? 'this model' : `"${model}"`

  // An API key is a static credential, not an OAuth session: AuthExpired would make the host try a token
  // refresh and ask someone to "reconnect" an account that does not exist. Only the operator can fix it.
  if (status === 401) {
    return permanent(
      'OpenRouter rejected the API key. Check the OpenRouter plugin settings (OPENROUTER_API_KEY).',
      status,
      error,
      apiKey,
      'invalid_api_key'
    )
  }
  if (status === 402) {
    return permanent(
      'The OpenRouter account is out of credits (or this API key reached its credit limit). Add credits at https://openrouter.ai/credits or raise the key limit at https://openrouter.ai/settings/keys, then try again.',
      status,
      error,
      apiKey,
      'insufficient_credits'
    )
  }
  if (status === 403) {
    const reasons = moderationReasons(metadata)
    if (reasons) {
      return permanent(
        `The provider's moderation refused this prompt: ${reasons.join(', ')}.`,
        status,
        error,
        apiKey,
        'moderation'
      )
    }
    return permanent(
      `OpenRouter refused the request (403)${detail ? `: ${detail}` : ''}.`,
      status,
      error,
      apiKey
    )
  }
  if (status === 429) {
    const resetAt = rateLimitReset(headers, now)
    return new RateLimited(
      resetAt,
      `OpenRouter rate limit reached${detail ? ` (${detail})` : ''}; retry after ${resetAt.toISOString()}`
    )
  }
  if (status === 400 && errorType === 'context_length_exceeded') {
    return permanent(
      `The prompt is too long for the model ${named}. Shorten it or choose a model with a larger context.`,
      status,
      error,
      apiKey,
      'context_length_exceeded'
    )
  }
  if ((status === 400 && MODEL_PROBLEM.test(error.message ?? '')) || (status === 404 && model)) {
    const why = status === 404 ? 'has no available provider for' : 'does not know'
    return permanent(
      `OpenRouter ${why} the model ${named}${detail ? ` (${detail})` : ''}. Choose another model.`,
      status,
      error,
      apiKey,
      'unknown_model'
    )
  }
  if (status === 404) {
    return permanent(
      `OpenRouter answered 404 for ${context.path}; check the base URL setting (OPENROUTER_BASE_URL).`,
      status,
      error,
      apiKey
    )
  }
  if (status === 408 || status >= 500) {
    const retryAfter = retryAfterMs(headers, now)
    return new Transient(
      `OpenRouter or the model's provider is unavailable (HTTP ${status}${detail ? `: ${detail}` : ''}); try again.`,
      retryAfter === undefined ? {} : { retryAfterMs: retryAfter }
    )
  }
  if (status === 413) {
    return permanent(
      'The request is too large for OpenRouter (413). Shorten the prompt.',
      status,
      error,
      apiKey
    )
  }
  return permanent(
    `OpenRouter refused the request (HTTP ${status})${detail ? `: ${detail}` : ''}.`,
    status,
    error,
    apiKey
  )
}

/** Maps an error carried in a 200 body or a stream chunk; its `code` is the HTTP status it stands for. */
export function mapInBodyError(error: WireError, context: FailureContext): PluginError {
  const code = Number(error.code)
  const status = Number.isInteger(code) && code >= 400 && code <= 599 ? code : 502
  return mapOpenRouterError(status, error, new Headers(), context)
}

/**
 * Which of the SDK's transport errors this is. `instanceof` alone fails when the host's client comes from
 * another copy of the SDK than the plugin's (a plugin installed from npm), so name and `phase` count too.
 */
function transportKind(error: unknown): 'timeout' | 'network' | undefined {
  if (error instanceof HttpTimeoutError) return 'timeout'
  if (error instanceof HttpTransportError) return 'network'
  if (!(error instanceof Error) || !('phase' in error)) return undefined
  if (error.name === 'HttpTimeoutError') return 'timeout'
  return error.name === 'HttpNetworkError' ? 'network' : undefined
}

/**
 * Maps a rejection of `ctx.http` (or of reading a body): plugin errors pass through, an abort rethrows its
 * reason, timeouts and connection failures become Transient (nothing was created, so a retry is safe).
 * Anything else is a programming error and is rethrown as is.
 */
export function mapTransportError(error: unknown, signal: AbortSignal): unknown {
  if (isPluginError(error)) return error
  if (signal.aborted) return signal.reason
  const kind = transportKind(error)
  if (kind === 'timeout') {
    return new Transient('OpenRouter did not answer in time; try again.', { cause: error })
  }
  if (kind === 'network') {
    return new Transient('The connection to OpenRouter failed; try again.', { cause: error })
  }
  return error
}
