import { isPluginError } from '@herald/plugin-sdk'
import { setTimeout as sleep } from 'node:timers/promises'

export interface RetryOptions {
  /** Tries in all (1 = no retry) */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Stops waiting (and retrying) when aborted */
  signal?: AbortSignal
  now?: () => Date
  /** Told before each wait (logging, tests) */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void
}

/**
 * How long to wait before trying again after `error` (attempt 1 = the first
 * failure), or undefined when retrying would not help: Transient (provider
 * down, timeout) waits what the provider asked or baseDelayMs x 3^(n-1);
 * RateLimited waits for its reset only when that is within maxDelayMs.
 * Permanent failures and unknown errors are never retried.
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'now'>
): number | undefined {
  if (!isPluginError(error)) return undefined
  if (error.kind === 'Transient') {
    const asked = (error as { retryAfterMs?: number }).retryAfterMs
    const backoff = options.baseDelayMs * 3 ** (attempt - 1)
    return Math.min(asked ?? backoff, options.maxDelayMs)
  }
  if (error.kind === 'RateLimited') {
    const resetAt = (error as unknown as { resetAt: Date }).resetAt
    const wait = resetAt.getTime() - (options.now?.() ?? new Date()).getTime()
    return wait <= options.maxDelayMs ? Math.max(0, wait) : undefined
  }
  return undefined
}

/** Runs `call` until it succeeds, fails for good, or the attempts are spent */
export async function withRetries<T>(
  call: (attempt: number) => Promise<T>,
  options: RetryOptions
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt)
    } catch (error) {
      const delayMs = attempt < options.attempts ? retryDelay(error, attempt, options) : undefined
      if (delayMs === undefined || options.signal?.aborted) throw error
      options.onRetry?.({ attempt, delayMs, error })
      await sleep(delayMs, undefined, { signal: options.signal }).catch(() => {
        throw options.signal?.reason ?? error
      })
    }
  }
}
