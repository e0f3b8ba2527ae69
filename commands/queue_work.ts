import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import type { QueueConfig } from '#queue/types'

/**
 * A worker process: runs the handlers of app/jobs/registry.ts until SIGTERM or
 * SIGINT, then drains (active jobs finish, no new ones start) and exits. The web
 * process runs the same workers inline unless WORKERS=off.
 */
export default class QueueWork extends BaseCommand {
  static commandName = 'queue:work'
  static description = 'Process queued jobs until SIGTERM/SIGINT (then finish active jobs and exit)'
  static help = [
    'Works every queue of the job registry unless --queue names some:',
    '  node ace queue:work',
    '  node ace queue:work --queue=system,default --concurrency=10',
  ]

  static options: CommandOptions = {
    startApp: true,
    staysAlive: true,
  }

  @flags.array({
    description: 'Queues to work, comma-separated (all by default)',
    alias: 'q',
    parse: (input: string[]) =>
      input
        .flatMap((value) => value.split(','))
        .map((value) => value.trim())
        .filter(Boolean),
  })
  declare queue?: string[]

  @flags.number({
    description: 'Jobs run at once, per queue (QUEUE_CONCURRENCY, default 5)',
    alias: 'c',
  })
  declare concurrency?: number

  async run() {
    const config = this.app.config.get<QueueConfig>('queue')
    const { default: queues } = await import('#queue/queues')
    const { WorkerRunner } = await import('#queue/worker_runner')
    const { appJobs } = await import('#jobs/registry')
    const { publishConcurrency } = await import('#publishing/job_ids')
    const jobs = await appJobs()

    let runner: InstanceType<typeof WorkerRunner>
    try {
      runner = new WorkerRunner(queues, {
        jobs,
        queues: this.queue,
        concurrency: this.concurrency ?? config.concurrency,
        concurrencyFor: publishConcurrency,
        lockDuration: config.lockDuration,
        stalledInterval: config.stalledInterval,
      })
      await runner.start()
    } catch (error) {
      this.logger.error((error as Error).message)
      this.exitCode = 1
      await this.terminate()
      return
    }

    const backend = await queues.backend()
    this.logger.info(
      `Working ${runner.queues.join(', ')} (concurrency ${runner.workers[0]?.concurrency ?? '?'}) on ${backend.description}. ` +
        'SIGTERM or Ctrl-C stops after the active jobs finish.'
    )

    /**
     * bin/console.ts turns SIGTERM and SIGINT into app.terminate(); the queue
     * provider's shutdown then closes the workers, which waits for active jobs.
     */
    this.app.terminating(() => {
      this.logger.info('Stopping: waiting for active jobs to finish')
    })
  }
}
