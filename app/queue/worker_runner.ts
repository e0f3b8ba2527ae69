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
 * WORKERS=inline, by the web process (providers/queue_provider.ts).
 *
 * Repeatable jobs (the publishing reconciler, heartbeat, prune_jobs...) are
 * ticked by every worker process, not by BullMQ job schedulers. A scheduler
 * adds its next iteration from the process that fetched the current one,
 * after the fetch: a process killed at that moment, or a datastore that
 * drops the call, ends the chain for good (BullMQ catches the error: "the next
 * repeatable job will not be scheduled"; bullmq#3272), and the reconciler is
 * the safety net that must outlive any one process. So each process adds
 * `<name>-<slot>` at every slot boundary (slot = floor(now / every)): the id
 * makes the add idempotent across processes, and completed ticks are kept
 * (for a day, prune_jobs) so a late add of the same slot is recognised.
 */
export class WorkerRunner {
  readonly identity: WorkerIdentity
  readonly queues: string[]
  #options: WorkerRunnerOptions
  #workers: AnyWorker[] = []
  #tickers = new Map<string, NodeJS.Timeout>()
  #started = false
  #stopped = false

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

    for (const definition of this.repeating) {
      // Installs before ticks existed kept a BullMQ job scheduler under the job's name.
      const queue = await this.manager.getQueue(definition.queue)
      await queue.removeJobScheduler(definition.name)
      this.#scheduleTick(definition)
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

  /** The repeatable jobs this process ticks */
  get repeating(): AnyJobDefinition[] {
    return this.#options.jobs.filter(
      (definition) => definition.repeat && this.queues.includes(definition.queue)
    )
  }

  /** The id of a repeatable job's tick for the slot holding `at` */
  static tickId(definition: AnyJobDefinition, at = Date.now()) {
    return `${definition.name}-${Math.floor(at / definition.repeat!.every)}`
  }

  /** Next slot boundary, plus a little jitter so processes do not add in the same millisecond */
  #scheduleTick(definition: AnyJobDefinition, delay?: number) {
    if (this.#stopped) return
    const every = definition.repeat!.every
    const wait = delay ?? every - (Date.now() % every) + Math.floor(Math.random() * 200)
    // Unref'd: a tick never keeps a stopping process alive.
    const timer = setTimeout(() => void this.#tick(definition), wait).unref()
    this.#tickers.set(definition.name, timer)
  }

  async #tick(definition: AnyJobDefinition) {
    // The manager closes on shutdown without asking the runner first.
    if (this.#stopped || this.manager.isClosed) return
    const every = definition.repeat!.every
    const slotEnds = (Math.floor(Date.now() / every) + 1) * every
    try {
      const queue = await this.manager.getQueue(definition.queue)
      await queue.add(
        definition.name,
        {},
        {
          ...definition.options,
          jobId: WorkerRunner.tickId(definition),
          // Kept (prune_jobs removes them after a day; {age} retention deadlocks on PG), so a
          // late add of the same slot by another process is recognised, and bull-board shows
          // each run's result.
          removeOnComplete: false,
        }
      )
      this.#scheduleTick(definition)
    } catch (error) {
      if (this.manager.isClosed) return
      // The datastore is away: try again within this slot, then go on with the next one.
      this.manager.logger.warn({ job: definition.name, err: error }, 'repeatable job not added')
      const retryIn = Math.min(5_000, Math.max(0, slotEnds - Date.now()))
      this.#scheduleTick(definition, retryIn > 500 ? retryIn : undefined)
    }
  }

  /** Graceful drain: no new jobs, active ones run to completion */
  async stop() {
    this.#stopped = true
    for (const timer of this.#tickers.values()) clearTimeout(timer)
    this.#tickers.clear()
    const workers = this.#workers
    this.#workers = []
    await Promise.all(workers.map((worker) => this.manager.closeWorker(worker)))
  }
}

export function knownQueues(jobs: readonly AnyJobDefinition[]): string[] {
  return [...new Set(jobs.map((job) => job.queue))].sort()
}
