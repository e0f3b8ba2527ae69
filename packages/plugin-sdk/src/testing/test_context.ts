import type { PluginContext } from '../context.js'
import type { PluginSettings } from '../settings.js'
import { createCapturingLogger, type CapturingLogger } from './capturing_logger.js'
import { createFetchHttpClient, type RecordedRequest } from './fetch_http_client.js'

/** Options of {@link createTestContext}. */
export interface TestContextOptions<S> {
  /** The plugin's settings, e.g. base URLs pointing at a fake on 127.0.0.1. */
  settings: S
  /** Fetch implementation behind `ctx.http` (default the global fetch). */
  fetchImpl?: typeof fetch
  /** Logger to capture into; share one across contexts to check a whole run (default a new one). */
  log?: CapturingLogger
  /** Signal of the call (default a signal that never aborts). */
  signal?: AbortSignal
  /** Clock (default real time). */
  now?: () => Date
  /** Default and ceiling of request timeouts in ms (default 2000). */
  timeoutMs?: number
  /** Array that receives every request made through `ctx.http` (default a new one). */
  requests?: RecordedRequest[]
}

/** A plugin context for tests, exposing what it captured. */
export interface TestPluginContext<S> extends PluginContext<S> {
  /** The capturing logger. */
  readonly logger: CapturingLogger
  /** Requests made through `ctx.http`. */
  readonly requests: RecordedRequest[]
}

/** Builds a {@link PluginContext} for tests: real HTTP through fetch, a capturing logger, a controllable clock. */
export function createTestContext<S = PluginSettings>(
  options: TestContextOptions<S>
): TestPluginContext<S> {
  const signal = options.signal ?? new AbortController().signal
  const requests = options.requests ?? []
  return {
    settings: options.settings,
    logger: options.log ?? createCapturingLogger(),
    signal,
    clock: { now: options.now ?? (() => new Date()) },
    requests,
    http: createFetchHttpClient({
      fetchImpl: options.fetchImpl,
      signal,
      timeoutMs: options.timeoutMs,
      onRequest: (request) => requests.push(request),
    }),
  }
}
