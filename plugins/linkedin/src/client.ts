import {
  type HttpBody,
  type HttpMethod,
  type HttpResponse,
  type PluginContext,
  Transient,
} from '@herald/plugin-sdk'
import { mapLinkedInFailure, mapTransportError, parseProblem, type Step } from './errors.js'
import { type LinkedInSettings, resolveSettings, type ResolvedSettings } from './settings.js'

/** Time allowed per request in production; the host applies its own default and ceiling on top. */
export const TIMEOUTS = {
  /** POST /rest/posts. */
  create: 30_000,
  /** The image PUT. */
  upload: 60_000,
  /** Small calls and the OAuth endpoints. */
  read: 20_000,
} as const

/** One request to LinkedIn. */
export interface LinkedInCall {
  method: HttpMethod
  /** `api` (Rest.li, Bearer), `oauth` (form with client credentials) or an absolute upload URL. */
  base: 'api' | 'oauth' | 'upload'
  /** Path under the base (`/rest/posts`), or the absolute URL for `upload`. */
  path: string
  query?: Record<string, string>
  accessToken?: string
  body?: HttpBody
  /** Extra headers, e.g. the image content type. */
  headers?: Record<string, string>
  step: Step
  timeoutMs: number
}

/** A 2xx answer with its body (JSON parsed when there is one). */
export interface LinkedInAnswer<T> {
  status: number
  headers: Headers
  data: T | undefined
}

function endpoint(settings: ResolvedSettings, call: LinkedInCall): string {
  const base =
    call.base === 'upload'
      ? ''
      : call.base === 'oauth'
        ? settings.oauthBaseUrl
        : settings.apiBaseUrl
  const url = new URL(`${base}${call.path}`)
  for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value)
  return url.href
}

/** Headers of a call: Bearer token, and for versioned `/rest` resources the version and protocol. */
function headersFor(settings: ResolvedSettings, call: LinkedInCall): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers }
  if (call.accessToken !== undefined) headers.authorization = `Bearer ${call.accessToken}`
  if (call.base === 'api' && call.path.startsWith('/rest/')) {
    headers['linkedin-version'] = settings.apiVersion
    headers['x-restli-protocol-version'] = '2.0.0'
  }
  return headers
}

/**
 * Sends one request to LinkedIn and resolves with a 2xx answer. Error statuses, timeouts, dropped
 * connections and cancellations reject with SDK errors mapped for the call's step (see `errors.ts`).
 * Tokens and the client secret never reach the logs.
 */
export async function linkedInRequest<T>(
  ctx: PluginContext<LinkedInSettings>,
  call: LinkedInCall
): Promise<LinkedInAnswer<T>> {
  const settings = resolveSettings(ctx.settings)
  const creating = call.step === 'create'
  const started = performance.now()
  let response: HttpResponse
  try {
    response = await ctx.http.request({
      method: call.method,
      url: endpoint(settings, call),
      headers: headersFor(settings, call),
      ...(call.body === undefined ? {} : { body: call.body }),
      timeoutMs: call.timeoutMs,
    })
  } catch (error) {
    throw mapTransportError(error, ctx.signal, { creating })
  }
  let body: string
  try {
    body = await response.text()
  } catch (error) {
    throw mapTransportError(error, ctx.signal, { creating })
  }
  const log = {
    method: call.method,
    path: call.base === 'upload' ? '(upload url)' : call.path,
    status: response.status,
    ms: Math.round(performance.now() - started),
  }
  if (response.status >= 200 && response.status < 300) {
    ctx.logger.debug(log, 'linkedin response')
    if (body.trim() === '')
      return { status: response.status, headers: response.headers, data: undefined }
    try {
      return { status: response.status, headers: response.headers, data: JSON.parse(body) as T }
    } catch {
      // A creating call only needs the x-restli-id header, never the body.
      if (creating) return { status: response.status, headers: response.headers, data: undefined }
      throw new Transient('LinkedIn sent an answer that is not JSON; try again.')
    }
  }
  const error = mapLinkedInFailure(response.status, response.headers, parseProblem(body), {
    step: call.step,
    now: ctx.clock.now(),
    path: log.path,
    version: settings.apiVersion,
  })
  ctx.logger.info({ ...log, error: error.kind }, 'linkedin call failed')
  throw error
}
