import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import databaseServer from '#services/database_server'
import { QueueManager } from '#queue/queue_manager'
import type { BackendSettings } from '#queue/backend'
import type { BackendKind } from '#queue/types'

/**
 * The queue suite runs once per backend: PostgreSQL always, Redis when REDIS_URL
 * is set (CI starts a redis-server). Without it no Redis test is registered (CI
 * allows no skipped tests) and the run says so.
 */
export function queueBackends(): BackendKind[] {
  if (process.env.REDIS_URL) return ['postgres', 'redis']
  if (!noticePrinted) {
    noticePrinted = true
    printRedisNotice()
  }
  return ['postgres']
}
let noticePrinted = false

/** Said when the suite's files load and again after the PostgreSQL engine group */
export function printRedisNotice() {
  if (process.env.REDIS_URL) return
  process.stderr.write(
    '\nNOTICE: REDIS_URL is not set, so the queue suite ran on PostgreSQL only; the Redis suite did NOT run.\n' +
      '        Start one (redis-server --port 6390 --save "" --daemonize yes) and set\n' +
      '        REDIS_URL=redis://127.0.0.1:6390 to run it.\n\n'
  )
}

/** Unique per test process, so parallel or repeated runs never share a queue */
export const RUN_ID = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`

export function uniqueQueue(label: string) {
  return `t-${RUN_ID}-${label}`
}

/** Backend settings for tests: the test run's PostgreSQL server, or REDIS_URL under a unique prefix */
export function testBackendSettings(kind: BackendKind): BackendSettings {
  if (kind === 'redis') {
    return { kind: 'redis', url: process.env.REDIS_URL!, prefix: `herald-test-${RUN_ID}` }
  }
  return {
    kind: 'postgres',
    appConnection: databaseServer.connection,
    embedded: databaseServer.isEmbedded,
    databaseUrl: process.env.QUEUE_DATABASE_URL,
    poolMax: 30,
  }
}

export function createTestManager(kind: BackendKind) {
  return new QueueManager({ kind, settings: () => testBackendSettings(kind) })
}

/** Removes every queue the manager opened, then closes it */
export async function destroyManager(manager: QueueManager) {
  if (!manager.isOpen) return
  for (const queue of manager.openQueues) {
    for (const scheduler of await queue.getJobSchedulers().catch(() => [])) {
      await queue.removeJobScheduler(scheduler.key).catch(() => {})
    }
    await queue.obliterate({ force: true }).catch(() => {})
  }
  await manager.close()
}

export async function waitFor<T>(
  probe: () => T | Promise<T>,
  { timeout = 10_000, interval = 25, message = 'condition' } = {}
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout
  while (Date.now() < deadline) {
    const value = await probe()
    if (value) return value as NonNullable<T>
    await sleep(interval)
  }
  throw new Error(`Timed out after ${timeout} ms waiting for ${message}`)
}

/**
 * A worker in its own process (tests/helpers/queue_worker_child.ts) running the
 * WorkerRunner, so tests can SIGKILL or SIGTERM it. Lines it prints are kept.
 */
export class ChildWorker {
  readonly lines: string[] = []
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  #child: ChildProcess

  constructor(options: Record<string, unknown>) {
    this.#child = spawn(
      process.execPath,
      ['--import=@poppinss/ts-exec', 'tests/helpers/queue_worker_child.ts'],
      {
        cwd: app.makePath(),
        /** In the environment, not argv: the settings hold the database password */
        env: { ...process.env, NODE_ENV: 'test', QUEUE_CHILD_OPTIONS: JSON.stringify(options) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    )
    let buffer = ''
    this.#child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8')
      const parts = buffer.split('\n')
      buffer = parts.pop()!
      this.lines.push(...parts.filter(Boolean))
    })
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => `stderr: ${line}`)
      )
    })
    this.exited = new Promise((done) =>
      this.#child.once('exit', (code, signal) => done({ code, signal }))
    )
  }

  waitForLine(pattern: RegExp, timeout = 20_000) {
    return waitFor(() => this.lines.find((line) => pattern.test(line)), {
      timeout,
      message: `${pattern} from the child worker (it said: ${this.lines.slice(-5).join(' | ')})`,
    })
  }

  kill(signal: NodeJS.Signals) {
    this.#child.kill(signal)
  }

  get pid() {
    return this.#child.pid
  }
}

/**
 * The app's queue use (dispatches from actions) goes to a manager of its own
 * for each test of the group, removed afterwards, so tests leave no jobs behind.
 */
export function isolateQueue(
  group: { each: { setup(fn: () => unknown): void } },
  kind: BackendKind = 'postgres'
) {
  group.each.setup(async () => {
    const { useQueueManager } = await import('#queue/queues')
    const manager = createTestManager(kind)
    const restore = useQueueManager(manager)
    return async () => {
      restore()
      await destroyManager(manager)
    }
  })
}
