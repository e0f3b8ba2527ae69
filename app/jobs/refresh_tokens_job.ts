import app from '@adonisjs/core/services/app'
import { defineJob } from '#queue/define_job'

/**
 * Every 15 minutes: renews platform tokens before they expire, flags
 * accounts that cannot renew, marks refused ones for reconnect (see
 * RefreshExpiringTokens). Idempotent: a second run finds nothing due.
 */
export const refreshTokensJob = defineJob({
  name: 'refresh_tokens',
  queue: 'system',
  repeat: { every: 15 * 60_000 },
  runAtStart: true,
  options: { attempts: 1 },
  handler: async (_payload, { logger }) => {
    const { RefreshExpiringTokens } = await import('#actions/accounts/refresh_expiring_tokens')
    const action = await app.container.make(RefreshExpiringTokens)
    const report = await action.execute({ logger })
    if (report.due || report.warned) logger.info({ ...report }, 'refreshed platform tokens')
    return report
  },
})
