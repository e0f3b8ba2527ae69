import { AsyncLocalStorage } from 'node:async_hooks'
import {
  HttpNetworkError,
  HttpTimeoutError,
  isPluginError,
  type HttpClient,
  type HttpRequest,
  type PluginError,
  type PluginErrorKind,
} from '@herald/plugin-sdk'
import {
  createTestContext,
  type TestContextOptions,
  type TestPluginContext,
} from '@herald/plugin-sdk/testing'
import type { OpenRouterSettings } from '../src/settings.js'
import type { FakeOpenRouter } from './fake_openrouter.js'

/** Settings pointing at the fake. */
export function settingsOf(fake: FakeOpenRouter, extra: Partial<OpenRouterSettings> = {}) {
  return { ...fake.settings(), ...extra } as OpenRouterSettings
}

async function* chunksOf(
  raw: Response,
  request: HttpRequest,
  signal: AbortSignal,
  timeoutMs: number
): AsyncGenerator<Uint8Array> {
  if (!raw.body) return
  const reader = raw.body.getReader()
  try {
    while (true) {
      let result: Awaited<ReturnType<typeof reader.read>>
      try {
        result = await reader.read()
      } catch (error) {
        if (signal.aborted) throw signal.reason
        const details = {
          phase: 'response' as const,
          method: request.method,
          url: request.url,
          cause: error,
        }
        if (error instanceof DOMException && error.name === 'TimeoutError') {
          throw new HttpTimeoutError({ ...details, timeoutMs })
        }
        throw new HttpNetworkError({ ...details, reason: (error as Error)?.message })
      }
      if (result.done) return
      yield result.value
    }
  } finally {
    reader.cancel().catch(() => {})
  }
}

/**
 * A test context whose `ctx.http` responses also offer `stream()`, the incremental body read this plugin
 * asks the SDK to add (SDK 1.0's `HttpResponse` only has `bytes()`/`text()`/`json()`). Everything else
 * (timeouts, phases, aborts, recording) is the SDK's own test client: the raw fetch `Response` is captured
 * on its way through and its body exposed as an async iterable of chunks.
 */
export function createStreamingTestContext<S>(
  options: TestContextOptions<S>
): TestPluginContext<S> {
  const slot = new AsyncLocalStorage<{ response?: Response }>()
  const fetchImpl = options.fetchImpl ?? globalThis.fetch
  const capture: typeof fetch = async (input, init) => {
    const response = await fetchImpl(input, init)
    const store = slot.getStore()
    if (store) store.response = response
    return response
  }
  const ctx = createTestContext({ ...options, fetchImpl: capture })
  const ceiling = options.timeoutMs ?? 2000
  const http: HttpClient = {
    async request(request) {
      const store: { response?: Response } = {}
      const response = await slot.run(store, () => ctx.http.request(request))
      const raw = store.response
      if (!raw) return response
      const timeoutMs = Math.min(request.timeoutMs ?? ceiling, ceiling)
      return { ...response, stream: () => chunksOf(raw, request, ctx.signal, timeoutMs) }
    },
  }
  return { ...ctx, http }
}

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of iterable) items.push(item)
  return items
}

/** The rejection of a promise; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to reject')
}

/** The plugin error a promise rejects with; fails when it resolves, rejects otherwise, or with another kind. */
export async function pluginError(
  promise: Promise<unknown>,
  kind: PluginErrorKind
): Promise<PluginError> {
  const error = await rejection(promise)
  if (!isPluginError(error))
    throw new Error(`expected a ${kind} plugin error, got ${String(error)}`)
  if (error.kind !== kind) throw new Error(`expected ${kind}, got ${error.kind}: ${error.message}`)
  return error
}
