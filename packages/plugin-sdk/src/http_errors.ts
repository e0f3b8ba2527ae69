import type { HttpMethod } from './http.js'

/**
 * How far a failed request got. `connect`: it never fully left (DNS, connect, TLS or while sending), so the
 * server cannot have acted on it. `response`: it was sent and the failure came while waiting for or reading
 * the response, so a creating request may have been applied.
 */
export type RequestPhase = 'connect' | 'response'

/** Details shared by HTTP transport errors. */
export interface HttpErrorDetails {
  /** How far the request got. */
  phase: RequestPhase
  /** Request method. */
  method: HttpMethod
  /** Request URL. Query string and credentials are dropped, since they may hold secrets. */
  url: string | URL
  /** Underlying error. */
  cause?: unknown
}

function safeUrl(url: string | URL): string {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  } catch {
    return '(invalid url)'
  }
}

/** Base of the transport errors thrown by `ctx.http`. */
export abstract class HttpTransportError extends Error {
  /** How far the request got; see {@link RequestPhase}. */
  readonly phase: RequestPhase
  /** Request method. */
  readonly method: HttpMethod
  /** Request origin and path (no query string). */
  readonly url: string

  constructor(message: string, details: HttpErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = new.target.name
    this.phase = details.phase
    this.method = details.method
    this.url = safeUrl(details.url)
  }
}

/**
 * The request timed out. With `phase: 'response'` the request had been sent: a publisher must report a
 * creating request that timed out this way as `Unknown`, never as retryable.
 */
export class HttpTimeoutError extends HttpTransportError {
  constructor(details: HttpErrorDetails & { timeoutMs: number }) {
    const when =
      details.phase === 'connect' ? 'before the request was sent' : 'after the request was sent'
    super(
      `${details.method} ${safeUrl(details.url)} timed out after ${details.timeoutMs} ms ${when}`,
      details
    )
  }
}

/** The connection failed (refused, reset, closed, DNS). `phase` tells whether the request had been sent. */
export class HttpNetworkError extends HttpTransportError {
  constructor(details: HttpErrorDetails & { reason?: string }) {
    const when =
      details.phase === 'connect' ? 'before the request was sent' : 'after the request was sent'
    const reason = details.reason ? ` (${details.reason})` : ''
    super(`${details.method} ${safeUrl(details.url)} failed ${when}${reason}`, details)
  }
}

/**
 * The response body was already read: `stream()` after `text()`/`json()`/`bytes()` or after another
 * `stream()`, or a whole read after `stream()`. A programming error, not a transport failure.
 */
export class HttpBodyUsedError extends Error {
  constructor(already: 'stream' | 'whole', attempted: 'stream' | 'whole') {
    const how = (read: 'stream' | 'whole') =>
      read === 'stream' ? 'stream()' : 'text()/json()/bytes()'
    super(
      `the response body was already read with ${how(already)}; it cannot be read again with ${how(attempted)}`
    )
    this.name = 'HttpBodyUsedError'
  }
}

/**
 * What kind of transport failure an error is, and when it happened; undefined for anything else.
 * Recognises the errors by name too, so it works when the host and a plugin load different copies
 * of the SDK (where `instanceof` fails).
 */
export function transportFailure(
  error: unknown
): { kind: 'timeout' | 'network'; phase: RequestPhase } | undefined {
  if (!(error instanceof Error) || !('phase' in error)) return undefined
  const phase = (error as { phase: unknown }).phase === 'connect' ? 'connect' : 'response'
  if (error instanceof HttpTimeoutError || error.name === 'HttpTimeoutError') {
    return { kind: 'timeout', phase }
  }
  if (error instanceof HttpTransportError || error.name === 'HttpNetworkError') {
    return { kind: 'network', phase }
  }
  return undefined
}
