/**
 * Fault injection: Herald's promise under failure. Each scenario publishes
 * posts to the fake X through real worker processes (`node ace queue:work`)
 * while something breaks, then checks the two rules:
 *   - no post appears twice at the fake;
 *   - 120 s after its time no target sits in `queued` or `publishing`: each is
 *     published, failed, unknown (never resent blindly) or waiting for a
 *     reason shown in the UI.
 *
 *   npm run chaos            every scenario, both backends when redis-server is installed
 *   npm run chaos -- --quick one round of each (what CI runs)
 *   CHAOS_WORKER_LOG=tmp/workers.log  also keeps every worker's output
 *   CHAOS_ONLY=kill CHAOS_BACKEND=postgres CHAOS_ROUNDS=10  one scenario, one backend, 10 rounds
 *
 * Scenarios: a worker killed with SIGKILL mid-publish (x20 in flight), a
 * PostgreSQL restart, a Redis restart (Redis backend), an app restart with
 * posts due, commit-then-hang at the platform, duplicate submits.
 * Everything runs on its own embedded PostgreSQL (tmp/chaos-postgres, port
 * CHAOS_PG_PORT, default 54399) and Redis (CHAOS_REDIS_PORT, default 6399).
 * Prints one JSON document, then a table; exits 1 when a rule is broken.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { appendFileSync, mkdirSync, rmSync } from 'node:fs'
import { cpus, hostname } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const QUICK = process.argv.includes('--quick')
const ROUNDS = QUICK ? 1 : Number(process.env.CHAOS_ROUNDS ?? 3)
const ROOT = new URL('../', import.meta.url).pathname
const RUN = Date.now().toString(36)
/** CHAOS_ONLY=kill,hang runs those scenarios (kill, postgres, redis, app, hang, double) */
const ONLY = process.env.CHAOS_ONLY?.split(',').map((name) => name.trim())
/** CHAOS_BACKEND=postgres|redis runs one backend */
const ONLY_BACKEND = process.env.CHAOS_BACKEND
const runs = (scenario: string) => !ONLY || ONLY.includes(scenario)
const PG_PORT = Number(process.env.CHAOS_PG_PORT ?? 54399)
const REDIS_PORT = Number(process.env.CHAOS_REDIS_PORT ?? 6399)
/** The rule's window: every target settled this long after its time */
const SETTLE_MS = 120_000

/** What worker processes run with: fast leases and reconciliation, so a test round is short */
const WORKER_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  WORKERS: 'off',
  PUBLISH_CONCURRENCY: '20',
  PUBLISH_LEASE_SECONDS: '10',
  PUBLISH_RECONCILE_SECONDS: '5',
  PUBLISH_ORPHAN_GRACE_SECONDS: '15',
}

interface ScenarioResult {
  scenario: string
  backend: string
  targets: number
  published: number
  unknown: number
  failed: number
  /** Still queued or publishing 120 s after its time (must be 0) */
  stuck: number
  /** Posts that appeared twice at the fake (must be 0) */
  duplicates: number
  /** Seconds from the last due time until every target settled */
  settledAfterSeconds: number
  /** Every state the targets ended in (after the look-up of unknown outcomes) */
  states: Record<string, number>
}

async function main() {
  const { EmbeddedPostgres } = await import('#services/embedded_postgres')
  const { createDatabaseIfMissing } = await import('#services/database_server')
  const pg = new EmbeddedPostgres({
    dataDir: join(ROOT, 'tmp/chaos-postgres'),
    port: PG_PORT,
    logFile: join(ROOT, 'tmp/chaos-postgres.log'),
  })
  const address = await pg.ensureRunning()
  await createDatabaseIfMissing(address, 'herald_chaos')
  const databaseUrl = `postgres://${encodeURIComponent(address.user)}:${encodeURIComponent(address.password)}@127.0.0.1:${address.port}/herald_chaos`

  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    STORAGE_DIR: 'tmp/chaos-storage',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    WORKERS: 'off',
    PUBLISH_LEASE_SECONDS: '10',
  })
  delete process.env.REDIS_URL
  await import('reflect-metadata')
  const { Ignitor } = await import('@adonisjs/core')
  const { APP_ROOT, importer, tapApp } = await import('#start/ignite')
  const app = new Ignitor(APP_ROOT, { importer }).tap(tapApp).createApp('console')
  await app.init()
  await app.boot()
  await app.start(() => {})

  const redis = hasRedis() ? new RedisServer() : undefined
  if (!redis) process.stderr.write('redis-server is not installed: PostgreSQL backend only.\n')
  const results: ScenarioResult[] = []
  const lab = new Lab(app, databaseUrl, pg, redis)
  try {
    await lab.prepare()
    const backends = (redis ? (['postgres', 'redis'] as const) : (['postgres'] as const)).filter(
      (backend) => !ONLY_BACKEND || backend === ONLY_BACKEND
    )
    for (const backend of backends) {
      if (backend === 'redis') await redis!.start()
      await lab.use(backend)
      if (runs('kill')) {
        for (let round = 1; round <= ROUNDS; round++) results.push(await lab.killNine(round))
      }
      if (runs('postgres')) results.push(await lab.databaseRestart())
      if (backend === 'redis' && runs('redis')) results.push(await lab.redisRestart())
      if (runs('app')) results.push(await lab.appRestart())
      if (runs('hang')) results.push(await lab.commitThenHang())
      if (runs('double')) results.push(await lab.duplicateSubmits())
      await lab.release()
    }
  } finally {
    await lab.close()
    await app.terminate()
    await redis?.stop()
    await pg.stop()
  }

  const broken = results.filter((result) => result.duplicates > 0 || result.stuck > 0)
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'chaos',
        at: new Date().toISOString(),
        host: { hostname: hostname(), cpus: cpus().length, node: process.version },
        quick: QUICK,
        rules: { duplicates: 0, stuckAfterSeconds: SETTLE_MS / 1000 },
        results,
        passed: broken.length === 0,
      },
      null,
      2
    )}\n\n`
  )
  printTable(results)
  if (broken.length > 0) process.exitCode = 1
}

type App = Awaited<ReturnType<InstanceType<typeof import('@adonisjs/core').Ignitor>['createApp']>>

/** The scenarios' shared machinery: the fake X, the workspace, worker processes, the queue */
class Lab {
  #fake?: InstanceType<typeof import('#tests/fakes/x').FakeX>
  #workers: Worker[] = []
  #backend: 'postgres' | 'redis' = 'postgres'
  #restore?: () => void
  #manager?: InstanceType<typeof import('#queue/queue_manager').QueueManager>
  #context?: { workspace: any; owner: any; account: any; access: any }
  #sequence = 0

  constructor(
    private app: App,
    private databaseUrl: string,
    private pg: InstanceType<typeof import('#services/embedded_postgres').EmbeddedPostgres>,
    private redis?: RedisServer
  ) {}

  async prepare() {
    const db = await this.app.container.make('lucid.db')
    const { MigrationRunner } = await import('@adonisjs/lucid/migration')
    const migrator = new MigrationRunner(db, this.app, { direction: 'up', dryRun: false })
    await migrator.run()
    if (migrator.error) throw migrator.error

    const { FakeX, FAKE_X_TOKENS, FAKE_X_USER } = await import('#tests/fakes/x')
    this.#fake = new FakeX()
    await this.#fake.start()
    const { PluginRegistry } = await import('#plugin_host/registry')
    const registry = await this.app.container.make(PluginRegistry)
    for (const field of registry.find('x')!.manifest!.settings) {
      const value = (this.#fake.settings() as Record<string, string>)[field.name]
      if (field.env && value) process.env[field.env] = value
    }

    const { default: User } = await import('#models/user')
    const { default: Workspace } = await import('#models/workspace')
    const { default: SocialAccount } = await import('#models/social_account')
    const { AccountTokens } = await import('#services/account_tokens')
    const { WorkspaceAccess } = await import('#services/workspace_access')
    const { DateTime } = await import('luxon')
    const owner = await User.create({
      fullName: 'Chaos Owner',
      email: `chaos-${RUN}@agency.test`,
      password: 'chaos password 1234',
      isAdmin: true,
    })
    const workspace = await Workspace.create({
      name: `Chaos ${RUN}`,
      slug: `chaos-${RUN}`,
      timezone: 'UTC',
    })
    const account = await SocialAccount.create({
      workspaceId: workspace.id,
      pluginId: 'x',
      externalId: FAKE_X_USER.id,
      handle: FAKE_X_USER.username,
      displayName: 'Chaos on X',
      scopes: [...FAKE_X_TOKENS.scopes],
      status: 'active',
      meta: {},
      connectedAt: DateTime.now(),
    })
    // The fake holds these tokens again after every reset (each scenario starts with one).
    const vault = await this.app.container.make(AccountTokens)
    await vault.store(account, {
      accessToken: FAKE_X_TOKENS.accessToken,
      refreshToken: FAKE_X_TOKENS.refreshToken,
      expiresAt: new Date(Date.now() + 7_000_000),
    })
    this.#context = {
      workspace,
      owner,
      account,
      access: new WorkspaceAccess(workspace, 'owner', false),
    }
  }

  /** Routes this process's dispatches and the workers to a backend */
  async use(backend: 'postgres' | 'redis') {
    this.#backend = backend
    const { QueueManager } = await import('#queue/queue_manager')
    const { useQueueManager } = await import('#queue/queues')
    const { parseDatabaseUrl } = await import('#services/database_server')
    this.#manager = new QueueManager({
      kind: backend,
      settings: () =>
        backend === 'redis'
          ? { kind: 'redis', url: this.redis!.url, prefix: `chaos-${RUN}` }
          : {
              kind: 'postgres',
              appConnection: parseDatabaseUrl(this.databaseUrl),
              embedded: false,
              poolMax: 12,
            },
    })
    this.#restore = useQueueManager(this.#manager)
  }

  async release() {
    for (const worker of this.#workers) worker.kill('SIGKILL')
    this.#workers = []
    const manager = this.#manager!
    for (const queue of manager.openQueues) await queue.obliterate({ force: true }).catch(() => {})
    this.#restore?.()
    await manager.close()
  }

  async close() {
    for (const worker of this.#workers) worker.kill('SIGKILL')
    await this.#fake?.stop()
  }

  async startWorker(): Promise<Worker> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...WORKER_ENV,
      APP_KEY: process.env.APP_KEY,
      DATABASE_URL: this.databaseUrl,
      QUEUE_PREFIX: `chaos-${RUN}`,
    }
    if (this.#backend === 'redis') env.REDIS_URL = this.redis!.url
    else delete env.REDIS_URL
    const worker = new Worker(env)
    await worker.ready()
    this.#workers.push(worker)
    return worker
  }

  /** Posts due at `dueAt`, one X target each; the target ids */
  async compose(count: number, dueAt: Date, intent: 'schedule' | 'publish_now' = 'schedule') {
    const { ComposePost } = await import('#actions/posts/compose_post')
    const { default: PostTarget } = await import('#models/post_target')
    const { DateTime } = await import('luxon')
    const compose = await this.app.container.make(ComposePost)
    const ids: number[] = []
    for (let index = 0; index < count; index++) {
      const result = await compose.execute(this.#context!.access, this.#context!.owner, {
        baseText: `Chaos ${RUN} post ${++this.#sequence}`,
        mediaIds: [],
        targets: [{ accountId: this.#context!.account.id, parts: null }],
        intent,
        scheduleAt: intent === 'schedule' ? DateTime.fromJSDate(dueAt) : undefined,
      })
      if (!result.ok) throw new Error(JSON.stringify(result.errors))
      const [target] = await PostTarget.query().where('post_id', result.post.id)
      ids.push(target.id)
    }
    return ids
  }

  /** Waits until every target settled (or the window ends); the scenario's figures */
  async settle(scenario: string, ids: number[], lastDue: Date): Promise<ScenarioResult> {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const deadline = lastDue.getTime() + SETTLE_MS
    let statuses: Record<string, number> = {}
    let settledAt = Date.now()
    while (true) {
      const rows = await db
        .from('post_targets')
        .whereIn('id', ids)
        .groupBy('status')
        .select('status')
        .count('* as total')
        .catch(() => [])
      statuses = Object.fromEntries(rows.map((row) => [row.status, Number(row.total)]))
      const moving = (statuses.queued ?? 0) + (statuses.publishing ?? 0) + (statuses.scheduled ?? 0)
      settledAt = Date.now()
      if (rows.length > 0 && moving === 0) break
      if (Date.now() > deadline) break
      await sleep(500)
    }
    // An unknown outcome is final for the rule, but Herald then looks the post up (findPublished):
    // wait for that too, to show it ends published rather than sent again.
    const lookUpUntil = Date.now() + 45_000
    while ((statuses.unknown ?? 0) > 0 && Date.now() < lookUpUntil) {
      await sleep(1000)
      const rows = await db
        .from('post_targets')
        .whereIn('id', ids)
        .groupBy('status')
        .select('status')
        .count('* as total')
      statuses = Object.fromEntries(rows.map((row) => [row.status, Number(row.total)]))
    }
    const texts = this.#fake!.tweets.map((tweet) => tweet.text)
    const result: ScenarioResult = {
      scenario,
      backend: this.#backend,
      targets: ids.length,
      published: statuses.published ?? 0,
      unknown: statuses.unknown ?? 0,
      failed: statuses.failed ?? 0,
      stuck: (statuses.queued ?? 0) + (statuses.publishing ?? 0) + (statuses.scheduled ?? 0),
      duplicates: texts.length - new Set(texts).size,
      settledAfterSeconds: Math.max(0, Math.round((settledAt - lastDue.getTime()) / 100) / 10),
      states: statuses,
    }
    process.stderr.write(`${this.#backend} ${scenario}: ${JSON.stringify(result)}\n`)
    return result
  }

  async killNine(round: number) {
    this.#fake!.reset()
    this.#fake!.latencyMs = 2500
    const victim = await this.startWorker()
    const due = new Date(Date.now() + 1000)
    const ids = await this.compose(20, due)
    await waitUntil(
      () => this.#fake!.requestsTo('tweets.create').length >= 10,
      30_000,
      () => `10 posts in flight (the worker said: ${victim.lines.slice(-8).join(' | ')})`
    )
    victim.kill('SIGKILL')
    this.#workers = this.#workers.filter((worker) => worker !== victim)
    await this.startWorker()
    const result = await this.settle(`kill -9 mid-publish x20 (round ${round})`, ids, due)
    await this.stopWorkers()
    return result
  }

  async databaseRestart() {
    this.#fake!.reset()
    this.#fake!.latencyMs = 150
    await this.startWorker()
    const start = Date.now()
    const ids = [
      ...(await this.compose(15, new Date(start + 4000))),
      ...(await this.compose(15, new Date(start + 9000))),
    ]
    await sleep(Math.max(0, start + 5000 - Date.now()))
    await this.pg.stop()
    await sleep(3000)
    await this.pg.ensureRunning()
    const result = await this.settle('PostgreSQL restart', ids, new Date(start + 9000))
    await this.stopWorkers()
    return result
  }

  async redisRestart() {
    this.#fake!.reset()
    this.#fake!.latencyMs = 150
    await this.startWorker()
    const start = Date.now()
    const ids = [
      ...(await this.compose(15, new Date(start + 4000))),
      ...(await this.compose(15, new Date(start + 9000))),
    ]
    await sleep(Math.max(0, start + 5000 - Date.now()))
    await this.redis!.kill()
    await sleep(3000)
    await this.redis!.start()
    const result = await this.settle('Redis restart (kill -9)', ids, new Date(start + 9000))
    await this.stopWorkers()
    return result
  }

  async appRestart() {
    this.#fake!.reset()
    this.#fake!.latencyMs = 150
    const due = new Date(Date.now() + 2000)
    const ids = await this.compose(20, due)
    await sleep(8000)
    await this.startWorker()
    const result = await this.settle('app restart with posts due', ids, due)
    await this.stopWorkers()
    return result
  }

  async commitThenHang() {
    this.#fake!.reset()
    this.#fake!.latencyMs = 150
    this.#fake!.commitThenHang('tweets.create', { times: 5 })
    await this.startWorker()
    const due = new Date(Date.now() + 1500)
    const ids = await this.compose(10, due)
    const result = await this.settle('commit-then-hang at X', ids, due)
    await this.stopWorkers()
    return result
  }

  async duplicateSubmits() {
    this.#fake!.reset()
    this.#fake!.latencyMs = 150
    await this.startWorker()
    const { ComposePost } = await import('#actions/posts/compose_post')
    const { default: PostTarget } = await import('#models/post_target')
    const compose = await this.app.container.make(ComposePost)
    const due = new Date()
    const ids: number[] = []
    for (let index = 0; index < 10; index++) {
      const draft = await compose.execute(this.#context!.access, this.#context!.owner, {
        baseText: `Chaos ${RUN} double ${++this.#sequence}`,
        mediaIds: [],
        targets: [{ accountId: this.#context!.account.id, parts: null }],
        intent: 'save',
      })
      if (!draft.ok) throw new Error(JSON.stringify(draft.errors))
      const input = {
        baseText: draft.post.baseText,
        mediaIds: [],
        targets: [{ accountId: this.#context!.account.id, parts: null }],
        intent: 'publish_now' as const,
      }
      // Two clicks of "publish now", and a third a moment later.
      await Promise.all([
        compose.execute(this.#context!.access, this.#context!.owner, input, draft.post),
        compose.execute(this.#context!.access, this.#context!.owner, input, draft.post),
      ])
      await compose.execute(this.#context!.access, this.#context!.owner, input, draft.post)
      const [target] = await PostTarget.query().where('post_id', draft.post.id)
      ids.push(target.id)
    }
    const result = await this.settle('duplicate submits', ids, due)
    await this.stopWorkers()
    return result
  }

  async stopWorkers() {
    await Promise.all(this.#workers.map((worker) => worker.stop()))
    this.#workers = []
  }
}

/** A `node ace queue:work` process */
class Worker {
  readonly lines: string[] = []
  #child: ChildProcess
  #exited: Promise<void>

  constructor(env: NodeJS.ProcessEnv) {
    this.#child = spawn(process.execPath, ['ace.js', 'queue:work'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const logFile = process.env.CHAOS_WORKER_LOG
    const keep = (chunk: Buffer) => {
      // CHAOS_WORKER_LOG=path keeps every worker's output for a post-mortem.
      if (logFile) appendFileSync(logFile, chunk)
      this.lines.push(...chunk.toString().split('\n').filter(Boolean))
      if (this.lines.length > 500) this.lines.splice(0, this.lines.length - 500)
    }
    this.#child.stdout!.on('data', keep)
    this.#child.stderr!.on('data', keep)
    this.#exited = new Promise((done) => this.#child.once('exit', () => done()))
  }

  async ready() {
    await waitUntil(
      () => this.lines.some((line) => line.includes('queue workers started')),
      60_000,
      () => `a worker to start (it said: ${this.lines.slice(-5).join(' | ')})`
    )
  }

  kill(signal: NodeJS.Signals) {
    this.#child.kill(signal)
  }

  async stop() {
    this.#child.kill('SIGTERM')
    await Promise.race([this.#exited, sleep(30_000)])
    this.#child.kill('SIGKILL')
  }
}

/** A redis-server of the chaos run, with an append-only file (what production runs) */
class RedisServer {
  #child?: ChildProcess
  readonly url = `redis://127.0.0.1:${REDIS_PORT}`
  readonly dir = join(ROOT, `tmp/chaos-redis-${RUN}`)

  async start() {
    mkdirSync(this.dir, { recursive: true })
    this.#child = spawn(
      'redis-server',
      [
        '--port',
        String(REDIS_PORT),
        '--bind',
        '127.0.0.1',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' }
    )
    await waitUntil(
      () =>
        spawnSync('redis-cli', ['-p', String(REDIS_PORT), 'ping'])
          .stdout?.toString()
          .trim() === 'PONG',
      10_000
    )
  }

  async kill() {
    const child = this.#child
    if (!child) return
    const exited = new Promise((done) => child.once('exit', done))
    child.kill('SIGKILL')
    await exited
  }

  async stop() {
    await this.kill()
    rmSync(this.dir, { recursive: true, force: true })
  }
}

function hasRedis() {
  return spawnSync('redis-server', ['--version']).status === 0
}

async function waitUntil(probe: () => boolean, timeoutMs: number, message?: () => string) {
  const deadline = Date.now() + timeoutMs
  while (!probe()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${message?.() ?? 'a condition'}`)
    await sleep(100)
  }
}

function printTable(results: ScenarioResult[]) {
  const rows = [
    [
      'backend',
      'scenario',
      'targets',
      'published',
      'unknown',
      'failed',
      'stuck',
      'duplicates',
      'settled after',
    ],
  ]
  for (const result of results) {
    rows.push([
      result.backend,
      result.scenario,
      String(result.targets),
      String(result.published),
      String(result.unknown),
      String(result.failed),
      String(result.stuck),
      String(result.duplicates),
      `${result.settledAfterSeconds} s`,
    ])
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  for (const row of rows) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column])).join('  ')}\n`)
  }
}

await main()
