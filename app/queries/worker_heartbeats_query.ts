import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'

export interface WorkerHeartbeat {
  workerId: string
  hostname: string
  pid: number
  queues: string[]
  backend: string
  startedAt: DateTime
  lastSeenAt: DateTime
}

/**
 * Rows written by the heartbeat job, one per worker process, newest first.
 */
export class WorkerHeartbeatsQuery {
  async list(limit = 20): Promise<WorkerHeartbeat[]> {
    const rows = await db.from('worker_heartbeats').orderBy('last_seen_at', 'desc').limit(limit)
    return rows.map((row) => ({
      workerId: row.worker_id,
      hostname: row.hostname,
      pid: row.pid,
      queues: Array.isArray(row.queues) ? row.queues : [],
      backend: row.backend,
      startedAt: DateTime.fromJSDate(new Date(row.started_at)),
      lastSeenAt: DateTime.fromJSDate(new Date(row.last_seen_at)),
    }))
  }

  /** When any worker last ran the heartbeat job (null: never) */
  async lastSeenAt(): Promise<Date | null> {
    const row = await db.from('worker_heartbeats').max('last_seen_at as last').first()
    return row?.last ? new Date(row.last) : null
  }
}
