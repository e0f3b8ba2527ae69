import db from '@adonisjs/lucid/services/db'
import type { QueueManager } from '#queue/queue_manager'

export interface PruneReport {
  failed: number
  completed: number
  heartbeats: number
}

const BATCH = 1000
const DAY = 86_400_000

/**
 * Keeps queue storage bounded without BullMQ's `{count}`/`{age}` retention (which
 * deadlocks on the PostgreSQL backend): removes failed jobs older than
 * `keepFailedMs`, completed jobs older than a day (only jobs added with
 * removeOnComplete off, e.g. from bull-board, linger), in batches, and the
 * heartbeat rows of workers gone for a day.
 */
export class PruneJobs {
  async execute(queues: QueueManager, queueNames: readonly string[], keepFailedMs: number) {
    const report: PruneReport = { failed: 0, completed: 0, heartbeats: 0 }
    for (const name of queueNames) {
      const queue = await queues.getQueue(name)
      report.failed += await this.#clean(() => queue.clean(keepFailedMs, BATCH, 'failed'))
      report.completed += await this.#clean(() => queue.clean(DAY, BATCH, 'completed'))
    }
    report.heartbeats = Number(
      await db
        .from('worker_heartbeats')
        .where('last_seen_at', '<', new Date(Date.now() - DAY))
        .delete()
    )
    return report
  }

  async #clean(batch: () => Promise<string[]>) {
    let removed = 0
    for (let round = 0; round < 1000; round++) {
      const ids = await batch()
      removed += ids.length
      if (ids.length < BATCH) break
    }
    return removed
  }
}
