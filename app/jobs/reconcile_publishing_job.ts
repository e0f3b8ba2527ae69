import app from '@adonisjs/core/services/app'
import { defineJob } from '#queue/define_job'
import publishingConfig from '#config/publishing'

/**
 * Every minute, and when a worker process starts (after a restart with posts
 * due): the publishing pipeline's safety net (ReconcilePublishing).
 */
export const reconcilePublishingJob = defineJob({
  name: 'reconcile_publishing',
  queue: 'system',
  repeat: { every: publishingConfig.reconcileEveryMs },
  runAtStart: true,
  options: { attempts: 1 },
  handler: async () => {
    const { ReconcilePublishing } = await import('#actions/publishing/reconcile_publishing')
    const action = await app.container.make(ReconcilePublishing)
    return action.execute()
  },
})
