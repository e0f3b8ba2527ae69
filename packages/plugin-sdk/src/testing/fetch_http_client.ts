import type { HttpBody, HttpClient, HttpRequest, HttpResponse } from '../http.js'
import { HttpNetworkError, HttpTimeoutError } from '../http_errors.js'
import { errorCode, phaseOf, trackPhase, type PhaseTracker } from './request_phase.js'

/** A request as the test client saw it. */
export interface RecordedRequest {
  /** Method. */
  method: string
  /** Full URL. */
  url: string
}

/** Options of {@link createFetchHttpClient}. */
export interface FetchHttpClientOptions {
  /** Fetch implementation (default the global fetch). */
  fetchImpl?: typeof fetch
  /** Signal that cancels every request (the context's signal). */
  signal?: AbortSignal
  /** Default and ceiling of `timeoutMs`, so tests never wait on a plugin's long production timeouts (default 2000). */
  timeoutMs?: number
  /** Receives every request before it is sent. */
  onRequest?: (request: RecordedRequest) => void
}

function encodeBody(body: HttpBody | undefined, headers: Headers): RequestInit['body'] {
  if (body === undefined) return undefined
  if (typeof body === 'string' || body instanceof FormData || body instanceof URLSearchParams)
    return body
  if (body instanceof Uint8Array) return body as Uint8Array<ArrayBuffer>
  if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  return JSON.stringify(body)
}

interface Failure {
  request: HttpRequest
  tracker: PhaseTracker
  timeout: AbortSignal
  timeoutMs: number
  cancel: AbortSignal[]
}

/** Turns a fetch rejection into the SDK's transport errors; aborts rethrow the abort reason. */
function mapFailure(
  error: unknown,
  failure: Failure,
  phase = phaseOf(failure.tracker, error)
): never {
  const aborted = failure.cancel.find((signal) => signal.aborted)
  if (aborted) throw aborted.reason
  const details = { phase, method: failure.request.method, url: failure.request.url, cause: error }
  if (failure.timeout.aborted || errorCode(error) === 'UND_ERR_CONNECT_TIMEOUT') {
    throw new HttpTimeoutError({ ...details, timeoutMs: failure.timeoutMs })
  }
  const reason = errorCode(error) ?? (error instanceof Error ? error.message : undefined)
  throw new HttpNetworkError({ ...details, reason })
}

function wrapResponse(response: Response, failure: Failure): HttpResponse {
  let body: Promise<Uint8Array> | undefined
  const bytes = () => {
    body ??= response
      .arrayBuffer()
      .then((buffer) => new Uint8Array(buffer))
      .catch((error: unknown) => mapFailure(error, failure, 'response'))
    return body
  }
  return {
    status: response.status,
    headers: response.headers,
    bytes,
    text: async () => new TextDecoder().decode(await bytes()),
    json: async <T>() => JSON.parse(new TextDecoder().decode(await bytes())) as T,
  }
}

/**
 * An {@link HttpClient} on the global fetch, for tests and tools. Timeouts reject with `HttpTimeoutError`,
 * connection failures with `HttpNetworkError`, both with the phase the request had reached (tracked through
 * undici's diagnostics channels). It does not enforce hosts; the host's client does.
 */
export function createFetchHttpClient(options: FetchHttpClientOptions = {}): HttpClient {
  const ceiling = options.timeoutMs ?? 2000
  return {
    async request(request) {
      const url = new URL(request.url)
      options.onRequest?.({ method: request.method, url: url.href })
      const timeoutMs = Math.min(request.timeoutMs ?? ceiling, ceiling)
      const timeout = AbortSignal.timeout(timeoutMs)
      const cancel = [options.signal, request.signal].filter((signal) => signal !== undefined)
      for (const signal of cancel) signal.throwIfAborted()
      const headers = new Headers(request.headers)
      const init: RequestInit = {
        method: request.method,
        headers,
        body: encodeBody(request.body, headers),
        signal: AbortSignal.any([timeout, ...cancel]),
        redirect: 'follow',
      }
      const fetchImpl = options.fetchImpl ?? globalThis.fetch
      const { tracker, result } = trackPhase(() => fetchImpl(url, init))
      const failure: Failure = { request, tracker, timeout, timeoutMs, cancel }
      try {
        return wrapResponse(await result, failure)
      } catch (error) {
        return mapFailure(error, failure)
      }
    },
  }
}
