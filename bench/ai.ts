/**
 * AI studio benchmark: the time Herald adds to each AI call on top of the
 * provider's own latency, measured end to end through a real Herald server
 * (HTTP, session, CSRF, budget check, ledger writes, plugin, queue worker,
 * media storage) against the fake OpenRouter on 127.0.0.1.
 *
 *   npm run bench:ai            (node --import=@poppinss/ts-exec bench/ai.ts)
 *
 * For each call the same request is also sent straight to the fake; the
 * overhead is Herald's time minus that direct time, paired call by call:
 * - text, non-streaming: the composer's plain form post (whole text back in the page);
 * - text, streaming: time to the first word in the composer, and to the end;
 * - image: from the request to the image being in the media library (status
 *   polled every 10 ms instead of the panel's 1 s).
 *
 * Herald runs as a child process (bin/server.ts, WORKERS=inline) with its own
 * embedded PostgreSQL in tmp/bench-ai (port BENCH_PG_PORT, default 54389) on
 * BENCH_PORT (default 3395). BENCH_AI_CALLS (default 40) text calls per mode,
 * BENCH_AI_IMAGES (default 20) images, BENCH_AI_LATENCY_MS (default 50) the
 * fake's delay before answering. Prints one JSON document, then a table.
 */
import { spawn } from 'node:child_process'
import { cpus, hostname } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { FakeOpenRouter } from '../tests/fakes/openrouter.js'

const ROOT = new URL('../', import.meta.url).pathname
const PORT = Number(process.env.BENCH_PORT ?? 3395)
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54389)
const CALLS = Number(process.env.BENCH_AI_CALLS ?? 40)
const IMAGES = Number(process.env.BENCH_AI_IMAGES ?? 20)
const LATENCY = Number(process.env.BENCH_AI_LATENCY_MS ?? 50)
const WARMUP = 3
const BASE = `http://127.0.0.1:${PORT}`
const TEXT_MODEL = 'anthropic/claude-3.5-sonnet'
const IMAGE_MODEL = 'google/gemini-2.5-flash-image'
const PASSWORD = 'bench horse battery staple'

/** Cookies and CSRF token of one signed-in person, as a browser keeps them */
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

  /** Reads the page's CSRF token (hidden field or the body's hx-headers) */
  remember(html: string) {
    const token =
      /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ??
      JSON.parse(
        (/hx-headers:inherited='([^']+)'/.exec(html)?.[1] ?? '{}').replaceAll('&quot;', '"')
      )['x-csrf-token']
    if (token) this.csrf = token
  }

  async form(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.fetch(path, {
      method: 'POST',
      body: new URLSearchParams({ ...fields, _csrf: this.csrf }),
      headers,
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

async function startHerald(fake: FakeOpenRouter) {
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(PORT),
      HOST: '127.0.0.1',
      APP_URL: BASE,
      LOG_LEVEL: 'warn',
      STORAGE_DIR: join(ROOT, 'tmp/bench-ai'),
      EMBEDDED_PG_DIR: join(ROOT, 'tmp/bench-ai/postgres'),
      EMBEDDED_PG_PORT: String(PG_PORT),
      WORKERS: 'inline',
      REDIS_URL: '',
      OPENROUTER_API_KEY: fake.apiKey,
      OPENROUTER_BASE_URL: fake.url,
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

async function signIn(): Promise<{ session: Session; slug: string }> {
  const session = new Session()
  const setup = await session.fetch('/setup')
  if (setup.status === 200) {
    session.remember(await setup.text())
    await session.form('/setup', {
      fullName: 'Bench Admin',
      email: 'bench@agency.test',
      password: PASSWORD,
      passwordConfirmation: PASSWORD,
    })
  } else {
    const login = await session.fetch('/login')
    session.remember(await login.text())
    const answer = await session.form('/login', { email: 'bench@agency.test', password: PASSWORD })
    if (answer.status !== 302) throw new Error(`sign-in answered ${answer.status}`)
  }
  const home = await session.fetch('/workspaces/new')
  session.remember(await home.text())
  const slug = `bench-${Date.now().toString(36)}`
  const created = await session.form('/workspaces', {
    name: `Bench ${slug}`,
    slug,
    timezone: 'Europe/Berlin',
    brandTone: 'Warm, never salesy',
  })
  if (created.status !== 302) throw new Error(`creating the workspace answered ${created.status}`)
  const compose = await session.fetch(`/w/${slug}/compose`)
  session.remember(await compose.text())
  return { session, slug }
}

/** The same chat completion, straight to the fake (what the plugin sends) */
async function direct(fake: FakeOpenRouter, body: Record<string, unknown>, stream: boolean) {
  const started = performance.now()
  const response = await fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: {
      'authorization': `Bearer ${fake.apiKey}`,
      'content-type': 'application/json',
      'accept': stream ? 'text/event-stream' : 'application/json',
    },
    body: JSON.stringify({ ...body, stream, usage: { include: true } }),
  })
  let firstMs: number | undefined
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    if (firstMs === undefined && value.includes('"content":"') && !value.includes('"content":""')) {
      firstMs = performance.now() - started
    }
  }
  return { totalMs: performance.now() - started, firstMs: firstMs ?? performance.now() - started }
}

const PROMPT = 'Announce the spring menu'
const textBody = {
  model: TEXT_MODEL,
  messages: [
    { role: 'system', content: 'You write social media posts for the brand "Bench".' },
    { role: 'user', content: PROMPT },
  ],
  max_tokens: 1000,
  temperature: 0.8,
}

async function textNonStreaming(session: Session, slug: string) {
  const started = performance.now()
  const response = await session.form(`/w/${slug}/ai/text`, {
    prompt: PROMPT,
    model: `openrouter:${TEXT_MODEL}`,
    purpose: 'generate',
  })
  const html = await response.text()
  if (response.status !== 200 || !html.includes('café on Main Street')) {
    throw new Error(`non-streamed text answered ${response.status}`)
  }
  return performance.now() - started
}

async function textStreaming(session: Session, slug: string) {
  const started = performance.now()
  const response = await session.form(
    `/w/${slug}/ai/text`,
    { prompt: PROMPT, model: `openrouter:${TEXT_MODEL}`, purpose: 'generate' },
    { accept: 'application/x-ndjson, application/json;q=0.9' }
  )
  if (response.status !== 200) throw new Error(`streamed text answered ${response.status}`)
  let firstMs: number | undefined
  let text = ''
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    text += value
    if (firstMs === undefined && text.includes('"type":"delta"'))
      firstMs = performance.now() - started
  }
  if (!text.includes('"type":"done"'))
    throw new Error(`stream ended without done: ${text.slice(-200)}`)
  return { firstMs: firstMs!, totalMs: performance.now() - started }
}

async function image(session: Session, slug: string) {
  const started = performance.now()
  const response = await session.form(
    `/w/${slug}/ai/images`,
    {
      imagePrompt: 'A flat white on a sunny terrace',
      imageModel: `openrouter:${IMAGE_MODEL}`,
      aspectRatio: '1:1',
      source: 'composer-text',
    },
    { 'hx-request': 'true' }
  )
  const html = await response.text()
  const id = /data-ai-image-generation="(\d+)"/.exec(html)?.[1]
  if (!id) throw new Error(`image request answered ${response.status}`)
  for (;;) {
    const status = await session.fetch(`/w/${slug}/ai/images/${id}`)
    const fragment = await status.text()
    if (fragment.includes('data-media-id=')) return performance.now() - started
    if (!fragment.includes('Generating')) throw new Error(`image failed: ${fragment.slice(0, 300)}`)
    await sleep(10)
  }
}

async function main() {
  const fake = new FakeOpenRouter()
  await fake.start()
  fake.latencyMs = LATENCY
  const herald = await startHerald(fake)
  try {
    const { session, slug } = await signIn()
    const overhead = {
      nonStreaming: [] as number[],
      firstDelta: [] as number[],
      streamTotal: [] as number[],
      image: [] as number[],
    }
    const providerMs = { text: [] as number[], firstDelta: [] as number[], image: [] as number[] }

    for (let call = 0; call < WARMUP + CALLS; call++) {
      const herald1 = await textNonStreaming(session, slug)
      const plain = await direct(fake, textBody, false)
      const herald2 = await textStreaming(session, slug)
      const streamed = await direct(fake, textBody, true)
      if (call < WARMUP) continue
      overhead.nonStreaming.push(herald1 - plain.totalMs)
      overhead.firstDelta.push(herald2.firstMs - streamed.firstMs)
      overhead.streamTotal.push(herald2.totalMs - streamed.totalMs)
      providerMs.text.push(plain.totalMs)
      providerMs.firstDelta.push(streamed.firstMs)
    }
    const imageBody = {
      model: IMAGE_MODEL,
      messages: [{ role: 'user', content: 'A flat white on a sunny terrace' }],
      modalities: ['image', 'text'],
      image_config: { aspect_ratio: '1:1' },
    }
    for (let call = 0; call < WARMUP + IMAGES; call++) {
      const viaHerald = await image(session, slug)
      const plain = await direct(fake, imageBody, false)
      if (call < WARMUP) continue
      overhead.image.push(viaHerald - plain.totalMs)
      providerMs.image.push(plain.totalMs)
    }

    const result = {
      benchmark: 'ai',
      machine: { hostname: hostname(), cpus: cpus().length, node: process.version },
      fake: { latencyMs: LATENCY },
      calls: { text: CALLS, images: IMAGES, warmup: WARMUP },
      provider: {
        textMs: summary(providerMs.text),
        firstDeltaMs: summary(providerMs.firstDelta),
        imageMs: summary(providerMs.image),
      },
      overhead: {
        textNonStreaming: summary(overhead.nonStreaming),
        textTimeToFirstDelta: summary(overhead.firstDelta),
        textStreamTotal: summary(overhead.streamTotal),
        imageToLibrary: summary(overhead.image),
      },
    }
    console.log(JSON.stringify(result, null, 2))
    console.log('\nHerald overhead per AI call over the provider (ms)')
    console.log('call                         p50      p99      max')
    for (const [name, value] of Object.entries(result.overhead)) {
      console.log(
        `${name.padEnd(26)} ${String(value.p50Ms).padStart(7)}  ${String(value.p99Ms).padStart(7)}  ${String(value.maxMs).padStart(7)}`
      )
    }
  } finally {
    herald.kill('SIGINT')
    await new Promise((done) => herald.once('exit', done))
    await fake.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
