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
    const byPlugin = new Map<string, QueuedTarget[]>()
    for (const target of targets) {
      byPlugin.set(target.pluginId, [...(byPlugin.get(target.pluginId) ?? []), target])
    }
    for (const [pluginId, batch] of byPlugin) {
      const definition = publishTargetJob(pluginId)
      try {
        // One round trip per network, however many targets (a burst of 1,000 due together).
        const queue = await appQueues().getQueue(definition.queue)
        await queue.addBulk(
          batch.map((target) => ({
            name: definition.name,
            data: { targetId: target.id, seq: target.jobSeq },
            opts: {
              ...definition.options,
              jobId: publishJobId(target.id, target.jobSeq),
              delay: Math.max(0, Math.round(target.dueAt.getTime() - Date.now())) || undefined,
            },
          }))
        )
      } catch (error) {
        logger.error(
          { err: error, targets: batch.map((target) => target.id) },
          'could not add the publish jobs; the reconciler will add them'
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
