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
  /** Time allowed until the response body is read, in ms; the host applies its default (and ceiling) when absent. */
  timeoutMs?: number
  /** Extra cancellation; the context's own signal always applies too. */
  signal?: AbortSignal
}

/** A received response; any status resolves, only transport failures reject. */
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
