import {
  AuthExpired,
  isPluginError,
  Permanent,
  type PluginError,
  RateLimited,
  Transient,
  Unknown,
  transportFailure,
} from '@herald/plugin-sdk'
import { FEED_URL } from './settings.js'

/** Longest wait after a 429 without `Retry-After`: LinkedIn's quotas are daily (reset 00:00 UTC). */
export const DEFAULT_RATE_LIMIT_MS = 60 * 60_000

/** Longest excerpt of LinkedIn's own words kept in our messages. */
const MAX_EXCERPT = 300

/**
 * What a call was doing. Only `create` (POST /rest/posts) can leave a post behind, so only its lost answers
 * are Unknown; `token`/`revoke` failures are OAuth errors about the client or the refresh token.
 */
export type Step = 'create' | 'upload' | 'profile' | 'token' | 'revoke'

/** A LinkedIn error body: Rest.li `{status, serviceErrorCode, code, message}` or OAuth `{error, error_description}`. */
export interface LinkedInProblem {
  status?: number
  serviceErrorCode?: number
  code?: string
  message?: string
  error?: string
  errorDescription?: string
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/** Parses an error body; HTML pages and empty bodies give an empty problem. */
export function parseProblem(body: string): LinkedInProblem {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    const plain = body.trim()
    return plain === '' || plain.startsWith('<') ? {} : { message: plain }
  }
  if (typeof parsed !== 'object' || parsed === null) return {}
  const record = parsed as Record<string, unknown>
  const problem: LinkedInProblem = {}
  if (typeof record.status === 'number') problem.status = record.status
  if (typeof record.serviceErrorCode === 'number')
    problem.serviceErrorCode = record.serviceErrorCode
  const fields = {
    code: text(record.code),
    message: text(record.message),
    error: text(record.error),
    errorDescription: text(record.error_description),
  }
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (problem as Record<string, unknown>)[key] = value
  }
  return problem
}

/** LinkedIn's own words for a failure. */
export function platformWords(problem: LinkedInProblem): string | undefined {
  const words = problem.message ?? problem.errorDescription ?? problem.error ?? problem.code
  if (words === undefined) return undefined
  return words.length > MAX_EXCERPT ? `${words.slice(0, MAX_EXCERPT)}…` : words
}

/**
 * When a 429 resets. LinkedIn documents no rate-limit headers: its quotas are per day and reset at
 * midnight UTC, but short throttles happen too. `Retry-After` wins when present; otherwise the wait is
 * one hour, or until the next midnight UTC when that comes first (a daily quota is then renewed).
 */
export function rateLimitReset(headers: Headers, now: Date): Date {
  const retryAfter = headers.get('retry-after')?.trim()
  if (retryAfter) {
    const seconds = Number(retryAfter)
    const at = Number.isFinite(seconds)
      ? new Date(now.getTime() + seconds * 1000)
      : new Date(Date.parse(retryAfter))
    if (!Number.isNaN(at.getTime()) && at.getTime() > now.getTime()) return at
  }
  const midnight = new Date(now)
  midnight.setUTCHours(24, 0, 0, 0)
  return new Date(Math.min(midnight.getTime(), now.getTime() + DEFAULT_RATE_LIMIT_MS))
}

function permanent(message: string, problem: LinkedInProblem, code: string): Permanent {
  const platformMessage = platformWords(problem)
  return new Permanent(message, {
    code,
    ...(platformMessage === undefined ? {} : { platformMessage }),
  })
}

function mapTokenFailure(status: number, problem: LinkedInProblem, headers: Headers, now: Date) {
  const code = problem.error ?? problem.code ?? String(status)
  if (status === 429) {
    const resetAt = rateLimitReset(headers, now)
    return new RateLimited(
      resetAt,
      `LinkedIn rate-limited the token endpoint until ${resetAt.toISOString()}`
    )
  }
  if (status >= 500 || status === 408) {
    return new Transient(`LinkedIn's token endpoint failed (HTTP ${status}); try again.`)
  }
  if (code === 'invalid_client' || status === 401) {
    return permanent(
      "LinkedIn rejected Herald's client credentials. Check the LinkedIn plugin settings (LINKEDIN_CLIENT_ID, LINKEDIN_CLIENT_SECRET).",
      problem,
      'invalid_client'
    )
  }
  if (code === 'invalid_grant' || code === 'invalid_request' || code === 'invalid_token') {
    return new AuthExpired(
      `LinkedIn refused the refresh token (${code}${problem.errorDescription ? `: ${problem.errorDescription}` : ''}); reconnect the LinkedIn account.`
    )
  }
  return permanent(
    `LinkedIn's token endpoint refused the request (HTTP ${status}${problem.errorDescription ? `: ${problem.errorDescription}` : ''}).`,
    problem,
    code
  )
}

const DUPLICATE = /duplicate/i
const DUPLICATE_OF = /(urn:li:(?:share|ugcPost|activity):\d+)/

/**
 * Maps a non-2xx answer of the LinkedIn API to the SDK taxonomy, with a message a person can act on.
 */
export function mapLinkedInFailure(
  status: number,
  headers: Headers,
  problem: LinkedInProblem,
  context: { step: Step; now: Date; path: string; version: string }
): PluginError {
  const { step, now } = context
  if (step === 'token' || step === 'revoke') return mapTokenFailure(status, problem, headers, now)
  const words = platformWords(problem)
  const because = words ? `: ${words}` : ''
  const subject = step === 'create' ? 'the post' : step === 'upload' ? 'the image' : 'the request'

  if (status === 429) {
    const resetAt = rateLimitReset(headers, now)
    return new RateLimited(
      resetAt,
      `LinkedIn rate limit reached${because}; retry after ${resetAt.toISOString()}`
    )
  }
  if (status === 401) {
    const why =
      problem.code === 'REVOKED_ACCESS_TOKEN'
        ? 'was revoked by the member'
        : problem.code === 'EXPIRED_ACCESS_TOKEN'
          ? 'has expired (LinkedIn tokens last 60 days)'
          : 'is not valid'
    return new AuthExpired(`The LinkedIn access token ${why}; reconnect the LinkedIn account.`)
  }
  if (
    status === 426 ||
    problem.code === 'NONEXISTENT_VERSION' ||
    problem.code === 'VERSION_MISSING'
  ) {
    return permanent(
      `LinkedIn no longer accepts API version ${context.version}. Set the LinkedIn plugin's LinkedIn-Version setting (LINKEDIN_API_VERSION) to a current month, e.g. ${currentVersion(now)}.`,
      problem,
      'inactive_version'
    )
  }
  if (status === 403) {
    if (problem.code === 'ACCESS_DENIED' || /not enough permissions/i.test(words ?? '')) {
      return permanent(
        `LinkedIn refused ${subject}: the account has not allowed Herald to post on its behalf (w_member_social). Reconnect the LinkedIn account and approve posting.`,
        problem,
        'access_denied'
      )
    }
    return permanent(
      `LinkedIn refused ${subject}${because || ' (forbidden)'}.`,
      problem,
      'forbidden'
    )
  }
  if ((status === 422 || status === 409 || status === 400) && DUPLICATE.test(words ?? '')) {
    const existing = DUPLICATE_OF.exec(words ?? '')?.[1]
    return permanent(
      `LinkedIn refused the post: duplicate of a post already on the profile${existing ? ` (${FEED_URL}${existing})` : ''}.`,
      problem,
      'duplicate'
    )
  }
  if (status === 400 || status === 422) {
    return permanent(
      `LinkedIn rejected ${subject}${because || ' as invalid'}.`,
      problem,
      'invalid_request'
    )
  }
  if (status === 408 || status >= 500) {
    if (step === 'create') {
      return new Unknown(
        `LinkedIn answered HTTP ${status} to the post creation${because}; the post may exist, check the profile before publishing again.`
      )
    }
    return new Transient(`LinkedIn is unavailable (HTTP ${status}${because}); try again.`)
  }
  if (status === 404) {
    return permanent(
      `LinkedIn answered 404 for ${context.path}${because}; check the LinkedIn API base URL setting (LINKEDIN_API_BASE_URL).`,
      problem,
      'not_found'
    )
  }
  return permanent(
    `LinkedIn refused ${subject} (HTTP ${status})${because}.`,
    problem,
    String(status)
  )
}

/** `YYYYMM` of the month before `now` (LinkedIn publishes each month's version during that month). */
export function currentVersion(now: Date): string {
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
  return `${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`
}

/**
 * Maps a rejection of `ctx.http` (or of reading a body). When the creating request (POST /rest/posts) had
 * left, a timeout, a dropped connection or a cancellation is Unknown: LinkedIn may have made the post.
 * Otherwise a transport failure is Transient (uploads and reads are safe to repeat) and a cancellation
 * rethrows the signal's reason.
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
        'Publishing was cancelled while LinkedIn was creating the post; it may exist, check the profile before publishing again.',
        { cause: signal.reason }
      )
    }
    return signal.reason
  }
  if (!failure) return error
  const what = failure.kind === 'timeout' ? 'did not answer in time' : 'connection failed'
  if (options.creating && failure.phase !== 'connect') {
    return new Unknown(
      `LinkedIn ${what} after the post was sent; the post may exist, check the profile before publishing again.`,
      { cause: error }
    )
  }
  return new Transient(`LinkedIn ${what}; nothing was posted, try again.`, { cause: error })
}
