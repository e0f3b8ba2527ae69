import { rm } from 'node:fs/promises'
import type { Group } from '@japa/runner/core'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import queueConfig from '#config/queue'
import Generation from '#models/generation'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import { ModelCatalog } from '#ai/model_catalog'
import { WorkerRunner } from '#queue/worker_runner'
import { useQueueManager } from '#queue/queues'
import type { QueueManager } from '#queue/queue_manager'
import { generateImageJob } from '#jobs/generate_image_job'
import { FakeOpenRouter } from '#tests/fakes/openrouter'
import { createTestManager, destroyManager, waitFor } from '#tests/helpers/queue'
import { PASSWORD } from '#tests/helpers/factories'

export const TEXT_MODEL = 'openrouter:anthropic/claude-3.5-sonnet'
export const IMAGE_MODEL = 'openrouter:google/gemini-2.5-flash-image'
export const NDJSON = 'application/x-ndjson'
/** What the AI panel's fetch accepts (JSON for refusals before any call) */
export const STREAM_ACCEPT = `${NDJSON}, application/json;q=0.9`

/**
 * A fake OpenRouter for the group, with the plugin pointed at it through its
 * environment variables (the way an operator configures it), the model
 * catalog emptied and media stored in a folder of this run.
 */
export function useFakeOpenRouter(group: Group) {
  const fake = new FakeOpenRouter()
  const mediaDir = app.makePath(`tmp/test-media-${process.pid}`)
  group.setup(async () => {
    await fake.start()
    return async () => {
      await fake.stop()
      delete process.env.OPENROUTER_API_KEY
      delete process.env.OPENROUTER_BASE_URL
      delete process.env.LOCAL_MEDIA_DIR
      await rm(mediaDir, { recursive: true, force: true })
    }
  })
  group.each.setup(async () => {
    // A new port each test: the plugin keeps its own model list per base URL.
    await fake.stop()
    await fake.start()
    fake.reset()
    ModelCatalog.clear()
    process.env.OPENROUTER_API_KEY = fake.apiKey
    process.env.OPENROUTER_BASE_URL = fake.url
    process.env.LOCAL_MEDIA_DIR = mediaDir
  })
  return { fake, mediaDir }
}

/** Without a key: as a fresh install before an admin set OpenRouter up */
export function withoutOpenRouterKey() {
  delete process.env.OPENROUTER_API_KEY
  ModelCatalog.clear()
}

/** Parsed events of an NDJSON answer */
export function events(text: string): Record<string, any>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line))
}

/**
 * A session signed in through the sign-in form, as a browser holds it
 * (cookies and the page's CSRF token), so tests can use fetch() and read or
 * abort a streamed answer the way the AI panel does.
 */
export async function browserSession(user: User, workspace: Workspace) {
  const base = `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT}`
  const jar = new Map<string, string>()
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
  const visit = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: cookie() },
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair.indexOf('=')
      jar.set(pair.slice(0, at), pair.slice(at + 1))
    }
    return response
  }
  const tokenIn = (html: string) =>
    /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ??
    JSON.parse(
      (/hx-headers:inherited='([^']+)'/.exec(html)?.[1] ?? '{}').replaceAll('&quot;', '"')
    )['x-csrf-token']
  const login = await visit('/login')
  const signIn = await visit('/login', {
    method: 'POST',
    body: new URLSearchParams({
      email: user.email,
      password: PASSWORD,
      _csrf: tokenIn(await login.text()),
    }),
  })
  if (signIn.status !== 302) throw new Error(`sign-in answered ${signIn.status}`)
  const page = await visit(`/w/${workspace.slug}/compose`)
  const csrf = tokenIn(await page.text()) as string
  return {
    csrf,
    /** POSTs a form to the text endpoint as the AI panel does */
    postText(fields: Record<string, string | string[]>, signal?: AbortSignal) {
      const body = new URLSearchParams()
      for (const [name, value] of Object.entries(fields)) {
        for (const item of ([] as string[]).concat(value)) body.append(name, item)
      }
      return fetch(`${base}/w/${workspace.slug}/ai/text`, {
        method: 'POST',
        body,
        signal,
        headers: { 'accept': STREAM_ACCEPT, 'x-csrf-token': csrf, 'cookie': cookie() },
      })
    },
  }
}

/** Reads NDJSON events from a streamed response until `until` says stop */
export async function readEvents(
  response: Response,
  until: (seen: Record<string, any>[]) => boolean = () => false
) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  const seen: Record<string, any>[] = []
  let buffer = ''
  while (true) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += value
    let newline: number
    while ((newline = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, newline)
      buffer = buffer.slice(newline + 1)
      if (line.trim()) seen.push(JSON.parse(line))
    }
    if (until(seen)) return { seen, reader }
  }
  return { seen, reader }
}

/** Waits for a ledger row to leave `running` */
export function settledGeneration(id: string | number) {
  return waitFor(
    async () => {
      const row = await Generation.find(id)
      return row && row.status !== 'running' ? row : undefined
    },
    { timeout: 15_000, message: `generation ${id} to finish` }
  )
}

/** A ledger row, as if a call had been made at `at` (the workspace's spend) */
export async function ledgerRow(
  workspace: Workspace,
  values: Partial<{
    costUsd: number
    at: DateTime
    userId: number | null
    model: string
    kind: 'text' | 'image'
    status: Generation['status']
    prompt: string
    error: string | null
  }> = {}
) {
  return Generation.create({
    workspaceId: workspace.id,
    userId: values.userId ?? null,
    kind: values.kind ?? 'text',
    purpose: values.kind === 'image' ? 'image' : 'generate',
    pluginId: 'openrouter',
    model: values.model ?? 'anthropic/claude-3.5-sonnet',
    prompt: values.prompt ?? 'A post about spring',
    status: values.status ?? 'succeeded',
    costUsd: values.costUsd ?? 0.01,
    inputTokens: 100,
    outputTokens: 40,
    latencyMs: 1200,
    error: values.error ?? null,
    createdAt: values.at ?? DateTime.now(),
    finishedAt: values.at ?? DateTime.now(),
  })
}

/**
 * Image jobs for the group: the app's dispatches go to a test queue manager
 * whose worker runs generate_image in this process.
 */
export function useImageWorker(group: Group) {
  let manager: QueueManager
  let runner: WorkerRunner
  let restore: () => void
  group.setup(async () => {
    manager = createTestManager('postgres')
    restore = useQueueManager(manager)
    runner = new WorkerRunner(manager, {
      jobs: [generateImageJob],
      concurrency: 2,
      lockDuration: queueConfig.lockDuration,
      stalledInterval: queueConfig.stalledInterval,
    })
    await runner.start()
    return async () => {
      await runner.stop()
      restore()
      await destroyManager(manager)
    }
  })
}

/** Rows of the ledger of a workspace, oldest first */
export function ledgerOf(workspace: Workspace) {
  return db.from('generations').where('workspace_id', workspace.id).orderBy('id', 'asc')
}
