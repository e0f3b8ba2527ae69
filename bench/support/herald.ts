/**
 * What the benchmarks that drive a whole Herald share: Herald as a child
 * process (bin/server.ts in production mode, its own embedded PostgreSQL),
 * a signed-in session speaking HTTP like a browser (cookies, CSRF), X
 * accounts connected through the real OAuth flow against the fake X (in a
 * process of its own), and memory readings from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile, readdir, stat, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import type { FakeXProcess } from './fake_x_client.ts'

export const ROOT = new URL('../../', import.meta.url).pathname
export const PASSWORD = 'bench horse battery staple'
export const EMAIL = 'bench@agency.test'

export interface HeraldOptions {
  port: number
  pgPort: number
  /** Folder for storage and the embedded PostgreSQL */
  data: string
  database: string
  workers: 'inline' | 'off'
  env?: Record<string, string>
  /**
   * `built`: the compiled build/ (`node bin/server.js`, as the Docker image
   * runs it; see ensureBuild); `source`: TypeScript through the loader, as
   * `npm start` runs it. Default `built`.
   */
  runtime?: 'built' | 'source'
}

export interface Herald {
  child: ChildProcess
  base: string
  options: HeraldOptions
  /** From spawn to the first 200 from /ready */
  readyMs: number
  stop(): Promise<void>
}

/** V8 flags Herald runs with in production (Dockerfile ENV NODE_OPTIONS, `npm start`) */
export const HERALD_NODE_OPTIONS = '--max-semi-space-size=8'

/** Starts Herald and waits until /ready answers (migrations applied, workers started) */
export async function startHerald(options: HeraldOptions): Promise<Herald> {
  const base = `http://127.0.0.1:${options.port}`
  const started = performance.now()
  const built = (options.runtime ?? 'built') === 'built'
  if (built) await ensureBuild()
  const args = built ? ['bin/server.js'] : ['--import=@poppinss/ts-exec', 'bin/server.ts']
  const child = spawn(process.execPath, args, {
    cwd: built ? join(ROOT, 'build') : ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(options.port),
      HOST: '127.0.0.1',
      APP_URL: base,
      LOG_LEVEL: 'warn',
      STORAGE_DIR: options.data,
      EMBEDDED_PG_DIR: join(options.data, 'postgres'),
      EMBEDDED_PG_PORT: String(options.pgPort),
      DB_NAME: options.database,
      WORKERS: options.workers,
      REDIS_URL: '',
      // What the Dockerfile and `npm start` set; BENCH_HERALD_NODE_OPTIONS replaces it, e.g.
      // "--max-semi-space-size=8 --cpu-prof --cpu-prof-dir=tmp/prof" to profile Herald alone.
      NODE_OPTIONS: process.env.BENCH_HERALD_NODE_OPTIONS ?? HERALD_NODE_OPTIONS,
      ...options.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Herald exited with ${child.exitCode}`)
    const ok = await fetch(`${base}/ready`).then(
      (response) => response.ok,
      () => false
    )
    if (ok) {
      const readyMs = Math.round(performance.now() - started)
      return {
        child,
        base,
        options,
        readyMs,
        async stop() {
          if (child.exitCode !== null) return
          const exited = new Promise((done) => child.once('exit', done))
          child.kill('SIGINT')
          await exited
        },
      }
    }
    await sleep(100)
  }
  child.kill('SIGINT')
  throw new Error('Herald did not become ready in 180 s')
}

const SOURCES = ['app', 'bin', 'config', 'database', 'plugins', 'resources', 'start', 'packages']

async function newestSource(path: string): Promise<number> {
  const info = await stat(path)
  if (!info.isDirectory()) return info.mtimeMs
  let newest = 0
  for (const entry of await readdir(path)) {
    if (entry === 'node_modules' || entry === 'build' || entry === 'tests') continue
    newest = Math.max(newest, await newestSource(join(path, entry)))
  }
  return newest
}

/**
 * Compiles Herald (`npm run build`) when build/ is missing or older than a
 * source file, and lets build/ use the checkout's node_modules (the Docker
 * image installs production dependencies there instead).
 */
export async function ensureBuild() {
  const server = join(ROOT, 'build/bin/server.js')
  const builtAt = await stat(server).then(
    (info) => info.mtimeMs,
    () => 0
  )
  let newest = 0
  for (const folder of SOURCES) newest = Math.max(newest, await newestSource(join(ROOT, folder)))
  if (builtAt < newest) {
    process.stderr.write('compiling Herald (npm run build)...\n')
    await new Promise<void>((done, fail) => {
      const build = spawn('npm', ['run', 'build'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      })
      build.once('exit', (code) =>
        code === 0 ? done() : fail(new Error(`npm run build exited with ${code}`))
      )
    })
  }
  await symlink('../node_modules', join(ROOT, 'build/node_modules')).catch((error) => {
    if (error.code !== 'EEXIST') throw error
  })
}

/** Cookies and CSRF token of one signed-in person */
export class Session {
  readonly jar = new Map<string, string>()
  csrf = ''

  constructor(readonly base: string) {}

  cookie() {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async fetch(path: string, init: RequestInit = {}) {
    const url = path.startsWith('http') ? path : `${this.base}${path}`
    const sameOrigin = url.startsWith(this.base)
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        ...(sameOrigin ? { 'cookie': this.cookie(), 'x-csrf-token': this.csrf } : {}),
      },
    })
    if (sameOrigin) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';')
        const at = pair.indexOf('=')
        this.jar.set(pair.slice(0, at), pair.slice(at + 1))
      }
    }
    return response
  }

  /** Follows redirects (across origins, as a browser does through OAuth) to the last page */
  async follow(path: string) {
    let response = await this.fetch(path)
    for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops++) {
      const location = response.headers.get('location')!
      response = await this.fetch(new URL(location, response.url || this.base).toString())
    }
    return response
  }

  remember(html: string) {
    const token = /name=["']_csrf["'] value=["']([^"']+)["']/.exec(html)?.[1]
    if (token) this.csrf = token
  }

  async form(path: string, fields: Record<string, string>) {
    return this.fetch(path, {
      method: 'POST',
      body: new URLSearchParams({ ...fields, _csrf: this.csrf }),
    })
  }
}

/** Signs in the bench admin (creating it through /setup on a fresh database) */
export async function signIn(base: string) {
  const session = new Session(base)
  const setup = await session.fetch('/setup')
  if (setup.status === 200) {
    session.remember(await setup.text())
    await session.form('/setup', {
      fullName: 'Bench Admin',
      email: EMAIL,
      password: PASSWORD,
      passwordConfirmation: PASSWORD,
    })
  } else {
    const login = await session.fetch('/login')
    session.remember(await login.text())
    const answer = await session.form('/login', { email: EMAIL, password: PASSWORD })
    if (answer.status !== 302) throw new Error(`sign-in answered ${answer.status}`)
  }
  const home = await session.fetch('/')
  session.remember(await home.text())
  return session
}

/** Creates a workspace through the UI unless it exists */
export async function ensureWorkspace(session: Session, slug: string, name: string) {
  const existing = await session.fetch(`/w/${slug}`)
  await existing.text()
  if (existing.status === 200) return
  const form = await session.fetch('/workspaces/new')
  session.remember(await form.text())
  const created = await session.form('/workspaces', { name, slug, timezone: 'Europe/Berlin' })
  if (created.status !== 302) throw new Error(`creating ${slug} answered ${created.status}`)
}

/** Connects the fake X's user to a workspace through the real OAuth flow */
export async function connectX(session: Session, slug: string) {
  const done = await session.follow(`/w/${slug}/accounts/connect/x`)
  const html = await done.text()
  if (done.status !== 200 || !html.includes('@')) {
    throw new Error(`connecting X answered ${done.status}`)
  }
}

/** Environment that points Herald's X plugin at a fake (names from the plugin's manifest) */
export async function xPluginEnv(fake: FakeXProcess) {
  const manifest = JSON.parse(await readFile(join(ROOT, 'plugins/x/package.json'), 'utf8'))
  const settings = (await fake.ask('settings')) as Record<string, string>
  const env: Record<string, string> = {}
  for (const field of manifest.herald.settings as { name: string; env?: string }[]) {
    if (field.env && settings[field.name]) env[field.env] = settings[field.name]
  }
  return env
}

/** A client on Herald's embedded PostgreSQL (its credentials file) */
export async function database(data: string, port: number, name: string) {
  const credentials = JSON.parse(
    await readFile(join(data, 'postgres/herald-credentials.json'), 'utf8')
  )
  const client = new pg.Client({ host: '127.0.0.1', port, database: name, ...credentials })
  await client.connect()
  return client
}

/** Resident memory of a process, in MB (VmRSS) */
export async function rssMb(pid: number) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 102.4) / 10
}

/**
 * Memory of the embedded PostgreSQL (postmaster and every backend): the sum
 * of their proportional set sizes (shared buffers counted once, not once per
 * backend, which summing RSS would do), in MB, and the process count.
 */
export async function postgresMemory(data: string) {
  const pidFile = await readFile(join(data, 'postgres/postmaster.pid'), 'utf8')
  const postmaster = Number(pidFile.split('\n')[0])
  const pids = [postmaster]
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const line = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    const parent = Number(line.slice(line.lastIndexOf(')') + 2).split(' ')[1])
    if (parent === postmaster) pids.push(Number(entry))
  }
  let pssKb = 0
  for (const pid of pids) {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '')
    pssKb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0)
  }
  return { pssMb: Math.round(pssKb / 102.4) / 10, processes: pids.length }
}

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return 0
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)]
}

export function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  const round = (value: number) => Math.round(value * 10) / 10
  return {
    n: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
  }
}
