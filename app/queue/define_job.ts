import type { Job, JobsOptions } from 'bullmq'
import type { QueueManager } from '#queue/queue_manager'
import type { QueueLogger } from '#queue/types'

/**
 * Herald's job convention. A job is a typed definition in app/jobs/ listed in
 * app/jobs/registry.ts:
 *
 *   export const refreshTokensJob = defineJob<{ accountId: number }>({
 *     name: 'refresh_tokens',
 *     queue: 'default',
 *     options: { attempts: 5 },
 *     handler: async ({ accountId }, { job, logger }) => { ... },
 *   })
 *
 *   await refreshTokensJob.dispatch({ accountId: 7 }, { jobId: `refresh:${7}:${version}` })
 *   await publishJob.schedule(post.scheduledAt, { targetId }, { jobId: `publish:${targetId}:${attempt}` })
 *
 * Every handler must be idempotent: a job whose worker died runs again, and on
 * the PostgreSQL backend a job that succeeded can still be recorded as failed
 * (and retried) when a deadlock hits its completion.
 */

/** Options a definition may set. Retention is not among them: see QueueManager. */
export type JobDefinitionOptions = Pick<JobsOptions, 'attempts' | 'backoff' | 'priority' | 'lifo'>

export interface DispatchOptions {
  /**
   * A deterministic id makes the dispatch idempotent: while a job with this id
   * exists (waiting, delayed, active or failed), adding it again does nothing and
   * returns the existing job. Completed jobs are removed at once, so the id is free
   * again afterwards; use a new id per attempt or version (`publish:<target>:<n>`).
   * Never all digits; `:` only as `a:b:c` (BullMQ's rule).
   */
  jobId?: string
  /** Milliseconds to wait before the job may run */
  delay?: number
}

/** A repeatable job runs once per `every` milliseconds, at wall-clock slot boundaries */
export type RepeatSpec = { every: number }

/** What a handler receives besides its payload */
export interface JobContext {
  job: Job
  /** The worker process running the job */
  worker: WorkerIdentity
  /** The queues of this process (reach other queues, e.g. to prune them) */
  queues: QueueManager
  /** Queue names the running workers know from the job registry */
  knownQueues: readonly string[]
  logger: QueueLogger
}

export interface WorkerIdentity {
  id: string
  hostname: string
  pid: number
  queues: string[]
  startedAt: Date
}

export type JobHandler<Payload> = (payload: Payload, context: JobContext) => Promise<unknown>

export interface JobSpec<Payload> {
  name: string
  queue: string
  options?: JobDefinitionOptions
  /** A repeatable job: every worker process ticks it, one run per slot (WorkerRunner) */
  repeat?: RepeatSpec
  /** Repeatable jobs: also run once when a worker process starts */
  runAtStart?: boolean
  handler: JobHandler<Payload>
}

export interface JobDefinition<Payload> extends Readonly<JobSpec<Payload>> {
  readonly options: JobDefinitionOptions
  /** Adds the job to its queue (on the app's default queue manager) */
  dispatch(payload: Payload, options?: DispatchOptions): Promise<Job>
  /** Adds the job to run at `at` (at once when `at` is past) */
  schedule(at: Date, payload: Payload, options?: Omit<DispatchOptions, 'delay'>): Promise<Job>
}

const NAME = /^[a-z][a-z0-9_]*$/

/**
 * The app's queue registry, imported on first dispatch (it imports the job
 * registry, which imports the definitions: a static import would be a cycle).
 * Kept once loaded: a dynamic import costs a trip through the module loader.
 */
let queuesModule: Promise<typeof import('#queue/queues')> | undefined
async function appQueuesOf() {
  const { appQueues } = await (queuesModule ??= import('#queue/queues'))
  return appQueues()
}

export function defineJob<Payload = Record<string, never>>(
  spec: JobSpec<Payload>
): JobDefinition<Payload> {
  if (!NAME.test(spec.name)) {
    throw new Error(`Job name "${spec.name}" must be snake_case (a-z, 0-9, _)`)
  }
  if (!/^[a-z0-9][a-z0-9_.-]*$/i.test(spec.queue)) {
    throw new Error(`Queue name "${spec.queue}" may use letters, digits, "_", "." and "-" only`)
  }
  const definition: JobDefinition<Payload> = {
    ...spec,
    options: spec.options ?? {},
    async dispatch(payload, options) {
      const queues = await appQueuesOf()
      return queues.dispatch(definition, payload, options)
    },
    async schedule(at, payload, options) {
      const queues = await appQueuesOf()
      return queues.schedule(definition, at, payload, options)
    },
  }
  return Object.freeze(definition)
}

/**
 * BullMQ rejects ids that are all digits (they clash with its own counter) and
 * ids with `:` unless split in exactly three parts. Fail early, in words.
 */
export function assertJobId(jobId: string) {
  if (!jobId || /^\d+$/.test(jobId)) {
    throw new Error(
      `Job id "${jobId}" must not be empty or all digits: prefix it, e.g. "post-${jobId}"`
    )
  }
  if (jobId.includes(':') && jobId.split(':').length !== 3) {
    throw new Error(
      `Job id "${jobId}" may contain ":" only as "a:b:c" (e.g. "publish:42:1"); use "-" otherwise`
    )
  }
}
