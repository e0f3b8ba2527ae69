import { setTimeout as sleep } from 'node:timers/promises'
import type { Job, JobsOptions, Processor, WorkerOptions } from 'bullmq'
import {
  openBackend,
  type AnyFlowProducer,
  type AnyQueue,
  type AnyQueueEvents,
  type AnyWorker,
  type BackendSettings,
  type QueueBackend,
} from '#queue/backend'
import { assertJobId, type DispatchOptions, type JobDefinition } from '#queue/define_job'
import { type BackendKind, type QueueLogger, silentLogger } from '#queue/types'

/**
 * Retention for every job, whatever its definition says:
 * - completed jobs are removed at once (`removeOnComplete: true`);
 * - failed jobs are kept for people to read and retry, and the `prune_jobs` job
 *   removes them after QueueConfig.keepFailedDays.
 * Never `{count}` / `{age}`: on BullMQ's PostgreSQL backend that retention races
 * job claiming and deadlocks, marking jobs that succeeded as failed.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: false,
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
}

export interface QueueManagerOptions {
  /** Known without connecting (for pages and logs) */
  kind: BackendKind
  /** Resolved on first use, so nothing connects at import or boot */
  settings: () => BackendSettings | Promise<BackendSettings>
  logger?: QueueLogger
  /** How long BullMQ may take to finish closing once no handler runs (default 5 s) */
  closeGraceMs?: number
}

/**
 * The process's queues, created on first use (`getQueue`), and the workers that
 * run in it. `close()` drains workers, then closes queues, then the backend's
 * shared connections.
 */
export class QueueManager {
  readonly kind: BackendKind
  readonly logger: QueueLogger
  #options: QueueManagerOptions
  #backend?: Promise<QueueBackend>
  #queues = new Map<string, AnyQueue>()
  #workers = new Set<AnyWorker>()
  #events = new Set<AnyQueueEvents>()
  #flow?: AnyFlowProducer
  #closing?: Promise<void>
  #running = 0
  #closeGraceMs: number
  #cleanClose = true

  constructor(options: QueueManagerOptions) {
    this.#options = options
    this.kind = options.kind
    this.logger = options.logger ?? silentLogger
    this.#closeGraceMs = options.closeGraceMs ?? 5_000
  }

  /**
   * False when the backend stopped answering during close(): BullMQ then keeps
   * reconnect timers alive that would hold the process open (the provider exits).
   */
  get closedCleanly() {
    return this.#cleanClose
  }

  /** True once something has connected */
  get isOpen() {
    return Boolean(this.#backend)
  }

  /** True once close() was called: nothing may be added any more */
  get isClosed() {
    return Boolean(this.#closing)
  }

  /** Opens the backend once; a failed open is retried on the next call */
  backend(): Promise<QueueBackend> {
    if (this.#closing) {
      return Promise.reject(new Error('The queue manager is closed'))
    }
    if (!this.#backend) {
      const opening = (async () => openBackend(await this.#options.settings()))()
      this.#backend = opening
      opening.catch(() => {
        if (this.#backend === opening) this.#backend = undefined
      })
    }
    return this.#backend
  }

  async getQueue(name: string): Promise<AnyQueue> {
    const backend = await this.backend()
    let queue = this.#queues.get(name)
    if (!queue) {
      queue = backend.createQueue(name, { defaultJobOptions: DEFAULT_JOB_OPTIONS })
      queue.on('error', (error) => this.logger.warn({ err: error, queue: name }, 'queue error'))
      this.#queues.set(name, queue)
    }
    return queue
  }

  /** Queues created so far in this process */
  get openQueues(): AnyQueue[] {
    return [...this.#queues.values()]
  }

  async createWorker(
    name: string,
    processor: Processor,
    options: Omit<WorkerOptions, 'connection' | 'prefix'>
  ): Promise<AnyWorker> {
    const backend = await this.backend()
    const counted: Processor = async (job, token, signal) => {
      this.#running++
      try {
        return await processor(job, token, signal)
      } finally {
        this.#running--
      }
    }
    const worker = backend.createWorker(name, counted, options)
    this.#workers.add(worker)
    return worker
  }

  /** Jobs whose handler is running in this process */
  get runningJobs() {
    return this.#running
  }

  /** Stops fetching and waits for the worker's active jobs to finish (see #drain) */
  async closeWorker(worker: AnyWorker) {
    await this.#drain([worker])
    this.#workers.delete(worker)
  }

  /**
   * Graceful close of workers: they stop fetching, running handlers finish
   * however long they take (the orchestrator's stop timeout is the limit), then
   * BullMQ gets `closeGraceMs` to record the results. A backend that does not
   * answer (Redis down) would keep BullMQ's close waiting forever: past that
   * grace the backend's connections are dropped, so the close ends and the
   * process can exit.
   */
  async #drain(workers: AnyWorker[]) {
    let settled = false
    const graceful = Promise.allSettled(workers.map((worker) => worker.close())).then(() => {
      settled = true
    })
    while (!settled && this.#running > 0) await sleep(100)
    if (await within(graceful, this.#closeGraceMs)) return
    this.#cleanClose = false
    this.logger.warn(
      'the queue backend did not answer while workers closed; dropping its connections'
    )
    const backend = await this.#backend?.catch(() => undefined)
    backend?.abort()
    await within(graceful, 1000)
  }

  /** The flow producer (parent/child jobs), created on first use */
  async flowProducer(): Promise<AnyFlowProducer> {
    const backend = await this.backend()
    this.#flow ??= backend.createFlowProducer()
    return this.#flow
  }

  /** QueueEvents for tests and tools (each keeps a connection); closed with the manager */
  async createQueueEvents(name: string): Promise<AnyQueueEvents> {
    const backend = await this.backend()
    const events = backend.createQueueEvents(name)
    this.#events.add(events)
    return events
  }

  async dispatch<Payload>(
    definition: JobDefinition<Payload>,
    payload: Payload,
    options: DispatchOptions = {}
  ): Promise<Job> {
    if (options.jobId !== undefined) assertJobId(options.jobId)
    const queue = await this.getQueue(definition.queue)
    return queue.add(definition.name, payload, {
      ...definition.options,
      jobId: options.jobId,
      delay: options.delay && options.delay > 0 ? Math.round(options.delay) : undefined,
    })
  }

  async schedule<Payload>(
    definition: JobDefinition<Payload>,
    at: Date,
    payload: Payload,
    options: Omit<DispatchOptions, 'delay'> = {}
  ): Promise<Job> {
    if (Number.isNaN(at.getTime())) throw new Error('schedule() needs a valid date')
    return this.dispatch(definition, payload, { ...options, delay: at.getTime() - Date.now() })
  }

  /**
   * Graceful: workers finish their active jobs first (graceful drain), then
   * queues close, then the shared pool or Redis connections end.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close() {
    if (!this.#backend) return
    const backend = await this.#backend.catch(() => undefined)
    await this.#drain([...this.#workers])
    /** After an unanswered drain the rest would hang as well: a short wait only */
    const grace = this.#cleanClose ? this.#closeGraceMs : 500
    await within(Promise.allSettled([...this.#events].map((events) => events.close())), grace)
    await within(
      Promise.allSettled([
        ...[...this.#queues.values()].map((queue) => queue.close()),
        this.#flow?.close(),
      ]),
      grace
    )
    this.#workers.clear()
    this.#events.clear()
    this.#queues.clear()
    this.#flow = undefined
    if (backend && !(await within(backend.close(), grace))) {
      this.#cleanClose = false
      this.logger.warn('the queue backend did not answer while closing')
    }
  }
}

/** True when the promise settled within `ms` */
async function within(promise: Promise<unknown>, ms: number) {
  let timer: NodeJS.Timeout | undefined
  const settledInTime = await Promise.race([
    promise.then(
      () => true,
      () => true
    ),
    new Promise<boolean>((done) => {
      timer = setTimeout(() => done(false), ms)
    }),
  ])
  clearTimeout(timer)
  return settledInTime
}
