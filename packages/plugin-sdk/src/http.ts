import type { HttpBodyUsedError } from './http_errors.js'

/** HTTP methods plugins may use. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** A plain object or array, sent as JSON with `content-type: application/json`. */
export type JsonBody = Record<string, unknown> | readonly unknown[]

/** Request body: sent as is, except plain objects and arrays which are serialised as JSON. */
export type HttpBody = string | Uint8Array | FormData | URLSearchParams | JsonBody

/** One outgoing request. */
export interface HttpRequest {
  /** HTTP method. */
  method: HttpMethod
  /** Absolute URL; its host must be in the manifest's `network.hosts` or come from a URL setting. */
  url: string | URL
  /** Request headers. */
  headers?: Record<string, string>
  /** Request body; see {@link HttpBody}. */
  body?: HttpBody
  /**
   * Deadline of the request in ms; the host applies its default (and ceiling) when absent. It covers
   * redirects and the whole body when read with `text()`/`json()`/`bytes()`. For a body read with
   * `stream()` it covers the request until the response headers (and until `stream()` is called): from
   * then on only {@link HttpRequest.idleTimeoutMs} applies, so a long but live stream is never cut.
   */
  timeoutMs?: number
  /**
   * For `stream()`: the longest wait for the next chunk, in ms (since 1.1). Defaults to the request's
   * effective `timeoutMs`; the host applies the same ceiling.
   */
  idleTimeoutMs?: number
  /** Extra cancellation; the context's own signal always applies too. */
  signal?: AbortSignal
}

/**
 * A received response; any status resolves, only transport failures reject. The body is read once, either
 * whole (`text()`, `json()`, `bytes()`, which may be combined) or incrementally with `stream()`; mixing the
 * two, or calling `stream()` twice, throws {@link HttpBodyUsedError}.
 */
export interface HttpResponse {
  /** HTTP status code. */
  readonly status: number
  /** Response headers. */
  readonly headers: Headers
  /** Body decoded as UTF-8; may be called after `json()` or `bytes()`. */
  text(): Promise<string>
  /** Body parsed as JSON (unchecked cast to `T`); rejects with a SyntaxError on invalid JSON. */
  json<T = unknown>(): Promise<T>
  /** Raw body bytes. */
  bytes(): Promise<Uint8Array>
  /**
   * The body's chunks as they arrive (since SDK 1.1). Failures while reading reject the iteration with
   * `HttpTimeoutError` (no chunk within `idleTimeoutMs`) or `HttpNetworkError`, both with `phase:
   * 'response'`, or with the signal's reason on abort. Leaving the loop early (`break`, `return`, a throw)
   * cancels the rest of the body and releases the connection. Throws {@link HttpBodyUsedError} when the
   * body was already read.
   */
  stream(): AsyncIterable<Uint8Array>
}

/**
 * The HTTP client the host hands to plugins (`ctx.http`). It enforces the manifest's hosts, timeouts and
 * size limits. It rejects with {@link HttpTimeoutError} or {@link HttpNetworkError} on transport failures,
 * and with the signal's reason when `ctx.signal` (or `request.signal`) aborts.
 */
export interface HttpClient {
  /** Sends one request and resolves with the response, whatever its status. */
  request(request: HttpRequest): Promise<HttpResponse>
}
