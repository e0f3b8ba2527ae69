import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { UnrecoverableError, type Job } from 'bullmq'
import type { AnyWorker } from '#queue/backend'
import type { JobContext, JobDefinition, WorkerIdentity } from '#queue/define_job'
import type { QueueManager } from '#queue/queue_manager'

type AnyJobDefinition = JobDefinition<any>

export interface WorkerRunnerOptions {
  /** The job registry (app/jobs/registry.ts) */
  jobs: readonly AnyJobDefinition[]
  /** Queues to work; all queues of the registry when empty */
  queues?: string[]
  concurrency: number
  /** Queues with their own concurrency (the publish queue of each network); `concurrency` otherwise */
  concurrencyFor?: (queue: string) => number | undefined
  lockDuration: number
  stalledInterval: number
}

/**
 * Runs the handlers of the job registry: one BullMQ worker per queue, each
 * dispatching on the job's name. Used by `node ace queue:work` and, with
 * WORKERS=inline, by the web process (providers/queue_provider.ts). Repeatable
 * jobs (heartbeat, prune_jobs) get their job scheduler upserted at start: the
 * upsert is idempotent, so every worker process may do it.
 */
export class WorkerRunner {
  readonly identity: WorkerIdentity
  readonly queues: string[]
  #options: WorkerRunnerOptions
  #workers: AnyWorker[] = []
  #started = false

  constructor(
    readonly manager: QueueManager,
    options: WorkerRunnerOptions
  ) {
    this.#options = options
    const known = knownQueues(options.jobs)
    const requested = options.queues?.length ? [...new Set(options.queues)] : known
    const unknown = requested.filter((queue) => !known.includes(queue))
    if (unknown.length) {
      throw new Error(
        `Unknown queue(s): ${unknown.join(', ')}. Queues with jobs: ${known.join(', ') || 'none'}`
      )
    }
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new Error(
        `Concurrency must be a whole number of 1 or more (got ${options.concurrency})`
      )
    }
    this.queues = requested
    this.identity = {
      id: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      hostname: hostname(),
      pid: process.pid,
      queues: requested,
      startedAt: new Date(),
    }
  }

  get workers(): readonly AnyWorker[] {
    return this.#workers
  }

  async start() {
    if (this.#started) return
    this.#started = true
    const { logger } = this.manager
    const known = knownQueues(this.#options.jobs)

    for (const queueName of this.queues) {
      const handlers = new Map(
        this.#options.jobs.filter((job) => job.queue === queueName).map((job) => [job.name, job])
      )
      const processor = async (job: Job) => {
        const definition = handlers.get(job.name)
        if (!definition) {
          throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${queueName}"`)
        }
        const context: JobContext = {
          job,
          worker: this.identity,
          queues: this.manager,
          knownQueues: known,
          logger,
        }
        return definition.handler(job.data, context)
      }

      const worker = await this.manager.createWorker(queueName, processor, {
        name: this.identity.id,
        concurrency: this.#options.concurrencyFor?.(queueName) ?? this.#options.concurrency,
        lockDuration: this.#options.lockDuration,
        stalledInterval: this.#options.stalledInterval,
      })
      worker.on('failed', (job, error) => {
        logger.warn(
          {
            queue: queueName,
            job: job?.name,
            jobId: job?.id,
            attempt: job?.attemptsMade,
            err: error,
          },
          'job failed'
        )
      })
      worker.on('error', (error) => logger.error({ queue: queueName, err: error }, 'worker error'))
      this.#workers.push(worker)
    }

    for (const definition of this.#options.jobs) {
      if (!definition.repeat || !this.queues.includes(definition.queue)) continue
      const queue = await this.manager.getQueue(definition.queue)
      await queue.upsertJobScheduler(definition.name, definition.repeat, {
        name: definition.name,
        data: {},
        opts: { ...definition.options },
      })
      if (definition.runAtStart) {
        await this.manager.dispatch(
          definition,
          {},
          {
            jobId: `${definition.name}-start-${this.identity.id.replaceAll(':', '-')}`,
          }
        )
      }
    }

    await Promise.all(this.#workers.map((worker) => worker.waitUntilReady()))
    logger.info(
      {
        worker: this.identity.id,
        queues: this.queues,
        concurrency: this.#options.concurrency,
        backend: this.manager.kind,
      },
      'queue workers started'
    )
  }

  /** Graceful drain: no new jobs, active ones run to completion */
  async stop() {
    const workers = this.#workers
    this.#workers = []
    await Promise.all(workers.map((worker) => this.manager.closeWorker(worker)))
  }
}

export function knownQueues(jobs: readonly AnyJobDefinition[]): string[] {
  return [...new Set(jobs.map((job) => job.queue))].sort()
}
