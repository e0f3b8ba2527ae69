import { defineJob } from '#queue/define_job'
import { PruneJobs } from '#actions/system/prune_jobs'
import queueConfig from '#config/queue'

/**
 * Hourly: failed jobs older than QueueConfig.keepFailedDays go (see PruneJobs).
 */
export const pruneJobsJob = defineJob({
  name: 'prune_jobs',
  queue: 'system',
  repeat: { every: 3_600_000 },
  options: { attempts: 1 },
  handler: async (_payload, { queues, knownQueues, logger }) => {
    const report = await new PruneJobs().execute(
      queues,
      knownQueues,
      queueConfig.keepFailedDays * 86_400_000
    )
    if (report.failed || report.completed || report.heartbeats) {
      logger.info({ ...report }, 'pruned old jobs')
    }
    return report
  },
})
