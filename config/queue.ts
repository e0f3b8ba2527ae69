import app from '@adonisjs/core/services/app'
import env from '#start/env'
import type { QueueConfig } from '#queue/types'

/**
 * The job queue (BullMQ 6). Nothing here connects: app/queue/queues.ts opens the
 * backend on first use, so `node ace migration:run` needs no queue at all.
 *
 * - REDIS_URL set: the Redis backend, keys under QUEUE_PREFIX.
 * - otherwise: BullMQ's PostgreSQL backend in its own database on Herald's server
 *   (`<database>_queue`, created when missing), or QUEUE_DATABASE_URL.
 */
const queueConfig: QueueConfig = {
  backend: env.get('REDIS_URL') ? 'redis' : 'postgres',
  redisUrl: env.get('REDIS_URL'),
  prefix: env.get('QUEUE_PREFIX', app.inTest ? 'herald-test' : 'herald'),
  databaseUrl: env.get('QUEUE_DATABASE_URL'),

  /**
   * `inline`: the web process also runs the workers (one process for the embedded
   * mode). `off`: only `node ace queue:work` processes run jobs.
   */
  workers: env.get('WORKERS', 'inline'),

  /** Jobs one worker process runs at once, per queue (`queue:work --concurrency` wins) */
  concurrency: env.get('QUEUE_CONCURRENCY', 5),

  /**
   * A worker holds a lock on each active job and renews it every lockDuration / 2
   * (5 s) for as long as the handler runs, so a job may take hours. Only a worker
   * that stops renewing (killed, or its event loop blocked for > 10 s) loses the
   * lock. The stalled checker runs every stalledInterval: one pass marks an active
   * job whose lock is gone, the next moves it back to waiting. A SIGKILLed worker's
   * job therefore runs again after 10-15 s (BullMQ's defaults, 30 s / 30 s, take
   * about 60 s). The price: one cheap stalled-check query per worker every 5 s.
   */
  lockDuration: 10_000,
  stalledInterval: 5_000,

  /** Failed jobs stay visible (Admin → System, bull-board) this long, then prune_jobs removes them */
  keepFailedDays: 14,

  /** The heartbeat job runs this often; workers count as stale after staleAfterSeconds without one */
  heartbeatEverySeconds: 30,
  staleAfterSeconds: 120,
}

export default queueConfig
