/**
 * Boot benchmark: how long Herald takes from `npm start` to ready (`/ready`
 * answers: PostgreSQL up, migrations applied, workers started), on a fresh
 * data folder (first start: the embedded PostgreSQL's initdb and every
 * migration) and again on the same folder (every later start), plus its RSS
 * once idle; compiled (build/, as the Docker image runs it) and once from
 * source through the TypeScript loader (as `npm start` runs it). Baseline from the same run: a bare `node:http` server under the
 * same TypeScript loader (the floor any Node app pays).
 *
 *   npm run bench:boot        (node --import=@poppinss/ts-exec bench/boot.ts)
 *
 * Data in tmp/bench-boot (removed first), port BENCH_PORT (default 3397),
 * PostgreSQL on BENCH_PG_PORT (default 54397). BENCH_BOOTS warm starts
 * (default 3). Prints one JSON document, then a table.
 */
import { spawn } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { cpus, hostname } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ROOT, rssMb, startHerald, summary } from './support/herald.ts'

const PORT = Number(process.env.BENCH_PORT ?? 3397)
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54397)
const BOOTS = Number(process.env.BENCH_BOOTS ?? 3)
const DATA = join(ROOT, 'tmp/bench-boot')

async function bareNode() {
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [
      '--import=@poppinss/ts-exec',
      '--input-type=module',
      '-e',
      `import { createServer } from 'node:http'
       createServer((request, response) => response.end('ok')).listen(${PORT}, '127.0.0.1')`,
    ],
    { cwd: ROOT, stdio: 'ignore' }
  )
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${PORT}/`).then(
      (response) => response.ok,
      () => false
    )
    if (ok) break
    await sleep(10)
  }
  const ms = Math.round(performance.now() - started)
  const exited = new Promise((done) => child.once('exit', done))
  child.kill()
  await exited
  return ms
}

async function boot(runtime: 'built' | 'source' = 'built') {
  const herald = await startHerald({
    runtime,
    port: PORT,
    pgPort: PG_PORT,
    data: DATA,
    database: 'herald_bench_boot',
    workers: 'inline',
  })
  await sleep(3000) // idle: timers and workers settled
  const rss = await rssMb(herald.child.pid!)
  const stopping = performance.now()
  await herald.stop()
  return {
    readyMs: herald.readyMs,
    idleRssMb: rss,
    stopMs: Math.round(performance.now() - stopping),
  }
}

async function main() {
  await rm(DATA, { recursive: true, force: true })
  const baseline = await bareNode()
  const first = await boot()
  process.stderr.write(`first start: ${first.readyMs} ms\n`)
  const later = []
  for (let index = 0; index < BOOTS; index++) {
    later.push(await boot())
    process.stderr.write(`start ${index + 2}: ${later.at(-1)!.readyMs} ms\n`)
  }
  const fromSource = await boot('source')
  process.stderr.write(`npm start (TypeScript loader): ${fromSource.readyMs} ms\n`)
  const result = {
    benchmark: 'boot',
    host: hostname(),
    cpus: cpus().length,
    baseline: { bareNodeHttpReadyMs: baseline },
    firstStart: first,
    laterStarts: {
      ready: summary(later.map((run) => run.readyMs)),
      idleRssMb: Math.max(...later.map((run) => run.idleRssMb)),
      stopMs: Math.max(...later.map((run) => run.stopMs)),
    },
    fromSource,
  }
  console.log(JSON.stringify(result, null, 2))
  console.table({
    'bare node:http (baseline)': { 'ready ms': baseline, 'idle RSS MB': '', 'stop ms': '' },
    'Herald, first start (initdb + migrations)': {
      'ready ms': first.readyMs,
      'idle RSS MB': first.idleRssMb,
      'stop ms': first.stopMs,
    },
    'Herald, later starts (median)': {
      'ready ms': result.laterStarts.ready.p50Ms,
      'idle RSS MB': result.laterStarts.idleRssMb,
      'stop ms': result.laterStarts.stopMs,
    },
    'Herald from source (npm start)': {
      'ready ms': fromSource.readyMs,
      'idle RSS MB': fromSource.idleRssMb,
      'stop ms': fromSource.stopMs,
    },
  })
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
