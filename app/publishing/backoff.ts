import publishingConfig from '#config/publishing'

/**
 * Delay before retry number `failures` (1 = after the first temporary failure):
 * base * 2^(failures-1), capped, with ±20% jitter so targets that failed
 * together do not retry together. A platform's own Retry-After wins when longer.
 */
export function retryDelayMs(failures: number, retryAfterMs?: number, random = Math.random) {
  const exponential = Math.min(
    publishingConfig.backoffMaxMs,
    publishingConfig.backoffBaseMs * 2 ** Math.max(0, failures - 1)
  )
  const jittered = Math.round(exponential * (0.8 + 0.4 * random()))
  return Math.max(jittered, retryAfterMs ?? 0)
}
