import db from '@adonisjs/lucid/services/db'
import type { WorkerIdentity } from '#queue/define_job'
import type { BackendKind } from '#queue/types'

/**
 * The heartbeat job ran on this worker: upsert its row (one per worker process).
 */
export class RecordWorkerHeartbeat {
  async execute(worker: WorkerIdentity, backend: BackendKind, at = new Date()) {
    await db
      .table('worker_heartbeats')
      .insert({
        worker_id: worker.id,
        hostname: worker.hostname,
        pid: worker.pid,
        queues: JSON.stringify(worker.queues),
        backend,
        started_at: worker.startedAt,
        last_seen_at: at,
      })
      .onConflict('worker_id')
      .merge(['hostname', 'pid', 'queues', 'backend', 'last_seen_at'])
  }
}
