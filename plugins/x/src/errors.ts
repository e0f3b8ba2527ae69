import {
  AuthExpired,
  isPluginError,
  Permanent,
  type PluginError,
  type PublishedPart,
  RateLimited,
  Transient,
  Unknown,
  transportFailure,
} from '@herald/plugin-sdk'

/** Wait after a 429 that carries no usable reset header: X's rate-limit windows are 15 minutes. */
export const DEFAULT_RATE_LIMIT_MS = 15 * 60_000

/** Longest excerpt of X's own words kept in our messages. */
const MAX_EXCERPT = 300

/**
 * What a call was doing, which decides how failures map: only `create` (POST /2/tweets) can leave a post
 * behind, so only its lost responses are Unknown; `token` failures speak about the refresh token.
 */
export type Step = 'create' | 'upload' | 'profile' | 'lookup' | 'token' | 'revoke'

/** An X error body: RFC 7807 problem details on the API, OAuth `{error, error_description}` on /2/oauth2. */
export interface XProblem {
  title?: string
  detail?: string
  type?: string
  status?: number
  /** Error list of 400s: `[{ message, parameters }]`. */
  messages: string[]
  /** OAuth error code, e.g. `invalid_grant`. */
  error?: string
  errorDescription?: string
  /** Usage-cap period (`Monthly`...). */
  period?: string
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/** Parses an error body; HTML error pages and empty bodies give an empty problem. */
export function parseProblem(body: string): XProblem {
  let parsed: Record<string, unknown>
  try {
    parsed = record(JSON.parse(body))
  } catch {
    const plain = body.trim()
    return plain === '' || plain.startsWith('<')
      ? { messages: [] }
      : { detail: plain, messages: [] }
  }
  const errors = Array.isArray(parsed.errors) ? parsed.errors : []
  const messages = errors
    .map((entry) => text(record(entry).message) ?? text(record(entry).detail))
    .filter((message): message is string => message !== undefined)
  const problem: XProblem = { messages }
  const fields = {
    title: text(parsed.title),
    detail: text(parsed.detail),
    type: text(parsed.type),
    error: text(parsed.error),
    errorDescription: text(parsed.error_description),
    period: text(parsed.period),
  }
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (problem as unknown as Record<string, string>)[key] = value
  }
  if (typeof parsed.status === 'number') problem.status = parsed.status
  return problem
}

/** X's own words for a failure: the detail, the first listed error, or the title. */
export function platformWords(problem: XProblem): string | undefined {
  const words =
    problem.detail ?? problem.messages[0] ?? problem.errorDescription ?? problem.title ?? undefined
  if (words === undefined) return undefined
  return words.length > MAX_EXCERPT ? `${words.slice(0, MAX_EXCERPT)}…` : words
}

function epochHeader(headers: Headers, name: string): Date | undefined {
  const raw = headers.get(name)
  if (raw === null || raw.trim() === '') return undefined
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) return undefined
  // X documents epoch seconds; a value in milliseconds is accepted too rather than read as year 50000.
  return new Date(value > 1e12 ? value : value * 1000)
}

/**
 * When a 429 resets. X sends `x-rate-limit-reset` (the 15-minute window) and, on POST /2/tweets,
 * `x-user-limit-24hour-*` / `x-app-limit-24hour-*`, all in epoch **seconds**. Every exhausted limit must
 * have reset before the next request can pass, so the latest of their resets wins; `Retry-After` counts
 * too when present. Without any future reset, the wait is {@link DEFAULT_RATE_LIMIT_MS}.
 */
export function rateLimitReset(headers: Headers, now: Date): Date {
  const candidates: Date[] = []
  for (const prefix of ['x-user-limit-24hour', 'x-app-limit-24hour']) {
    if (headers.get(`${prefix}-remaining`)?.trim() === '0') {
      const at = epochHeader(headers, `${prefix}-reset`)
      if (at) candidates.push(at)
    }
  }
  const windowRemaining = headers.get('x-rate-limit-remaining')?.trim()
  if (windowRemaining === undefined || windowRemaining === '0' || candidates.length === 0) {
    const at = epochHeader(headers, 'x-rate-limit-reset')
    if (at) candidates.push(at)
  }
  const retryAfter = headers.get('retry-after')
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter)
    const at = Number.isFinite(seconds)
      ? new Date(now.getTime() + seconds * 1000)
      : new Date(Date.parse(retryAfter))
    if (!Number.isNaN(at.getTime())) candidates.push(at)
  }
  const future = candidates.filter((at) => at.getTime() > now.getTime())
  if (future.length === 0) return new Date(now.getTime() + DEFAULT_RATE_LIMIT_MS)
  return new Date(Math.max(...future.map((at) => at.getTime())))
}

function retryAfterMs(headers: Headers, now: Date): number | undefined {
  const value = headers.get('retry-after')
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime())
}

function permanent(message: string, problem: XProblem, code: string): Permanent {
  const platformMessage = platformWords(problem)
  return new Permanent(message, {
    code,
    ...(platformMessage === undefined ? {} : { platformMessage }),
  })
}

const DUPLICATE = /duplicate/i
const REPLY_GONE = /(reply|replying).*(deleted|not visible|does not exist)|in_reply_to/i

/** Maps a failed token-endpoint call (refresh, revoke): OAuth errors, not problem details. */
function mapTokenFailure(status: number, problem: XProblem, headers: Headers, now: Date) {
  const code = problem.error ?? String(status)
  if (status === 429) {
    const resetAt = rateLimitReset(headers, now)
    return new RateLimited(
      resetAt,
      `X rate-limited the token endpoint until ${resetAt.toISOString()}`
    )
  }
  if (status >= 500 || status === 408) {
    return new Transient(`X's token endpoint failed (HTTP ${status}); try again.`)
  }
  if (code === 'invalid_client' || status === 401) {
    return permanent(
      "X rejected Herald's OAuth client credentials. Check the X plugin settings (X_CLIENT_ID, X_CLIENT_SECRET) against the app's OAuth 2.0 keys.",
      problem,
      'invalid_client'
    )
  }
  if (code === 'invalid_grant' || code === 'invalid_request' || code === 'invalid_token') {
    return new AuthExpired(
      `X refused the refresh token (${code}${problem.errorDescription ? `: ${problem.errorDescription}` : ''}). It was already used, expired or revoked; reconnect the X account.`
    )
  }
  if (code === 'unauthorized_client') {
    return permanent(
      'The X app is not allowed to refresh tokens. Enable OAuth 2.0 for the app as a confidential client (Web App, Automated App or Bot) in the X developer portal.',
      problem,
      code
    )
  }
  return permanent(
    `X's token endpoint refused the request (HTTP ${status}${problem.errorDescription ? `: ${problem.errorDescription}` : ''}).`,
    problem,
    code
  )
}

/**
 * Maps a non-2xx answer of the X API to the SDK taxonomy, with a message a person can act on. The SDK's
 * `classifyHttpFailure` is not used: it reads large `x-rate-limit-reset` values wrongly and makes every
 * 401 AuthExpired (including a wrong client secret at the token endpoint).
 */
export function mapXFailure(
  status: number,
  headers: Headers,
  problem: XProblem,
  context: { step: Step; now: Date; path: string }
): PluginError {
  const { step, now } = context
  if (step === 'token' || step === 'revoke') return mapTokenFailure(status, problem, headers, now)
  const words = platformWords(problem)
  const because = words ? `: ${words}` : ''
  const subject = step === 'create' ? 'the post' : step === 'upload' ? 'the image' : 'the request'

  if (status === 429) {
    const capped = problem.title === 'UsageCapExceeded' || problem.type?.includes('usage-capped')
    if (capped) {
      const period = problem.period ? `${problem.period.toLowerCase()} ` : ''
      return permanent(
        `X refused ${subject}: the X developer app reached its ${period}usage cap. Raise the cap or wait for it to renew in the X developer portal.`,
        problem,
        'usage_capped'
      )
    }
    const resetAt = rateLimitReset(headers, now)
    return new RateLimited(resetAt, `X rate limit reached; it resets at ${resetAt.toISOString()}`)
  }
  if (status === 401) {
    return new AuthExpired(
      `X rejected the access token (expired or revoked)${because}; refresh it or reconnect the X account.`
    )
  }
  if (status === 402) {
    return permanent(
      `X refused ${subject}: the X developer account has no API credits left. Add credits in the X developer portal, then retry.`,
      problem,
      'credits_depleted'
    )
  }
  if (status === 403) {
    if (DUPLICATE.test(words ?? '')) {
      return permanent('X refused the post: duplicate of a recent post.', problem, 'duplicate')
    }
    if (problem.type?.includes('client-forbidden')) {
      return permanent(
        'X refused the request: the X app is not attached to a Project with access to this endpoint (client-forbidden). Fix the app in the X developer portal.',
        problem,
        'client_forbidden'
      )
    }
    if (REPLY_GONE.test(words ?? '')) {
      return permanent(
        'X refused the post: the post it replies to was deleted or is not visible.',
        problem,
        'reply_target_missing'
      )
    }
    return permanent(`X refused ${subject}${because || ' (forbidden)'}.`, problem, 'forbidden')
  }
  if (status === 400 || status === 422) {
    if (REPLY_GONE.test(words ?? '')) {
      return permanent(
        'X refused the post: the post it replies to was deleted or is not visible.',
        problem,
        'reply_target_missing'
      )
    }
    return permanent(
      `X rejected ${subject}${because || ' as invalid'}.`,
      problem,
      'invalid_request'
    )
  }
  if (status === 408 || status >= 500) {
    if (step === 'create') {
      return new Unknown(
        `X answered HTTP ${status} to the post creation${because}; the post may exist, check the account before publishing again.`
      )
    }
    const retryAfter = retryAfterMs(headers, now)
    return new Transient(
      `X is unavailable (HTTP ${status}${because}); try again.`,
      retryAfter === undefined ? {} : { retryAfterMs: retryAfter }
    )
  }
  if (status === 404) {
    return permanent(
      `X answered 404 for ${context.path}${because}; check the X API base URL setting (X_API_BASE_URL).`,
      problem,
      'not_found'
    )
  }
  return permanent(`X refused ${subject} (HTTP ${status})${because}.`, problem, String(status))
}

/**
 * Which of the SDK's transport errors this is. `instanceof` alone fails when the host's client comes from
 * another copy of the SDK than the plugin's, so the name and `phase` count too.
 */

/**
 * Maps a rejection of `ctx.http` (or of reading a body). Plugin errors pass through. When the creating
 * request (POST /2/tweets) had left, a timeout, a dropped connection or a cancellation is Unknown: X may
 * have made the post. Before it left, or for any other request, a transport failure is Transient (uploads
 * and reads are safe to repeat) and a cancellation rethrows the signal's reason.
 */
export function mapTransportError(
  error: unknown,
  signal: AbortSignal,
  options: { creating: boolean }
): unknown {
  if (isPluginError(error)) return error
  const failure = transportFailure(error)
  if (signal.aborted) {
    if (options.creating && failure?.phase !== 'connect') {
      return new Unknown(
        'Publishing was cancelled while X was creating the post; it may exist, check the account before publishing again.',
        { cause: signal.reason }
      )
    }
    return signal.reason
  }
  if (!failure) return error
  const what = failure.kind === 'timeout' ? 'did not answer in time' : 'connection failed'
  if (options.creating && failure.phase !== 'connect') {
    return new Unknown(
      `X ${what} after the post was sent; the post may exist, check the account before publishing again.`,
      { cause: error }
    )
  }
  return new Transient(`X ${what}; nothing was posted, try again.`, { cause: error })
}

/**
 * The same error, carrying the thread parts already live so the host can resume after them. `label`
 * (e.g. `Post 3 of 5 of the thread`) is put before a Permanent error's user message.
 */
export function withPublishedParts(
  error: PluginError,
  parts: PublishedPart[],
  label?: string
): PluginError {
  const options = {
    publishedParts: parts,
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  }
  switch (error.kind) {
    case 'RateLimited':
      return new RateLimited((error as RateLimited).resetAt, error.message, options)
    case 'Transient': {
      const retryAfter = (error as Transient).retryAfterMs
      return new Transient(error.message, {
        ...options,
        ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
      })
    }
    case 'AuthExpired':
      return new AuthExpired(error.message, options)
    case 'Permanent': {
      const source = error as Permanent
      const userMessage = label ? `${label}: ${source.userMessage}` : source.userMessage
      return new Permanent(userMessage, {
        ...options,
        ...(source.platformMessage === undefined
          ? {}
          : { platformMessage: source.platformMessage }),
        ...(source.code === undefined ? {} : { code: source.code }),
      })
    }
    case 'Unknown':
      return new Unknown(error.message, options)
  }
}
