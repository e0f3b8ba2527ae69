import logger from '@adonisjs/core/services/logger'
import { publishTargetJob } from '#jobs/publish_target_job'
import { appQueues } from '#queue/queues'
import { publishJobId, publishQueueName } from '#publishing/job_ids'

/** What the queue needs to know of a target to run it at its time */
export interface QueuedTarget {
  id: number
  pluginId: string
  jobSeq: number
  /** When it may run; now or past = at once */
  dueAt: Date
}

/** BullMQ states in which a job will still run */
const LIVE_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children'])

/**
 * Adds and removes the delayed publish jobs of targets. The database is the
 * source of truth: callers change a target (status, due_at, job_seq) and
 * commit first, then call this. A failed add is logged and left to the
 * reconciler, which re-enqueues any due target without a live job.
 */
export class TargetQueue {
  async enqueue(targets: readonly QueuedTarget[]) {
    for (const target of targets) {
      try {
        await publishTargetJob(target.pluginId).schedule(
          target.dueAt,
          { targetId: target.id, seq: target.jobSeq },
          { jobId: publishJobId(target.id, target.jobSeq) }
        )
      } catch (error) {
        logger.error(
          { err: error, targetId: target.id },
          'could not add the publish job; the reconciler will add it'
        )
      }
    }
  }

  /** Removes a job that is no longer wanted (best effort: a stale job is a no-op anyway) */
  async remove(target: { id: number; pluginId: string }, seq: number) {
    try {
      const queue = await appQueues().getQueue(publishQueueName(target.pluginId))
      await queue.remove(publishJobId(target.id, seq))
    } catch {
      // An active job cannot be removed; it finds a newer job_seq and does nothing.
    }
  }

  /** Whether the target's current job exists and will still run */
  async hasLiveJob(target: { id: number; pluginId: string; jobSeq: number }) {
    const queue = await appQueues().getQueue(publishQueueName(target.pluginId))
    const state = await queue.getJobState(publishJobId(target.id, target.jobSeq))
    return LIVE_STATES.has(state)
  }
}
