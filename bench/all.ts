/**
 * `npm run bench`: every benchmark, one after the other (each in a process of
 * its own, so none disturbs another), then the figures that matter side by
 * side with their targets (docs/benchmarks.md). Each benchmark's JSON goes to
 * tmp/bench-results/<name>.json, the summary to tmp/bench-results/all.json.
 *
 *   npm run bench                      every benchmark (about 25 minutes)
 *   npm run bench -- queue publish     only those
 *
 * Redis figures need REDIS_URL (e.g. redis://127.0.0.1:6379); without it the
 * queue and publish benchmarks measure the PostgreSQL backend only.
 */
import { spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, hostname, totalmem } from 'node:os'
import { join } from 'node:path'

const ROOT = new URL('../', import.meta.url).pathname
const RESULTS = join(ROOT, 'tmp/bench-results')
const BENCHMARKS = ['boot', 'queue', 'publish', 'pages', 'ai', 'soak'] as const
type Name = (typeof BENCHMARKS)[number]

function run(name: Name): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', `bench/${name}.ts`], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk
      process.stdout.write(chunk)
    })
    child.on('exit', (code) => {
      // The document is the first top-level JSON object printed ("{" ... "}" at column 0)
      const lines = output.split('\n')
      const start = lines.indexOf('{')
      const end = lines.indexOf('}', start)
      if (code !== 0 || start < 0 || end < 0) {
        reject(new Error(`bench/${name}.ts exited with ${code} without its JSON`))
        return
      }
      resolve(JSON.parse(lines.slice(start, end + 1).join('\n')))
    })
  })
}

/** The figures issue 9 sets targets for, from whatever ran */
function headline(results: Partial<Record<Name, any>>) {
  const rows: Record<string, { figure: string; target: string }> = {}
  for (const [backend, figures] of Object.entries<any>(results.publish?.results ?? {})) {
    rows[`publish p99 lateness (${backend})`] = {
      figure: `${figures.create.p99Ms} ms (${figures.publishesPerSecond}/s)`,
      target: backend === 'redis' ? '≤ 1,000 ms' : '≤ 2,000 ms',
    }
    rows[`publish duplicates (${backend})`] = { figure: String(figures.duplicates), target: '0' }
  }
  const dashboard = results.pages?.pages?.['workspace dashboard']
  if (dashboard) {
    const loaded = dashboard.closedLoop as { p99Ms: number } | undefined
    rows['dashboard p99 at 50 connections'] = { figure: `${loaded?.p99Ms} ms`, target: '≤ 50 ms' }
  }
  if (results.soak) {
    rows['Herald RSS after the soak'] = {
      figure: `${results.soak.herald.rssMbAtEnd} MB`,
      target: '≤ 300 MB',
    }
    rows['PostgreSQL memory after the soak'] = {
      figure: `${results.soak.postgres.pssMbAtEnd} MB`,
      target: '(reported)',
    }
  }
  if (results.boot) {
    rows['boot to ready (later starts)'] = {
      figure: `${results.boot.laterStarts.ready.p50Ms} ms`,
      target: '(reported)',
    }
  }
  return rows
}

async function main() {
  const asked = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
  const names = BENCHMARKS.filter((name) => asked.length === 0 || asked.includes(name))
  await mkdir(RESULTS, { recursive: true })
  const results: Partial<Record<Name, any>> = {}
  const failed: string[] = []
  for (const name of names) {
    process.stderr.write(`\n=== bench/${name}.ts\n`)
    try {
      results[name] = await run(name)
      await writeFile(join(RESULTS, `${name}.json`), JSON.stringify(results[name], null, 2))
    } catch (error) {
      failed.push(name)
      process.stderr.write(`${(error as Error).message}\n`)
    }
  }
  const summary = {
    machine: {
      host: hostname(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    at: new Date().toISOString(),
    headline: headline(results),
    failed,
  }
  await writeFile(join(RESULTS, 'all.json'), JSON.stringify({ ...summary, results }, null, 2))
  process.stderr.write('\n=== summary (tmp/bench-results/all.json)\n')
  console.table(summary.headline)
  if (failed.length) {
    console.error(`Failed: ${failed.join(', ')}`)
    process.exitCode = 1
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
