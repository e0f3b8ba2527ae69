import { DateTime } from 'luxon'
import type { JobType } from 'bullmq'
import queueConfig from '#config/queue'
import { appQueues } from '#queue/queues'
import type { QueueManager } from '#queue/queue_manager'
import { knownQueues } from '#queue/worker_runner'
import { heartbeatState, type HeartbeatState } from '#queue/worker_health'
import { jobs } from '#jobs/registry'
import { WorkerHeartbeatsQuery, type WorkerHeartbeat } from '#queries/worker_heartbeats_query'
import type { BackendKind } from '#queue/types'

export interface QueueCounts {
  name: string
  isPaused: boolean
  waiting: number
  active: number
  delayed: number
  failed: number
  paused: number
  prioritized: number
  completed: number
}

export interface FailedJob {
  queue: string
  name: string
  id: string
  failedReason: string
  attemptsMade: number
  finishedOn: DateTime | null
}

export interface SystemHealth {
  backend: { kind: BackendKind; description: string | null; error: string | null }
  heartbeat: {
    state: HeartbeatState
    lastSeenAt: DateTime | null
    ageSeconds: number | null
    staleAfterSeconds: number
    everySeconds: number
    workers: Array<WorkerHeartbeat & { alive: boolean }>
  }
  queues: QueueCounts[]
  failed: FailedJob[]
  keepFailedDays: number
}

/**
 * Counts BullMQ reports per state. 'paused' is asked for explicitly: on the
 * PostgreSQL backend the waiting jobs of a paused queue are counted only there.
 */
const COUNTED: string[] = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'paused',
  'prioritized',
  'completed',
]

/**
 * Admin → System: which backend, whether workers run (Herald's own heartbeat:
 * bull-board lists no workers on PostgreSQL), counts per queue, latest failures.
 */
export class SystemHealthQuery {
  constructor(
    private queues: QueueManager = appQueues(),
    private queueNames: readonly string[] = knownQueues(jobs)
  ) {}

  async execute({ failedLimit = 10 } = {}): Promise<SystemHealth> {
    const workers = await new WorkerHeartbeatsQuery().list()
    const last = workers[0]?.lastSeenAt ?? null
    const health: SystemHealth = {
      backend: { kind: this.queues.kind, description: null, error: null },
      heartbeat: {
        state: heartbeatState(last?.toJSDate() ?? null),
        lastSeenAt: last,
        ageSeconds: last ? Math.max(0, Math.round(-last.diffNow().as('seconds'))) : null,
        staleAfterSeconds: queueConfig.staleAfterSeconds,
        everySeconds: queueConfig.heartbeatEverySeconds,
        workers: workers.map((worker) => ({
          ...worker,
          alive: -worker.lastSeenAt.diffNow().as('seconds') <= queueConfig.staleAfterSeconds,
        })),
      },
      queues: [],
      failed: [],
      keepFailedDays: queueConfig.keepFailedDays,
    }

    try {
      const backend = await this.queues.backend()
      health.backend.description = backend.description
      for (const name of this.queueNames) {
        const queue = await this.queues.getQueue(name)
        const counts = await queue.getJobCounts(...(COUNTED as JobType[]))
        health.queues.push({
          name,
          isPaused: await queue.isPaused(),
          waiting: counts.waiting ?? 0,
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
          paused: counts.paused ?? 0,
          prioritized: counts.prioritized ?? 0,
          completed: counts.completed ?? 0,
        })
        for (const job of await queue.getFailed(0, failedLimit - 1)) {
          health.failed.push({
            queue: name,
            name: job.name,
            id: String(job.id),
            failedReason: job.failedReason ?? '',
            attemptsMade: job.attemptsMade,
            finishedOn: job.finishedOn ? DateTime.fromMillis(job.finishedOn) : null,
          })
        }
      }
    } catch (error) {
      health.backend.error = `The queue backend does not answer: ${(error as Error).message}`
    }

    health.failed.sort((a, b) => (b.finishedOn?.toMillis() ?? 0) - (a.finishedOn?.toMillis() ?? 0))
    health.failed = health.failed.slice(0, failedLimit)
    return health
  }
}
