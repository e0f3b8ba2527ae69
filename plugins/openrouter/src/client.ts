import type { HttpResponse, JsonBody, PluginContext } from '@herald/plugin-sdk'
import { Transient } from '@herald/plugin-sdk'
import {
  type FailureContext,
  mapInBodyError,
  mapOpenRouterError,
  mapTransportError,
  parseErrorBody,
} from './errors.js'
import { type OpenRouterSettings, type ResolvedSettings, resolveSettings } from './settings.js'
import type { WireCompletion } from './wire.js'

/** Time allowed per call; the host applies its own default and ceiling on top. */
export const TIMEOUTS = {
  models: 30_000,
  text: 120_000,
  /**
   * A streamed answer may take minutes. Read with `stream()` (SDK 1.1) this only bounds the wait for the
   * response headers; read whole (SDK 1.0 hosts) it bounds the whole answer.
   */
  stream: 300_000,
  /** Longest silence inside a stream; OpenRouter sends keep-alive comments while a model thinks. */
  streamIdle: 60_000,
  image: 180_000,
  imageDownload: 60_000,
} as const

/** One request to the OpenRouter API. */
export interface CallOptions {
  method: 'GET' | 'POST'
  /** Path under the base URL, e.g. `/chat/completions`. */
  path: string
  query?: Record<string, string>
  body?: JsonBody
  timeoutMs: number
  /** Longest wait between chunks when the body is streamed. */
  idleTimeoutMs?: number
  /** Model of the request, named in error messages. */
  model?: string
  accept?: string
}

/** A successful (2xx) response and what is needed to map failures found later in its body. */
export interface Call {
  response: HttpResponse
  settings: ResolvedSettings
  failure: FailureContext
}

/** Headers of every API call. The key goes in `Authorization` only and is never logged. */
function headersFor(settings: ResolvedSettings, accept: string): Record<string, string> {
  const headers: Record<string, string> = {
    'authorization': `Bearer ${settings.apiKey}`,
    'accept': accept,
    'x-title': settings.appName,
  }
  if (settings.appUrl !== undefined) headers['http-referer'] = settings.appUrl
  return headers
}

function endpoint(settings: ResolvedSettings, options: CallOptions): string {
  const url = new URL(`${settings.baseUrl}${options.path}`)
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value)
  return url.href
}

/**
 * Sends one request and resolves with a 2xx response. Error statuses, timeouts and connection failures
 * reject with SDK errors; an abort of `ctx.signal` rejects with its reason.
 */
export async function send(
  ctx: PluginContext<OpenRouterSettings>,
  options: CallOptions
): Promise<Call> {
  const settings = resolveSettings(ctx.settings)
  const failure: FailureContext = {
    path: options.path,
    now: ctx.clock.now(),
    apiKey: settings.apiKey,
    ...(options.model === undefined ? {} : { model: options.model }),
  }
  const started = performance.now()
  let response: HttpResponse
  try {
    response = await ctx.http.request({
      method: options.method,
      url: endpoint(settings, options),
      headers: headersFor(settings, options.accept ?? 'application/json'),
      ...(options.body === undefined ? {} : { body: options.body }),
      timeoutMs: options.timeoutMs,
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
    })
  } catch (error) {
    throw mapTransportError(error, ctx.signal)
  }
  const log = {
    method: options.method,
    path: options.path,
    model: options.model,
    status: response.status,
    ms: Math.round(performance.now() - started),
  }
  if (response.status >= 200 && response.status < 300) {
    ctx.logger.debug(log, 'openrouter response')
    return { response, settings, failure: { ...failure, now: ctx.clock.now() } }
  }
  let body: string
  try {
    body = await response.text()
  } catch (error) {
    throw mapTransportError(error, ctx.signal)
  }
  const mapped = mapOpenRouterError(response.status, parseErrorBody(body), response.headers, {
    ...failure,
    now: ctx.clock.now(),
  })
  ctx.logger.info({ ...log, error: mapped.kind }, 'openrouter call failed')
  throw mapped
}

/** Reads a 2xx body as JSON; a body that is not JSON means a broken proxy or upstream, worth a retry. */
export async function readJson<T>(ctx: PluginContext<OpenRouterSettings>, call: Call): Promise<T> {
  let text: string
  try {
    text = await call.response.text()
  } catch (error) {
    throw mapTransportError(error, ctx.signal)
  }
  try {
    return JSON.parse(text) as T
  } catch {
    throw new Transient('OpenRouter sent a response that is not JSON; try again.')
  }
}

/** Throws the error a 200 completion carries at the top level or on its first choice. */
export function throwIfInBodyError(completion: WireCompletion, failure: FailureContext): void {
  const error = completion.error ?? completion.choices?.[0]?.error
  if (error !== undefined && error !== null) throw mapInBodyError(error, failure)
}
