import type { HttpBody, HttpClient, HttpRequest, HttpResponse } from '../http.js'
import { HttpBodyUsedError, HttpNetworkError, HttpTimeoutError } from '../http_errors.js'
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
  /** Aborts when the request's deadline (`timeoutMs`) passes. */
  deadline: AbortSignal
  timeoutMs: number
  /** Aborts when a stream waited longer than `idleTimeoutMs` for a chunk. */
  idle: AbortSignal
  idleTimeoutMs: number
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
  if (failure.idle.aborted)
    throw new HttpTimeoutError({ ...details, timeoutMs: failure.idleTimeoutMs })
  if (failure.deadline.aborted || errorCode(error) === 'UND_ERR_CONNECT_TIMEOUT') {
    throw new HttpTimeoutError({ ...details, timeoutMs: failure.timeoutMs })
  }
  const reason = errorCode(error) ?? (error instanceof Error ? error.message : undefined)
  throw new HttpNetworkError({ ...details, reason })
}

/** Timers of one request: the deadline until the body is read (or streamed), then the idle timer. */
interface Timers {
  /** Stops the deadline (body read, or streaming begins). */
  clearDeadline(): void
  /** Aborts the request with the idle timeout after `idleTimeoutMs` unless cleared. */
  armIdle(): () => void
}

async function* streamBody(
  response: Response,
  failure: Failure,
  timers: Timers
): AsyncGenerator<Uint8Array> {
  if (!response.body) return
  const reader = response.body.getReader()
  let finished = false
  try {
    while (true) {
      const disarm = timers.armIdle()
      let result: Awaited<ReturnType<typeof reader.read>>
      try {
        result = await reader.read()
      } catch (error) {
        finished = true
        return mapFailure(error, failure, 'response')
      } finally {
        disarm()
      }
      if (result.done) {
        finished = true
        return
      }
      yield result.value
    }
  } finally {
    // Left early (break, return, throw): cancel the rest so the connection is released.
    if (!finished) reader.cancel().catch(() => {})
    reader.releaseLock()
  }
}

function wrapResponse(response: Response, failure: Failure, timers: Timers): HttpResponse {
  let used: 'stream' | 'whole' | undefined
  let body: Promise<Uint8Array> | undefined
  const bytes = () => {
    if (used === 'stream') return Promise.reject(new HttpBodyUsedError('stream', 'whole'))
    used = 'whole'
    body ??= response
      .arrayBuffer()
      .then((buffer) => new Uint8Array(buffer))
      .catch((error: unknown) => mapFailure(error, failure, 'response'))
      .finally(() => timers.clearDeadline())
    return body
  }
  return {
    status: response.status,
    headers: response.headers,
    bytes,
    text: async () => new TextDecoder().decode(await bytes()),
    json: async <T>() => JSON.parse(new TextDecoder().decode(await bytes())) as T,
    stream: () => {
      if (used !== undefined) throw new HttpBodyUsedError(used, 'stream')
      used = 'stream'
      timers.clearDeadline()
      return streamBody(response, failure, timers)
    },
  }
}

/**
 * An {@link HttpClient} on the global fetch, for tests and tools. Timeouts reject with `HttpTimeoutError`,
 * connection failures with `HttpNetworkError`, both with the phase the request had reached (tracked through
 * undici's diagnostics channels). `timeoutMs` covers the request until its body is read, or until
 * `stream()` is called; a stream then fails only when no chunk arrives within `idleTimeoutMs`. It does not
 * enforce hosts; the host's client does.
 */
export function createFetchHttpClient(options: FetchHttpClientOptions = {}): HttpClient {
  const ceiling = options.timeoutMs ?? 2000
  return {
    async request(request) {
      const url = new URL(request.url)
      options.onRequest?.({ method: request.method, url: url.href })
      const timeoutMs = Math.min(request.timeoutMs ?? ceiling, ceiling)
      const idleTimeoutMs = Math.min(request.idleTimeoutMs ?? timeoutMs, ceiling)
      const cancel = [options.signal, request.signal].filter((signal) => signal !== undefined)
      for (const signal of cancel) signal.throwIfAborted()
      const deadline = new AbortController()
      const idle = new AbortController()
      const deadlineTimer = setTimeout(
        () => deadline.abort(new DOMException('request deadline passed', 'TimeoutError')),
        timeoutMs
      )
      // Like AbortSignal.timeout: an unread body must not keep the process alive.
      deadlineTimer.unref()
      const timers: Timers = {
        clearDeadline: () => clearTimeout(deadlineTimer),
        armIdle: () => {
          const timer = setTimeout(
            () => idle.abort(new DOMException('no chunk within the idle timeout', 'TimeoutError')),
            idleTimeoutMs
          )
          timer.unref()
          return () => clearTimeout(timer)
        },
      }
      const headers = new Headers(request.headers)
      const init: RequestInit = {
        method: request.method,
        headers,
        body: encodeBody(request.body, headers),
        signal: AbortSignal.any([deadline.signal, idle.signal, ...cancel]),
        redirect: 'follow',
      }
      const fetchImpl = options.fetchImpl ?? globalThis.fetch
      const { tracker, result } = trackPhase(() => fetchImpl(url, init))
      const failure: Failure = {
        request,
        tracker,
        deadline: deadline.signal,
        timeoutMs,
        idle: idle.signal,
        idleTimeoutMs,
        cancel,
      }
      try {
        return wrapResponse(await result, failure, timers)
      } catch (error) {
        timers.clearDeadline()
        return mapFailure(error, failure)
      }
    },
  }
}
