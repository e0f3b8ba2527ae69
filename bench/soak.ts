/**
 * Soak benchmark: Herald's memory after a long steady run. Herald (workers
 * inline, PostgreSQL queue, as `npm start` runs it) publishes a post to the
 * fake X every BENCH_POST_INTERVAL_MS (default 1000) through the real
 * composer form, while people browse (dashboard, calendar, posts list, a post
 * page) at BENCH_PAGE_RATE requests/s (default 10), for BENCH_SOAK_SECONDS
 * (default 600). The RSS of the Herald process and the memory of its
 * PostgreSQL (PSS of the postmaster and every backend) are sampled every
 * 10 s. Baseline from the same run: the same Herald's RSS once idle after
 * boot.
 *
 *   npm run bench:soak        (node --import=@poppinss/ts-exec bench/soak.ts)
 *
 * Data in BENCH_DATA (default tmp/bench-soak, removed first); ports BENCH_PORT (3398) and
 * BENCH_PG_PORT (54398). Prints one JSON document, then a table.
 */
import { rm } from 'node:fs/promises'
import { cpus, hostname } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { FakeXProcess } from './support/fake_x_client.ts'
import {
  ROOT,
  connectX,
  database,
  ensureWorkspace,
  postgresMemory,
  rssMb,
  signIn,
  startHerald,
  summary,
  xPluginEnv,
} from './support/herald.ts'

const PORT = Number(process.env.BENCH_PORT ?? 3398)
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54398)
const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600)
const POST_INTERVAL_MS = Number(process.env.BENCH_POST_INTERVAL_MS ?? 1000)
const PAGE_RATE = Number(process.env.BENCH_PAGE_RATE ?? 10)
const DATA = join(ROOT, process.env.BENCH_DATA ?? 'tmp/bench-soak')
const SLUG = 'soak-bakery'

async function main() {
  await rm(DATA, { recursive: true, force: true })
  const fake = await FakeXProcess.start({ p50: 100, p99: 300 })
  const herald = await startHerald({
    port: PORT,
    pgPort: PG_PORT,
    data: DATA,
    database: 'herald_bench_soak',
    workers: 'inline',
    env: await xPluginEnv(fake),
  })
  const client = await database(DATA, PG_PORT, 'herald_bench_soak')
  try {
    const session = await signIn(herald.base)
    await ensureWorkspace(session, SLUG, 'Soak Bakery')
    await connectX(session, SLUG)
    const account = await client.query(
      `SELECT a.id FROM social_accounts a JOIN workspaces w ON w.id = a.workspace_id
        WHERE w.slug = $1 AND a.plugin_id = 'x'`,
      [SLUG]
    )
    const accountId = String(account.rows[0].id)
    await sleep(3000)
    const idleRss = await rssMb(herald.child.pid!)
    const idlePostgres = await postgresMemory(DATA)
    process.stderr.write(`idle: Herald ${idleRss} MB, PostgreSQL ${idlePostgres.pssMb} MB\n`)

    const samples: {
      atS: number
      heraldRssMb: number
      postgresPssMb: number
      postgresProcesses: number
    }[] = []
    const pageTimes: number[] = []
    let posted = 0
    const pageErrors: Record<number, number> = {}
    let postErrors = 0
    const started = performance.now()
    const until = started + SECONDS * 1000
    const compose = await session.fetch(`/w/${SLUG}/compose`)
    session.remember(await compose.text())

    const posting = (async () => {
      for (let next = performance.now(); performance.now() < until; next += POST_INTERVAL_MS) {
        await sleep(Math.max(0, next - performance.now()))
        const body = new URLSearchParams({
          '_csrf': session.csrf,
          'baseText': `Soak post ${++posted}: today's sourdough is out of the oven at ${new Date().toISOString()}`,
          'accountIds[]': accountId,
          'intent': 'publish_now',
        })
        const response = await session.fetch(`/w/${SLUG}/posts`, { method: 'POST', body })
        await response.arrayBuffer()
        if (response.status !== 302) postErrors++
      }
    })()
    const pages = [`/w/${SLUG}`, `/w/${SLUG}/calendar`, `/w/${SLUG}/posts`, `/w/${SLUG}/compose`]
    const browsing = (async () => {
      const inFlight = new Set<Promise<void>>()
      for (let index = 0, next = performance.now(); performance.now() < until; index++) {
        next += 1000 / PAGE_RATE
        await sleep(Math.max(0, next - performance.now()))
        const request = (async () => {
          const at = performance.now()
          const response = await session.fetch(pages[index % pages.length])
          await response.arrayBuffer()
          if (response.status === 200) pageTimes.push(performance.now() - at)
          else pageErrors[response.status] = (pageErrors[response.status] ?? 0) + 1
        })()
        inFlight.add(request)
        request.finally(() => inFlight.delete(request))
      }
      await Promise.all(inFlight)
    })()
    const sampling = (async () => {
      while (performance.now() < until) {
        await sleep(10_000)
        const postgres = await postgresMemory(DATA)
        const sample = {
          atS: Math.round((performance.now() - started) / 1000),
          heraldRssMb: await rssMb(herald.child.pid!),
          postgresPssMb: postgres.pssMb,
          postgresProcesses: postgres.processes,
        }
        samples.push(sample)
        process.stderr.write(
          `${sample.atS} s: Herald ${sample.heraldRssMb} MB, PostgreSQL ${sample.postgresPssMb} MB, ${posted} posts\n`
        )
      }
    })()
    await Promise.all([posting, browsing, sampling])
    await sleep(5000) // the last publishes finish

    const outcome = await client.query(
      `SELECT status, count(*)::int AS n FROM post_targets GROUP BY status ORDER BY status`
    )
    const last = samples.at(-1)!
    const result = {
      benchmark: 'soak',
      host: hostname(),
      cpus: cpus().length,
      seconds: SECONDS,
      baseline: { idleHeraldRssMb: idleRss, idlePostgresPssMb: idlePostgres.pssMb },
      herald: {
        rssMbAtEnd: last.heraldRssMb,
        rssMbMax: Math.max(...samples.map((sample) => sample.heraldRssMb)),
      },
      postgres: {
        pssMbAtEnd: last.postgresPssMb,
        pssMbMax: Math.max(...samples.map((sample) => sample.postgresPssMb)),
        processes: last.postgresProcesses,
      },
      load: {
        postsSubmitted: posted,
        postErrors,
        targets: Object.fromEntries(outcome.rows.map((row) => [row.status, row.n])),
        pages: { ...summary(pageTimes), errors: pageErrors },
      },
      samples,
    }
    console.log(JSON.stringify(result, null, 2))
    console.table({
      'Herald RSS MB': {
        'idle': idleRss,
        'after soak': last.heraldRssMb,
        'max': result.herald.rssMbMax,
      },
      'PostgreSQL PSS MB': {
        'idle': idlePostgres.pssMb,
        'after soak': last.postgresPssMb,
        'max': result.postgres.pssMbMax,
      },
    })
  } finally {
    await client.end()
    await herald.stop()
    await fake.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
