import queueConfig from '#config/queue'
import { WorkerHeartbeatsQuery } from '#queries/worker_heartbeats_query'

export type HeartbeatState = 'alive' | 'stale' | 'starting'

/**
 * What the heartbeat says. "starting": no heartbeat yet, and this process started
 * less than staleAfterSeconds ago (the first one is on its way).
 */
export function heartbeatState(
  lastSeenAt: Date | null,
  now = Date.now(),
  staleAfterSeconds = queueConfig.staleAfterSeconds,
  uptimeSeconds = process.uptime()
): HeartbeatState {
  if (lastSeenAt) {
    return now - lastSeenAt.getTime() > staleAfterSeconds * 1000 ? 'stale' : 'alive'
  }
  return uptimeSeconds > staleAfterSeconds ? 'stale' : 'starting'
}

const CACHE_MS = 10_000
let cached: { at: number; stale: boolean } | undefined

/**
 * For the admins' banner in the app layout (an Edge global): true when no worker
 * has run the heartbeat for staleAfterSeconds. One small query per 10 s per
 * process at most; a failing read never breaks a page. Off in tests (no worker
 * runs there) unless a test turns it on.
 */
export const workerHealth = {
  enabled: process.env.NODE_ENV !== 'test',

  async workersStale(): Promise<boolean> {
    if (!this.enabled) return false
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.stale
    let stale = false
    try {
      stale = heartbeatState(await new WorkerHeartbeatsQuery().lastSeenAt()) === 'stale'
    } catch {
      stale = false
    }
    cached = { at: Date.now(), stale }
    return stale
  },

  resetCache() {
    cached = undefined
  },
}
