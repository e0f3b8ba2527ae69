/**
 * Read-side benchmark: the workspace dashboard, the calendar (month, week,
 * day) and the agency dashboard of a workspace holding BENCH_POSTS posts
 * (default 100,000, two accounts each), through a real Herald server (HTTP,
 * session, middleware, queries, Edge rendering).
 *
 *   npm run bench:pages        (node --import=@poppinss/ts-exec bench/pages.ts)
 *
 * Herald runs as a child process (bin/server.ts, NODE_ENV=production,
 * WORKERS=off so the seeded schedule stays put) with its own embedded
 * PostgreSQL in tmp/bench-pages (port BENCH_PG_PORT, default 54389) on
 * BENCH_PORT (default 3396). The posts are spread over BENCH_DAYS days
 * (default 365) around today: published, failed, unknown and missed in the
 * past, scheduled and held ahead, plus drafts without a time; 20 more small
 * workspaces fill the agency dashboard. The seed is kept between runs.
 *
 * For each page: BENCH_REQUESTS (default 100) requests one at a time
 * (latency without contention), then BENCH_CONNECTIONS (default 50)
 * connections for BENCH_SECONDS (default 10) (p50/p99 under load,
 * requests/s). BENCH_EXPLAIN=1 also prints EXPLAIN ANALYZE of the pages'
 * main statements. Prints one JSON document, then a table.
 */
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { cpus, hostname } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'

const ROOT = new URL('../', import.meta.url).pathname
const PORT = Number(process.env.BENCH_PORT ?? 3396)
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54389)
const POSTS = Number(process.env.BENCH_POSTS ?? 100_000)
const DAYS = Number(process.env.BENCH_DAYS ?? 365)
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const BASE = `http://127.0.0.1:${PORT}`
const DATA = join(ROOT, 'tmp/bench-pages')
const PASSWORD = 'bench horse battery staple'
const EMAIL = 'bench@agency.test'
const SLUG = 'bench-coffee'
const ZONE = 'Europe/Berlin'

/** Cookies and CSRF token of one signed-in person */
class Session {
  readonly jar = new Map<string, string>()
  csrf = ''

  cookie() {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async fetch(path: string, init: RequestInit = {}) {
    const response = await fetch(`${BASE}${path}`, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        'cookie': this.cookie(),
        'x-csrf-token': this.csrf,
      },
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair.indexOf('=')
      this.jar.set(pair.slice(0, at), pair.slice(at + 1))
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

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return 0
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)]
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  const round = (value: number) => Math.round(value * 10) / 10
  return {
    n: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
  }
}

async function startHerald() {
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(PORT),
      HOST: '127.0.0.1',
      APP_URL: BASE,
      LOG_LEVEL: 'warn',
      STORAGE_DIR: DATA,
      EMBEDDED_PG_DIR: join(DATA, 'postgres'),
      EMBEDDED_PG_PORT: String(PG_PORT),
      DB_NAME: 'herald_bench_pages',
      WORKERS: 'off',
      REDIS_URL: '',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Herald exited with ${child.exitCode}`)
    const ok = await fetch(`${BASE}/ready`).then(
      (response) => response.ok,
      () => false
    )
    if (ok) return child
    await sleep(250)
  }
  child.kill('SIGINT')
  throw new Error('Herald did not become ready in 120 s')
}

async function signIn() {
  const session = new Session()
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
  return session
}

async function database() {
  const credentials = JSON.parse(
    await readFile(join(DATA, 'postgres/herald-credentials.json'), 'utf8')
  )
  const client = new pg.Client({
    host: '127.0.0.1',
    port: PG_PORT,
    database: 'herald_bench_pages',
    ...credentials,
  })
  await client.connect()
  return client
}

/**
 * The bench workspace and its posts, written with generate_series (a minute
 * or so for 100,000 posts); kept between runs.
 */
async function seed(client: pg.Client, session: Session) {
  const existing = await client.query('SELECT id FROM workspaces WHERE slug = $1', [SLUG])
  if (existing.rows.length) {
    const count = await client.query(
      'SELECT count(*)::int AS n FROM posts WHERE workspace_id = $1',
      [existing.rows[0].id]
    )
    if (count.rows[0].n >= POSTS) return existing.rows[0].id as number
    throw new Error(`tmp/bench-pages holds another seed; remove the folder to seed ${POSTS} posts`)
  }
  const form = await session.fetch('/workspaces/new')
  session.remember(await form.text())
  for (const [index, slug] of [
    SLUG,
    ...Array.from({ length: 20 }, (_, i) => `client-${i}`),
  ].entries()) {
    const created = await session.form('/workspaces', {
      name: index === 0 ? 'Bench Coffee' : `Client ${index}`,
      slug,
      timezone: ZONE,
    })
    if (created.status !== 302) throw new Error(`creating ${slug} answered ${created.status}`)
  }
  const started = performance.now()
  await client.query('BEGIN')
  await client.query(`
    INSERT INTO social_accounts (workspace_id, plugin_id, external_id, handle, display_name, status,
                                 connected_at, created_at, updated_at)
    SELECT w.id, p.plugin, w.slug || '-' || p.plugin, w.slug, w.name || ' on ' || p.plugin, 'active',
           now(), now(), now()
      FROM workspaces w CROSS JOIN (VALUES ('x'), ('linkedin')) AS p(plugin)`)
  // Spread over the period around now; the past went out (mostly), the future waits.
  await client.query(
    `INSERT INTO posts (workspace_id, base_text, status, scheduled_at, schedule_timezone,
                        approval_state, created_at, updated_at)
     SELECT w.id,
            'Bench post ' || g || ': fresh beans are in, our Ethiopian roast is back this week ☕ '
              || 'with a longer text like the ones people write',
            CASE WHEN t.at > now() THEN (CASE WHEN g % 20 = 0 THEN 'needs_attention' ELSE 'scheduled' END)
                 WHEN g % 100 < 3 THEN 'failed'
                 WHEN g % 100 < 5 THEN 'needs_attention'
                 ELSE 'published' END,
            t.at, $3, CASE WHEN t.at > now() AND g % 20 = 0 THEN 'pending' ELSE 'none' END,
            t.at - interval '3 days', t.at
       FROM workspaces w,
            generate_series(1, $1::int) g,
            LATERAL (SELECT now() + ((g::float / $1 - 0.5) * $2 * interval '1 day') AS at) t
      WHERE w.slug = $4`,
    [POSTS, DAYS, ZONE, SLUG]
  )
  await client.query(
    `INSERT INTO posts (workspace_id, base_text, status, approval_state, created_at, updated_at)
     SELECT w.id, 'Draft ' || g, 'draft', 'none', now(), now()
       FROM workspaces w, generate_series(1, 2000) g WHERE w.slug = $1`,
    [SLUG]
  )
  // Every other workspace: a few posts, some failed
  await client.query(
    `INSERT INTO posts (workspace_id, base_text, status, scheduled_at, schedule_timezone, approval_state,
                        created_at, updated_at)
     SELECT w.id, 'Client post ' || g, CASE WHEN g % 7 = 0 THEN 'failed' ELSE 'published' END,
            now() - g * interval '1 hour', $1, 'none', now(), now()
       FROM workspaces w, generate_series(1, 50) g WHERE w.slug <> $2`,
    [ZONE, SLUG]
  )
  await client.query(`
    INSERT INTO post_targets (post_id, workspace_id, social_account_id, plugin_id, status, due_at,
                              published_at, url, last_error, external_id, created_at, updated_at)
    SELECT p.id, p.workspace_id, a.id, a.plugin_id,
           CASE p.status WHEN 'published' THEN 'published'
                         WHEN 'failed' THEN 'failed'
                         WHEN 'scheduled' THEN 'scheduled'
                         WHEN 'draft' THEN 'draft'
                         ELSE CASE WHEN p.scheduled_at > now() THEN 'held'
                                   WHEN p.id % 2 = 0 THEN 'unknown' ELSE 'missed' END END,
           p.scheduled_at,
           CASE WHEN p.status = 'published' THEN p.scheduled_at END,
           CASE WHEN p.status = 'published' THEN 'https://x.com/bench/status/' || p.id END,
           CASE WHEN p.status IN ('failed', 'needs_attention')
                THEN 'The network refused the post: it duplicates a recent one.' END,
           CASE WHEN p.status = 'published' THEN p.id || '-' || a.id END,
           p.created_at, coalesce(p.scheduled_at, p.updated_at)
      FROM posts p JOIN social_accounts a ON a.workspace_id = p.workspace_id`)
  await client.query('COMMIT')
  await client.query('VACUUM ANALYZE posts')
  await client.query('VACUUM ANALYZE post_targets')
  await client.query('VACUUM ANALYZE social_accounts')
  process.stderr.write(`seeded in ${Math.round((performance.now() - started) / 1000)} s\n`)
  const created = await client.query('SELECT id FROM workspaces WHERE slug = $1', [SLUG])
  return created.rows[0].id as number
}

async function sequential(session: Session, path: string) {
  const times: number[] = []
  for (let index = 0; index < REQUESTS + 5; index++) {
    const started = performance.now()
    const response = await session.fetch(path)
    await response.text()
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
    if (index >= 5) times.push(performance.now() - started)
  }
  return summary(times)
}

async function underLoad(session: Session, path: string) {
  const times: number[] = []
  let errors = 0
  const until = performance.now() + SECONDS * 1000
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const started = performance.now()
        const response = await session.fetch(path)
        await response.text()
        if (response.status === 200) times.push(performance.now() - started)
        else errors++
      }
    })
  )
  return { ...summary(times), requestsPerSecond: Math.round(times.length / SECONDS), errors }
}

async function explain(client: pg.Client, workspaceId: number) {
  const plans: Record<string, string> = {
    'calendar month (per day: count + first chips)': `EXPLAIN (ANALYZE, BUFFERS)
      SELECT d.key, c.total, p.id FROM
        (SELECT to_char(d, 'YYYY-MM-DD') AS key, d AS day_start, d + interval '1 day' AS day_end
           FROM generate_series(date_trunc('month', now()) - interval '3 days',
                                date_trunc('month', now()) + interval '38 days', interval '1 day') d) d
        CROSS JOIN LATERAL (SELECT count(*)::int AS total FROM posts
           WHERE workspace_id = ${workspaceId} AND scheduled_at >= d.day_start AND scheduled_at < d.day_end) c
        LEFT JOIN LATERAL (SELECT id, scheduled_at FROM posts
           WHERE c.total > 0 AND workspace_id = ${workspaceId}
             AND scheduled_at >= d.day_start AND scheduled_at < d.day_end
           ORDER BY scheduled_at, id LIMIT 3) p ON true`,
    'dashboard: newest failed targets': `EXPLAIN (ANALYZE, BUFFERS)
      SELECT id FROM post_targets WHERE workspace_id = ${workspaceId} AND status = 'failed'
       ORDER BY updated_at DESC LIMIT 8`,
    'dashboard: attention counts': `EXPLAIN (ANALYZE, BUFFERS)
      SELECT status, count(DISTINCT post_id) FROM post_targets
       WHERE workspace_id = ${workspaceId} AND status IN ('failed','unknown','needs_reconnect','missed','held')
       GROUP BY status`,
    'dashboard: next 7 days': `EXPLAIN (ANALYZE, BUFFERS)
      SELECT p.id, count(*) OVER () FROM posts p WHERE p.workspace_id = ${workspaceId}
         AND p.scheduled_at >= now() AND p.scheduled_at < now() + interval '7 days' AND p.status <> 'draft'
       ORDER BY p.scheduled_at, p.id LIMIT 12`,
    'dashboard: published this week (count)': `EXPLAIN (ANALYZE, BUFFERS)
      SELECT count(DISTINCT post_id) FROM post_targets WHERE workspace_id = ${workspaceId}
         AND published_at IS NOT NULL AND published_at >= date_trunc('week', now())`,
  }
  for (const [name, sql] of Object.entries(plans)) {
    const result = await client.query(sql)
    process.stderr.write(
      `\n== ${name}\n${result.rows.map((row) => row['QUERY PLAN']).join('\n')}\n`
    )
  }
}

async function main() {
  const herald = await startHerald()
  const client = await database().catch(async (error) => {
    herald.kill('SIGINT')
    throw error
  })
  try {
    const session = await signIn()
    const workspaceId = await seed(client, session)
    if (process.env.BENCH_EXPLAIN) await explain(client, workspaceId)
    const pages: Record<string, string> = {
      'workspace dashboard': `/w/${SLUG}`,
      'calendar month': `/w/${SLUG}/calendar`,
      'calendar week': `/w/${SLUG}/calendar?view=week`,
      'calendar day': `/w/${SLUG}/calendar?view=day`,
      'calendar month (htmx fragment)': `/w/${SLUG}/calendar?view=month&htmx=1`,
      'agency dashboard (21 workspaces)': '/',
    }
    const results: Record<string, unknown> = {}
    for (const [name, path] of Object.entries(pages)) {
      const headers = path.includes('htmx=1') ? { 'hx-request': 'true' } : undefined
      const measured = headers
        ? { ...session, fetch: (url: string) => session.fetch(url, { headers }) }
        : session
      results[name] = {
        path,
        sequential: await sequential(measured as Session, path),
        [`${CONNECTIONS} connections`]: await underLoad(measured as Session, path),
      }
      process.stderr.write(`measured ${name}\n`)
    }
    const result = {
      benchmark: 'pages',
      host: hostname(),
      cpus: cpus().length,
      posts: POSTS,
      days: DAYS,
      pages: results,
    }
    console.log(JSON.stringify(result, null, 2))
    console.table(
      Object.fromEntries(
        Object.entries(results).map(([name, value]: [string, any]) => [
          name,
          {
            'p50 ms': value.sequential.p50Ms,
            'p99 ms': value.sequential.p99Ms,
            [`p50 ms @${CONNECTIONS}`]: value[`${CONNECTIONS} connections`].p50Ms,
            [`p99 ms @${CONNECTIONS}`]: value[`${CONNECTIONS} connections`].p99Ms,
            'req/s': value[`${CONNECTIONS} connections`].requestsPerSecond,
          },
        ])
      )
    )
  } finally {
    await client.end()
    herald.kill('SIGINT')
    await new Promise((done) => herald.once('exit', done))
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
