/**
 * Page benchmark: the workspace dashboard, the calendar (month, week, day,
 * htmx fragment), the posts list and the agency dashboard of a workspace
 * holding BENCH_POSTS posts (default 100,000, two accounts each), through a
 * real Herald (compiled, as the Docker image runs it: HTTP, session,
 * middleware, queries, Edge) while its workers publish: another workspace
 * posts to the fake X every BENCH_PUBLISH_INTERVAL_MS (default 500) through
 * the composer during every measurement.
 *
 *   npm run bench:pages        (node --import=@poppinss/ts-exec bench/pages.ts)
 *
 * Herald runs as a child process with its own embedded PostgreSQL in
 * tmp/bench-pages (port BENCH_PG_PORT, default 54389) on BENCH_PORT (default
 * 3396). The posts are spread over BENCH_DAYS days (default 365) around
 * today: published, failed, unknown and missed in the past, scheduled and
 * held ahead, plus drafts without a time; 20 more small workspaces fill the
 * agency dashboard. The seed is kept between runs.
 *
 * For each page: BENCH_REQUESTS (default 100) requests one at a time
 * (latency without contention); autocannon with BENCH_CONNECTIONS (default
 * 50) connections for BENCH_SECONDS (default 10) (closed loop: p50/p99,
 * requests/s); then an open loop at BENCH_RATE requests/s (default 20) for
 * BENCH_SECONDS, each latency counted from when its request was due to
 * leave (no coordinated omission). Baseline from the same run: a bare
 * node:http + Edge server rendering 50 escaped rows
 * (bench/support/bare_render.ts), measured the same ways. BENCH_EXPLAIN=1
 * also prints EXPLAIN ANALYZE of the pages' main statements. Prints one JSON
 * document, then a table. BENCH_PAGES="workspace dashboard,posts list" measures
 * only the pages whose names start with those.
 */
import { fork } from 'node:child_process'
import { cpus, hostname } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'
import type pg from 'pg'
import { FakeXProcess } from './support/fake_x_client.ts'
import {
  ROOT,
  type Session,
  connectX,
  database,
  ensureWorkspace,
  signIn,
  startHerald,
  summary,
  xPluginEnv,
} from './support/herald.ts'

const PORT = Number(process.env.BENCH_PORT ?? 3396)
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54389)
const BARE_PORT = Number(process.env.BENCH_BARE_PORT ?? 3395)
const POSTS = Number(process.env.BENCH_POSTS ?? 100_000)
const DAYS = Number(process.env.BENCH_DAYS ?? 365)
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const RATE = Number(process.env.BENCH_RATE ?? 20)
const PUBLISH_INTERVAL_MS = Number(process.env.BENCH_PUBLISH_INTERVAL_MS ?? 500)
const DATA = join(ROOT, 'tmp/bench-pages')
const SLUG = 'bench-coffee'
const LIVE_SLUG = 'bench-live'
const ZONE = 'Europe/Berlin'

interface Figures {
  sequential: ReturnType<typeof summary>
  closedLoop: {
    connections: number
    p50Ms: number
    p99Ms: number
    maxMs: number
    requestsPerSecond: number
    errors: number
  }
  openLoop: { rate: number; p50Ms: number; p99Ms: number; maxMs: number; errors: number }
}

/**
 * The bench workspace and its posts, written with generate_series (a minute
 * or so for 100,000 posts); kept between runs.
 */
async function seed(client: pg.Client, session: Session) {
  await ensureWorkspace(session, LIVE_SLUG, 'Live Bakery')
  const existing = await client.query('SELECT id FROM workspaces WHERE slug = $1', [SLUG])
  if (existing.rows.length) {
    const count = await client.query(
      'SELECT count(*)::int AS n FROM posts WHERE workspace_id = $1',
      [existing.rows[0].id]
    )
    if (count.rows[0].n >= POSTS) return existing.rows[0].id as number
    throw new Error(`tmp/bench-pages holds another seed; remove the folder to seed ${POSTS} posts`)
  }
  for (const [index, slug] of [
    SLUG,
    ...Array.from({ length: 20 }, (_, i) => `client-${i}`),
  ].entries()) {
    await ensureWorkspace(session, slug, index === 0 ? 'Bench Coffee' : `Client ${index}`)
  }
  const started = performance.now()
  await client.query('BEGIN')
  await client.query(`
    INSERT INTO social_accounts (workspace_id, plugin_id, external_id, handle, display_name, status,
                                 connected_at, created_at, updated_at)
    SELECT w.id, p.plugin, w.slug || '-' || p.plugin, w.slug, w.name || ' on ' || p.plugin, 'active',
           now(), now(), now()
      FROM workspaces w CROSS JOIN (VALUES ('x'), ('linkedin')) AS p(plugin)
     WHERE w.slug <> '${LIVE_SLUG}'`)
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
       FROM workspaces w, generate_series(1, 50) g WHERE w.slug NOT IN ($2, '${LIVE_SLUG}')`,
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
    // countAttention (app/queries/capped_counts.ts): each state read up to 400 index entries
    'dashboard: attention counts ("99+")': `EXPLAIN (ANALYZE, BUFFERS)
      SELECT s.status, c.posts, c.targets
        FROM unnest(array['failed','unknown','needs_reconnect','missed','held']) AS s(status)
       CROSS JOIN LATERAL (
         SELECT count(DISTINCT post_id) AS posts, count(*) AS targets
           FROM (SELECT post_id FROM post_targets
                  WHERE workspace_id = ${workspaceId} AND status = s.status
                  ORDER BY due_at DESC NULLS LAST, post_id DESC LIMIT 400) t) c`,
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

async function sequential(base: string, path: string, headers: Record<string, string>) {
  const times: number[] = []
  for (let index = 0; index < REQUESTS + 5; index++) {
    const started = performance.now()
    const response = await fetch(`${base}${path}`, { headers, redirect: 'manual' })
    await response.arrayBuffer()
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
    if (index >= 5) times.push(performance.now() - started)
  }
  return summary(times)
}

async function closedLoop(base: string, path: string, headers: Record<string, string>) {
  const result = await autocannon({
    url: `${base}${path}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers,
  })
  return {
    connections: CONNECTIONS,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    requestsPerSecond: Math.round(result.requests.average),
    errors: result.errors + result.timeouts + result.non2xx,
  }
}

/** Requests leave at a fixed rate whatever the answers do; latency counts from the planned start */
async function openLoop(base: string, path: string, headers: Record<string, string>) {
  const times: number[] = []
  let errors = 0
  const total = RATE * SECONDS
  const started = performance.now()
  const requests: Promise<void>[] = []
  for (let index = 0; index < total; index++) {
    const due = started + (index * 1000) / RATE
    await sleep(Math.max(0, due - performance.now()))
    requests.push(
      fetch(`${base}${path}`, { headers, redirect: 'manual' }).then(
        async (response) => {
          await response.arrayBuffer()
          if (response.status === 200) times.push(performance.now() - due)
          else errors++
        },
        () => {
          errors++
        }
      )
    )
  }
  await Promise.all(requests)
  const { p50Ms, p99Ms, maxMs } = summary(times)
  return { rate: RATE, p50Ms, p99Ms, maxMs, errors }
}

async function measure(
  base: string,
  path: string,
  headers: Record<string, string>
): Promise<Figures> {
  return {
    sequential: await sequential(base, path, headers),
    closedLoop: await closedLoop(base, path, headers),
    openLoop: await openLoop(base, path, headers),
  }
}

/** Posts to the fake X through the composer until stopped: the workers publish while pages are measured */
function keepPublishing(session: Session, accountId: string) {
  let stopped = false
  let posted = 0
  let refused = 0
  const loop = (async () => {
    const compose = await session.fetch(`/w/${LIVE_SLUG}/compose`)
    session.remember(await compose.text())
    while (!stopped) {
      const body = new URLSearchParams({
        '_csrf': session.csrf,
        'baseText': `Live post ${++posted} at ${new Date().toISOString()}: the cinnamon buns are out`,
        'accountIds[]': accountId,
        'intent': 'publish_now',
      })
      const response = await session.fetch(`/w/${LIVE_SLUG}/posts`, { method: 'POST', body })
      await response.arrayBuffer()
      if (response.status !== 302) refused++
      await sleep(PUBLISH_INTERVAL_MS)
    }
  })()
  return async () => {
    stopped = true
    await loop
    return { posted, refused }
  }
}

async function startBareRender() {
  const child = fork(join(ROOT, 'bench/support/bare_render.ts'), [String(BARE_PORT)], {
    execArgv: ['--import=@poppinss/ts-exec'],
    cwd: ROOT,
  })
  await new Promise((ready) => child.once('message', ready))
  return child
}

async function main() {
  const fake = await FakeXProcess.start({ p50: 100, p99: 300 })
  const herald = await startHerald({
    port: PORT,
    pgPort: PG_PORT,
    data: DATA,
    database: 'herald_bench_pages',
    workers: 'inline',
    env: await xPluginEnv(fake),
  })
  const client = await database(DATA, PG_PORT, 'herald_bench_pages')
  const bare = await startBareRender()
  try {
    const session = await signIn(herald.base)
    const workspaceId = await seed(client, session)
    // The seed's schedule stays put: what fell due since it was written counts as published.
    await client.query(
      `UPDATE post_targets SET status = 'published', published_at = due_at
        WHERE workspace_id = $1 AND status IN ('scheduled', 'queued') AND due_at < now() + interval '1 hour'`,
      [workspaceId]
    )
    await client.query(
      `UPDATE posts SET status = 'published'
        WHERE workspace_id = $1 AND status = 'scheduled' AND scheduled_at < now() + interval '1 hour'`,
      [workspaceId]
    )
    await connectX(session, LIVE_SLUG)
    const live = await client.query(
      `SELECT a.id FROM social_accounts a JOIN workspaces w ON w.id = a.workspace_id
        WHERE w.slug = $1 AND a.plugin_id = 'x'`,
      [LIVE_SLUG]
    )
    if (process.env.BENCH_EXPLAIN) await explain(client, workspaceId)

    const cookie = { cookie: session.cookie() }
    const pages: Record<string, { path: string; headers: Record<string, string> }> = {
      'workspace dashboard': { path: `/w/${SLUG}`, headers: cookie },
      'calendar month': { path: `/w/${SLUG}/calendar`, headers: cookie },
      'calendar week': { path: `/w/${SLUG}/calendar?view=week`, headers: cookie },
      'calendar day': { path: `/w/${SLUG}/calendar?view=day`, headers: cookie },
      'calendar month (htmx fragment)': {
        path: `/w/${SLUG}/calendar?view=month`,
        headers: { ...cookie, 'hx-request': 'true' },
      },
      'posts list': { path: `/w/${SLUG}/posts`, headers: cookie },
      'posts list, failed filter': { path: `/w/${SLUG}/posts?status=failed`, headers: cookie },
      'agency dashboard (22 workspaces)': { path: '/', headers: cookie },
    }
    const baseline = await measure(`http://127.0.0.1:${BARE_PORT}`, '/', {})
    process.stderr.write(`measured the bare-render baseline\n`)
    const stopPublishing = keepPublishing(session, String(live.rows[0].id))
    const results: Record<string, Figures & { path: string }> = {}
    const only = process.env.BENCH_PAGES?.split(',').map((name) => name.trim())
    for (const [name, page] of Object.entries(pages)) {
      if (only && !only.some((wanted) => name.startsWith(wanted))) continue
      results[name] = { path: page.path, ...(await measure(herald.base, page.path, page.headers)) }
      process.stderr.write(`measured ${name}\n`)
    }
    const publishing = await stopPublishing()
    const publishedLive = await client.query(
      `SELECT t.status, count(*)::int AS n FROM post_targets t JOIN workspaces w ON w.id = t.workspace_id
        WHERE w.slug = $1 GROUP BY t.status`,
      [LIVE_SLUG]
    )
    const result = {
      benchmark: 'pages',
      host: hostname(),
      cpus: cpus().length,
      posts: POSTS,
      days: DAYS,
      baseline: { 'bare node:http + Edge, 50 rows': baseline },
      whilePublishing: {
        postsSubmitted: publishing.posted,
        refused: publishing.refused,
        targets: Object.fromEntries(publishedLive.rows.map((row) => [row.status, row.n])),
      },
      pages: results,
    }
    console.log(JSON.stringify(result, null, 2))
    const row = (figures: Figures) => ({
      'p50 ms': figures.sequential.p50Ms,
      'p99 ms': figures.sequential.p99Ms,
      [`p50 @${CONNECTIONS}c`]: figures.closedLoop.p50Ms,
      [`p99 @${CONNECTIONS}c`]: figures.closedLoop.p99Ms,
      'req/s': figures.closedLoop.requestsPerSecond,
      [`p99 @${RATE}/s open`]: figures.openLoop.p99Ms,
      'errors': figures.closedLoop.errors + figures.openLoop.errors,
    })
    console.table({
      'bare render (baseline)': row(baseline),
      ...Object.fromEntries(Object.entries(results).map(([name, figures]) => [name, row(figures)])),
    })
  } finally {
    bare.kill()
    await client.end()
    await herald.stop()
    await fake.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
