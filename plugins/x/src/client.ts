import {
  type HttpBody,
  type HttpMethod,
  type HttpResponse,
  type PluginContext,
  Transient,
  Unknown,
} from '@herald/plugin-sdk'
import { mapTransportError, mapXFailure, parseProblem, type Step } from './errors.js'
import { basicAuth, resolveSettings, type ResolvedSettings, type XSettings } from './settings.js'

/** Time allowed per request in production; the host applies its own default and ceiling on top. */
export const TIMEOUTS = {
  /** POST /2/tweets. */
  create: 30_000,
  /** One media chunk (up to a few MB). */
  upload: 60_000,
  /** Small reads and the OAuth endpoints. */
  read: 20_000,
} as const

/** One request to the X API. */
export interface XCall {
  method: HttpMethod
  /** Path under the API base, e.g. `/2/tweets`. */
  path: string
  query?: Record<string, string>
  /** User access token (Bearer); the token endpoints use the client's Basic auth instead. */
  accessToken?: string
  body?: HttpBody
  step: Step
  timeoutMs: number
}

/** A 2xx answer with its body parsed (undefined when empty). */
export interface XAnswer<T> {
  status: number
  headers: Headers
  data: T | undefined
}

function endpoint(settings: ResolvedSettings, call: XCall): string {
  const url = new URL(`${settings.apiBaseUrl}${call.path}`)
  for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value)
  return url.href
}

async function readText(
  response: HttpResponse,
  ctx: PluginContext<XSettings>,
  creating: boolean
): Promise<string> {
  try {
    return await response.text()
  } catch (error) {
    throw mapTransportError(error, ctx.signal, { creating })
  }
}

/**
 * Sends one request to the X API and resolves with a 2xx answer. Error statuses, timeouts, dropped
 * connections and cancellations reject with SDK errors mapped for the call's step (see `errors.ts`).
 * Tokens and the client secret only ever travel in the Authorization header; they are never logged.
 */
export async function xRequest<T>(ctx: PluginContext<XSettings>, call: XCall): Promise<XAnswer<T>> {
  const settings = resolveSettings(ctx.settings)
  const creating = call.step === 'create'
  const headers: Record<string, string> = { accept: 'application/json' }
  if (call.step === 'token' || call.step === 'revoke') {
    headers.authorization = basicAuth(settings)
  } else if (call.accessToken !== undefined) {
    headers.authorization = `Bearer ${call.accessToken}`
  }
  const started = performance.now()
  let response: HttpResponse
  try {
    response = await ctx.http.request({
      method: call.method,
      url: endpoint(settings, call),
      headers,
      ...(call.body === undefined ? {} : { body: call.body }),
      timeoutMs: call.timeoutMs,
    })
  } catch (error) {
    throw mapTransportError(error, ctx.signal, { creating })
  }
  const body = await readText(response, ctx, creating)
  const log = {
    method: call.method,
    path: call.path,
    status: response.status,
    ms: Math.round(performance.now() - started),
    rateLimitRemaining: response.headers.get('x-rate-limit-remaining') ?? undefined,
  }
  if (response.status >= 200 && response.status < 300) {
    ctx.logger.debug(log, 'x response')
    if (body.trim() === '')
      return { status: response.status, headers: response.headers, data: undefined }
    try {
      return { status: response.status, headers: response.headers, data: JSON.parse(body) as T }
    } catch {
      if (creating) {
        throw new Unknown(
          'X accepted the post but its answer was unreadable; the post may exist, check the account before publishing again.'
        )
      }
      throw new Transient('X sent an answer that is not JSON; try again.')
    }
  }
  const error = mapXFailure(response.status, response.headers, parseProblem(body), {
    step: call.step,
    now: ctx.clock.now(),
    path: call.path,
  })
  ctx.logger.info({ ...log, error: error.kind }, 'x call failed')
  throw error
}
