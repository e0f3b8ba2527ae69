import type { ApplicationService } from '@adonisjs/core/types'
import type { QueueConfig } from '#queue/types'

const RETRY_MS = 30_000

/**
 * Queue workers in the web process (WORKERS=inline, the default of `npm start`),
 * started once the HTTP server listens; and, in every process, an orderly end:
 * workers drain, then queues close, then the shared pool or Redis connections.
 *
 * Registered after Lucid and the database server provider: shutdown runs in
 * reverse order, so job handlers still have the database while they drain.
 */
export default class QueueProvider {
  #retry?: NodeJS.Timeout
  #stopping = false

  constructor(protected app: ApplicationService) {}

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    const config = this.app.config.get<QueueConfig>('queue')
    if (config.workers !== 'inline') return
    await this.#startInline(config)
  }

  /**
   * A queue database Herald may not create stops the boot with its message. A
   * backend that does not answer yet (Redis restarting) does not take the web UI
   * down: the error is logged, System and the admins' banner show no heartbeat,
   * and the start is tried again every 30 s.
   */
  async #startInline(config: QueueConfig) {
    const { default: queues } = await import('#queue/queues')
    const { WorkerRunner } = await import('#queue/worker_runner')
    const { QueueDatabaseError } = await import('#queue/backend')
    const { appJobs } = await import('#jobs/registry')
    const { publishConcurrency } = await import('#publishing/job_ids')
    const runner = new WorkerRunner(queues, {
      jobs: await appJobs(),
      concurrency: config.concurrency,
      concurrencyFor: publishConcurrency,
      lockDuration: config.lockDuration,
      stalledInterval: config.stalledInterval,
    })
    try {
      await runner.start()
    } catch (error) {
      if (error instanceof QueueDatabaseError) throw error
      await runner.stop().catch(() => {})
      if (this.#stopping) return
      const logger = await this.app.container.make('logger')
      logger.error(
        { err: error },
        `queue workers did not start (${(error as Error).message}); trying again in ${RETRY_MS / 1000} s`
      )
      this.#retry = setTimeout(() => {
        this.#startInline(config).catch(() => {})
      }, RETRY_MS)
      this.#retry.unref()
    }
  }

  async shutdown() {
    this.#stopping = true
    clearTimeout(this.#retry)
    const { default: queues } = await import('#queue/queues')
    await queues.close()
    if (!queues.closedCleanly) {
      /**
       * The backend stopped answering (Redis down): BullMQ keeps reconnect timers
       * that would hold the process open forever. The remaining providers (Lucid,
       * the embedded database) get 3 s to finish; this timer does not keep the
       * process alive by itself.
       */
      setTimeout(() => process.exit(process.exitCode ?? 0), 3_000).unref()
    }
  }
}
