/**
 * Queue benchmark: jobs/s for no-op jobs at concurrency 1, 10 and 50, and the
 * lateness of 1,000 delayed jobs due at the same instant, on each backend
 * (PostgreSQL always; Redis when REDIS_URL is set), with Herald's own wiring:
 * QueueManager + WorkerRunner, the shared pg.Pool, Herald's retention and lock
 * settings.
 *
 *   node --import=@poppinss/ts-exec bench/queue.ts
 *
 * PostgreSQL: an embedded server of its own in tmp/bench-postgres (port
 * BENCH_PG_PORT, default 54379), queue database `herald_bench_queue`; or an
 * external one with BENCH_DATABASE_URL. BENCH_JOBS sets the no-op job count
 * (default 10,000). Prints one JSON document, then a table.
 */
import { createRequire } from 'node:module'
import { hostname, cpus } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { EmbeddedPostgres } from '#services/embedded_postgres'
import { createDatabaseIfMissing, parseDatabaseUrl } from '#services/database_server'
import type { BackendSettings } from '#queue/backend'
import { defineJob } from '#queue/define_job'
import { QueueManager } from '#queue/queue_manager'
import { WorkerRunner } from '#queue/worker_runner'
import type { BackendKind } from '#queue/types'

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000)
const DELAYED_JOBS = 1000
const CONCURRENCIES = [1, 10, 50]
/** Herald's production settings (config/queue.ts) */
const LOCK = { lockDuration: 10_000, stalledInterval: 5_000 }
const RUN = Date.now().toString(36)
const START = performance.now()
const elapsed = () => `${((performance.now() - START) / 1000).toFixed(1)} s`

interface ThroughputResult {
  concurrency: number
  jobs: number
  seconds: number
  jobsPerSecond: number
  failed: number
}

interface LatenessResult {
  jobs: number
  concurrency: number
  minMs: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  early: number
}

async function main() {
  const root = new URL('../', import.meta.url).pathname
  let embedded: EmbeddedPostgres | undefined
  let pgSettings: BackendSettings
  if (process.env.BENCH_DATABASE_URL) {
    pgSettings = {
      kind: 'postgres',
      appConnection: parseDatabaseUrl(process.env.BENCH_DATABASE_URL),
      embedded: false,
      poolMax: 11,
    }
  } else {
    embedded = new EmbeddedPostgres({
      dataDir: join(root, 'tmp/bench-postgres'),
      port: Number(process.env.BENCH_PG_PORT ?? 54379),
      logFile: join(root, 'tmp/bench-postgres.log'),
    })
    const address = await embedded.ensureRunning()
    await createDatabaseIfMissing(address, 'herald_bench')
    pgSettings = {
      kind: 'postgres',
      appConnection: { ...address, database: 'herald_bench' },
      embedded: true,
      /** What the app's pool gets for one worked queue: 1 LISTEN + 10 */
      poolMax: 11,
    }
  }

  const backends: Array<[BackendKind, BackendSettings]> = [['postgres', pgSettings]]
  if (process.env.REDIS_URL) {
    backends.push([
      'redis',
      { kind: 'redis', url: process.env.REDIS_URL, prefix: `herald-bench-${RUN}` },
    ])
  } else {
    process.stderr.write('REDIS_URL is not set: benchmarking PostgreSQL only.\n')
  }

  const results: Record<string, { throughput: ThroughputResult[]; delayed: LatenessResult }> = {}
  try {
    for (const [kind, settings] of backends) {
      const throughput: ThroughputResult[] = []
      for (const concurrency of CONCURRENCIES) {
        throughput.push(await measureThroughput(settings, concurrency))
        process.stderr.write(
          `[${elapsed()}] ${kind} c=${concurrency}: ${throughput.at(-1)!.jobsPerSecond} jobs/s\n`
        )
      }
      const delayed = await measureLateness(settings, 10)
      process.stderr.write(
        `[${elapsed()}] ${kind} delayed: p50 ${delayed.p50Ms} ms, p99 ${delayed.p99Ms} ms\n`
      )
      results[kind] = { throughput, delayed }
    }
  } finally {
    await embedded?.stop()
  }

  const report = {
    benchmark: 'queue',
    at: new Date().toISOString(),
    host: { hostname: hostname(), cpus: cpus().length, node: process.version },
    bullmq: createRequire(import.meta.url)('bullmq/package.json').version as string,
    settings: { jobs: JOBS, delayedJobs: DELAYED_JOBS, ...LOCK, removeOnComplete: true },
    results,
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n\n`)
  printTable(results)
}

function manager(settings: BackendSettings) {
  return new QueueManager({ kind: settings.kind, settings: () => settings })
}

async function measureThroughput(
  settings: BackendSettings,
  concurrency: number
): Promise<ThroughputResult> {
  const queues = manager(settings)
  const name = `bench-${RUN}-c${concurrency}`
  let processed = 0
  let finish: () => void = () => {}
  const finished = new Promise<void>((done) => (finish = done))
  const noop = defineJob({
    name: 'noop',
    queue: name,
    options: { attempts: 1 },
    handler: async () => {
      if (++processed === JOBS) finish()
    },
  })
  const queue = await queues.getQueue(name)
  try {
    for (let added = 0; added < JOBS; added += 5000) {
      const size = Math.min(5000, JOBS - added)
      await queue.addBulk(
        Array.from({ length: size }, () => ({ name: 'noop', data: {}, opts: { attempts: 1 } }))
      )
    }
    const runner = new WorkerRunner(queues, { jobs: [noop], concurrency, ...LOCK })
    const started = performance.now()
    await runner.start()
    await finished
    const seconds = (performance.now() - started) / 1000
    await runner.stop()
    const counts = await queue.getJobCounts('failed')
    const failed = counts.failed ?? 0
    return {
      concurrency,
      jobs: JOBS,
      seconds: round(seconds, 2),
      jobsPerSecond: Math.round(JOBS / seconds),
      failed,
    }
  } finally {
    await queue.obliterate({ force: true }).catch(() => {})
    await queues.close()
  }
}

async function measureLateness(
  settings: BackendSettings,
  concurrency: number
): Promise<LatenessResult> {
  const queues = manager(settings)
  const name = `bench-${RUN}-delayed`
  const lateness: number[] = []
  let due = 0
  let finish: () => void = () => {}
  const finished = new Promise<void>((done) => (finish = done))
  const probe = defineJob({
    name: 'due',
    queue: name,
    options: { attempts: 1 },
    handler: async () => {
      lateness.push(Date.now() - due)
      if (lateness.length === DELAYED_JOBS) finish()
    },
  })
  const runner = new WorkerRunner(queues, { jobs: [probe], concurrency, ...LOCK })
  try {
    await runner.start()
    const queue = await queues.getQueue(name)
    due = Date.now() + 5000
    const now = Date.now()
    await queue.addBulk(
      Array.from({ length: DELAYED_JOBS }, () => ({
        name: 'due',
        data: {},
        opts: { attempts: 1, timestamp: now, delay: due - now },
      }))
    )
    await Promise.race([
      finished,
      sleep(60_000, undefined, { ref: false }).then(() => {
        throw new Error('delayed jobs did not all run within 60 s')
      }),
    ])
    await runner.stop()
    const sorted = [...lateness].sort((a, b) => a - b)
    return {
      jobs: DELAYED_JOBS,
      concurrency,
      minMs: sorted[0],
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.at(-1)!,
      early: sorted.filter((value) => value < 0).length,
    }
  } finally {
    await runner.stop()
    const queue = await queues.getQueue(name)
    await queue.obliterate({ force: true }).catch(() => {})
    await queues.close()
  }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

function round(value: number, digits: number) {
  return Number(value.toFixed(digits))
}

function printTable(
  results: Record<string, { throughput: ThroughputResult[]; delayed: LatenessResult }>
) {
  const rows = [
    [
      'backend',
      'c=1 jobs/s',
      'c=10 jobs/s',
      'c=50 jobs/s',
      'failed',
      `${DELAYED_JOBS} delayed p50 / p99 / max (ms)`,
    ],
  ]
  for (const [kind, result] of Object.entries(results)) {
    const byConcurrency = (c: number) =>
      String(result.throughput.find((entry) => entry.concurrency === c)?.jobsPerSecond ?? '-')
    rows.push([
      kind,
      byConcurrency(1),
      byConcurrency(10),
      byConcurrency(50),
      String(result.throughput.reduce((sum, entry) => sum + entry.failed, 0)),
      `${result.delayed.p50Ms} / ${result.delayed.p99Ms} / ${result.delayed.maxMs}`,
    ])
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  for (const row of rows) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column])).join('  ')}\n`)
  }
}

await main()
