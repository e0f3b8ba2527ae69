/**
 * A queue worker process for the queue suite (tests/functional/queue): runs
 * Herald's WorkerRunner on one queue with a `sleepy` job that prints STARTED,
 * sleeps `ms`, prints DONE. SIGTERM/SIGINT drain like `node ace queue:work`
 * (active jobs finish first), then it prints CLOSED and exits 0.
 * Options come as JSON in QUEUE_CHILD_OPTIONS (see ChildWorker in queue.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { QueueManager } from '#queue/queue_manager'
import { WorkerRunner } from '#queue/worker_runner'
import { defineJob } from '#queue/define_job'
import type { BackendSettings } from '#queue/backend'

const options = JSON.parse(process.env.QUEUE_CHILD_OPTIONS ?? '{}') as {
  settings: BackendSettings
  queue: string
  lockDuration: number
  stalledInterval: number
  concurrency?: number
}

const say = (line: string) => process.stdout.write(`${line}\n`)

const sleepyJob = defineJob<{ ms: number }>({
  name: 'sleepy',
  queue: options.queue,
  options: { attempts: 1 },
  handler: async ({ ms }, { job }) => {
    say(`STARTED ${job.id}`)
    await sleep(ms)
    say(`DONE ${job.id}`)
    return { by: process.pid }
  },
})

const manager = new QueueManager({ kind: options.settings.kind, settings: () => options.settings })
const runner = new WorkerRunner(manager, {
  jobs: [sleepyJob],
  concurrency: options.concurrency ?? 1,
  lockDuration: options.lockDuration,
  stalledInterval: options.stalledInterval,
})

let stopping = false
async function drain(signal: string) {
  if (stopping) return
  stopping = true
  say(`STOPPING ${signal}`)
  await manager.close()
  say('CLOSED')
  process.exit(0)
}
process.on('SIGTERM', () => drain('SIGTERM'))
process.on('SIGINT', () => drain('SIGINT'))

await runner.start()
say(`READY ${process.pid}`)
