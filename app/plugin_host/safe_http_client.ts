import type { IncomingHttpHeaders } from 'node:http'
import { Agent, buildConnector, type Dispatcher } from 'undici'
import {
  HttpBodyUsedError,
  HttpNetworkError,
  HttpTimeoutError,
  type HttpBody,
  type HttpClient,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  type RequestPhase,
} from '@herald/plugin-sdk'
import {
  AddressGuard,
  AddressRefusedError,
  isIpLiteral,
  type AddressGuardOptions,
} from '#plugin_host/address_guard'

export { AddressRefusedError } from '#plugin_host/address_guard'

/** Time and size limits of the safe client. */
export interface HttpLimits {
  /**
   * Default time for a whole request (all redirects, until the body is read, or until `stream()` is
   * called), in ms; also the default idle limit of streams.
   */
  timeoutMs: number
  /** Ceiling for the `timeoutMs` and `idleTimeoutMs` a plugin asks for, in ms. */
  maxTimeoutMs: number
  /** Time allowed to open a connection (TCP and TLS), in ms. */
  connectTimeoutMs: number
  /** Largest response body accepted, in bytes. */
  maxResponseBytes: number
  /** Redirects followed before giving up. */
  maxRedirects: number
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  timeoutMs: 30_000,
  maxTimeoutMs: 120_000,
  connectTimeoutMs: 10_000,
  maxResponseBytes: 50 * 1024 * 1024,
  maxRedirects: 5,
}

/** A plugin called a host outside its manifest's `network.hosts` and URL settings. */
export class HostNotAllowedError extends Error {
  constructor(
    readonly host: string,
    readonly caller: string
  ) {
    super(
      `${caller} may not call ${host}: add it to herald.network.hosts in its package.json, or set a URL setting to it`
    )
    this.name = 'HostNotAllowedError'
  }
}

/** Options of {@link SafeHttpClient}. */
export interface SafeHttpClientOptions {
  /**
   * Allowlist mode (plugin calls): host patterns this client may reach, `api.example.com` (any port),
   * `127.0.0.1:4010` (that port) or `*.example.com` (subdomains).
   */
  allowedHosts?: readonly string[]
  /** User-URL mode: refuse every non-public address after DNS resolution, on every hop. */
  userUrls?: boolean | AddressGuardOptions
  /** Who is calling, for error messages (e.g. `plugin 'cloudinary'`). */
  caller?: string
  /** Cancels every request of this client (the plugin context's signal). */
  signal?: AbortSignal
  /** Limits; defaults to {@link DEFAULT_HTTP_LIMITS}. */
  limits?: Partial<HttpLimits>
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
])
/** Codes that prove nothing was sent. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
])
const USER_AGENT = 'Herald (+https://github.com/herald-studio/herald)'

/*
|--------------------------------------------------------------------------
| Shared connection pools
|--------------------------------------------------------------------------
|
| One keep-alive Agent serves every plugin call. User URLs get their own
| Agent whose connector checks each address it connects to: sharing one pool
| would let a user URL reuse a connection opened to a host an admin allowed
| (e.g. a LAN service), skipping the address check.
|
*/
let pluginAgent: Agent | undefined
let userUrlAgent: Agent | undefined
const agentOptions = (connectTimeoutMs: number) => ({
  keepAliveTimeout: 10_000,
  keepAliveMaxTimeout: 60_000,
  connections: 64,
  connect: { timeout: connectTimeoutMs },
})

function sharedPluginAgent(limits: HttpLimits): Agent {
  pluginAgent ??= new Agent(agentOptions(limits.connectTimeoutMs))
  return pluginAgent
}

/** A connector that refuses IP literals and DNS answers the guard rejects, at connect time. */
function guardedConnector(guard: AddressGuard, timeout: number): buildConnector.connector {
  const byPort = new Map<number, buildConnector.connector>()
  return (options, callback) => {
    const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80)
    if (isIpLiteral(options.hostname)) {
      const reason = guard.reasonToRefuse(options.hostname, port)
      if (reason) return callback(new AddressRefusedError(options.hostname, reason), null)
    }
    let connector = byPort.get(port)
    if (!connector) {
      connector = buildConnector({ timeout, lookup: guard.lookupFor(port) })
      byPort.set(port, connector)
    }
    return connector(options, callback)
  }
}

function userAgentFor(guardOptions: AddressGuardOptions | undefined, limits: HttpLimits) {
  const custom = guardOptions && (guardOptions.lookup || guardOptions.allowLoopbackPorts?.length)
  const build = () =>
    new Agent({
      ...agentOptions(limits.connectTimeoutMs),
      connect: guardedConnector(new AddressGuard(guardOptions), limits.connectTimeoutMs),
    })
  if (custom) return { agent: build(), owned: true }
  userUrlAgent ??= build()
  return { agent: userUrlAgent, owned: false }
}

/** Closes the shared pools (app shutdown). */
export async function closeSharedAgents(): Promise<void> {
  const agents = [pluginAgent, userUrlAgent].filter((agent) => agent !== undefined)
  pluginAgent = undefined
  userUrlAgent = undefined
  await Promise.all(agents.map((agent) => agent.close()))
}

/*
|--------------------------------------------------------------------------
| Host patterns
|--------------------------------------------------------------------------
*/
export function hostMatches(url: URL, pattern: string): boolean {
  const wanted = pattern.toLowerCase()
  if (wanted.startsWith('*.')) return url.hostname.endsWith(wanted.slice(1))
  if (/:\d+$/.test(wanted)) return url.host === wanted
  return url.hostname === wanted
}

/*
|--------------------------------------------------------------------------
| Bodies
|--------------------------------------------------------------------------
*/
async function encodeBody(
  body: HttpBody | undefined,
  headers: Record<string, string>
): Promise<Buffer | null> {
  if (body === undefined) return null
  const setType = (type: string) => {
    headers['content-type'] ??= type
  }
  if (typeof body === 'string') {
    setType('text/plain; charset=utf-8')
    return Buffer.from(body, 'utf8')
  }
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  if (body instanceof URLSearchParams) {
    setType('application/x-www-form-urlencoded;charset=UTF-8')
    return Buffer.from(body.toString(), 'utf8')
  }
  if (body instanceof FormData) {
    const encoded = new Response(body)
    headers['content-type'] = encoded.headers.get('content-type')!
    return Buffer.from(await encoded.arrayBuffer())
  }
  setType('application/json')
  return Buffer.from(JSON.stringify(body), 'utf8')
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  return headers
}

function errorCode(error: unknown): string | undefined {
  for (let value = error, depth = 0; value && depth < 5; depth++) {
    const code = (value as { code?: unknown }).code
    if (typeof code === 'string') return code
    value = (value as { cause?: unknown }).cause
  }
  return undefined
}

function refusalIn(error: unknown): AddressRefusedError | undefined {
  for (let value = error, depth = 0; value && depth < 5; depth++) {
    if (value instanceof AddressRefusedError) return value
    value = (value as { cause?: unknown }).cause
  }
  return undefined
}

/*
|--------------------------------------------------------------------------
| One exchange
|--------------------------------------------------------------------------
*/
interface Received {
  status: number
  headers: IncomingHttpHeaders
  body: ResponseBody
}

class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`response larger than ${limit} bytes`)
    this.name = 'BodyTooLargeError'
  }
}

class IdleTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no data for ${timeoutMs} ms`)
    this.name = 'IdleTimeoutError'
  }
}

/** Bytes buffered ahead of the reader before the socket is paused. */
const HIGH_WATER_MARK = 256 * 1024

/**
 * A response body as it arrives, read once by one reader: chunks are queued until `next()` takes them, the
 * socket is paused while too much waits unread, and a failure (transport error, size limit, cancel) is
 * reported to the reader at once, dropping what was queued.
 */
class ResponseBody {
  #chunks: Buffer[] = []
  #buffered = 0
  #ended = false
  #failed = false
  #error: unknown
  #waiter:
    { resolve: (chunk: Buffer | undefined) => void; reject: (error: unknown) => void } | undefined
  #onSettled: (() => void)[]

  constructor(
    readonly controller: Dispatcher.DispatchController,
    onSettled: () => void
  ) {
    this.#onSettled = [onSettled]
  }

  /** Calls `callback` once the body has ended or failed (at once if it has). */
  whenSettled(callback: () => void): void {
    if (this.settled) callback()
    else this.#onSettled.push(callback)
  }

  #settle(): void {
    for (const callback of this.#onSettled) callback()
    this.#onSettled = []
  }

  get settled(): boolean {
    return this.#ended || this.#failed
  }

  push(chunk: Buffer): void {
    if (this.settled) return
    if (this.#waiter) {
      const waiter = this.#waiter
      this.#waiter = undefined
      return waiter.resolve(chunk)
    }
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
    if (this.#buffered >= HIGH_WATER_MARK && !this.controller.paused) this.controller.pause()
  }

  end(): void {
    if (this.settled) return
    this.#ended = true
    this.#settle()
    this.#waiter?.resolve(undefined)
    this.#waiter = undefined
  }

  fail(error: unknown): void {
    if (this.settled) return
    this.#failed = true
    this.#error = error
    this.#chunks = []
    this.#buffered = 0
    this.#settle()
    this.#waiter?.reject(error)
    this.#waiter = undefined
  }

  /** Stops the exchange (closing its connection) and fails the body with `reason`. */
  cancel(reason: Error): void {
    if (this.settled) return
    this.controller.abort(reason)
    this.fail(reason)
  }

  /** The next chunk, or undefined at the end of the body. */
  next(): Promise<Buffer | undefined> {
    if (this.#failed) return Promise.reject(this.#error)
    const chunk = this.#chunks.shift()
    if (chunk) {
      this.#buffered -= chunk.length
      if (this.#buffered < HIGH_WATER_MARK / 2 && this.controller.paused) this.controller.resume()
      return Promise.resolve(chunk)
    }
    if (this.#ended) return Promise.resolve(undefined)
    if (this.controller.paused) this.controller.resume()
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject }
    })
  }

  /** The whole (remaining) body. */
  async all(): Promise<Uint8Array> {
    const chunks: Buffer[] = []
    let size = 0
    for (let chunk = await this.next(); chunk; chunk = await this.next()) {
      chunks.push(chunk)
      size += chunk.length
    }
    const bytes = new Uint8Array(size)
    let offset = 0
    for (const chunk of chunks) {
      bytes.set(chunk, offset)
      offset += chunk.length
    }
    return bytes
  }
}

/**
 * Dispatches one request and resolves when its response headers arrive, with a body read on demand (up to
 * a size limit, enforced as it arrives), recording whether the request was fully written (`sent`): that
 * decides the phase of a failure. `cancel` stops the exchange until the body has been read.
 */
function exchange(
  agent: Dispatcher,
  options: Dispatcher.DispatchOptions,
  maxBytes: number,
  cancel: AbortSignal,
  progress: { sent: boolean }
): Promise<Received> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined
    let started = false
    let done = false
    let body: ResponseBody | undefined
    let size = 0
    const settle = () => {
      if (done) return
      done = true
      cancel.removeEventListener('abort', onCancel)
    }
    const abort = (reason: unknown) => {
      controller?.abort(reason as Error)
      if (body) return body.fail(reason)
      settle()
      reject(reason)
    }
    const onCancel = () => abort(cancel.reason)
    if (cancel.aborted) return reject(cancel.reason)
    cancel.addEventListener('abort', onCancel)

    agent.dispatch(options, {
      onRequestStart(requestController) {
        controller = requestController
        if (done) requestController.abort(new Error('cancelled before start'))
      },
      onRequestSent() {
        progress.sent = true
      },
      onResponseStart(responseController, statusCode, responseHeaders) {
        progress.sent = true
        if (statusCode < 200 || started || done) return
        const declared = Number(responseHeaders['content-length'])
        if (Number.isFinite(declared) && declared > maxBytes) {
          return abort(new BodyTooLargeError(maxBytes))
        }
        started = true
        body = new ResponseBody(responseController, settle)
        resolve({ status: statusCode, headers: responseHeaders, body })
      },
      onResponseData(_responseController, chunk) {
        size += chunk.length
        if (size > maxBytes) return abort(new BodyTooLargeError(maxBytes))
        body?.push(chunk)
      },
      onResponseEnd() {
        body?.end()
      },
      onResponseError(_responseController, error) {
        if (body) return body.fail(error)
        settle()
        reject(error)
      },
    })
  })
}

/** What reading a body needs: the idle limit of streams, the deadline to stop, and the error mapping. */
interface BodyReading {
  idleTimeoutMs: number
  clearDeadline: () => void
  fail: (error: unknown) => never
}

async function* streamBody(body: ResponseBody, reading: BodyReading): AsyncGenerator<Uint8Array> {
  try {
    while (true) {
      const idle = setTimeout(
        () => body.cancel(new IdleTimeoutError(reading.idleTimeoutMs)),
        reading.idleTimeoutMs
      )
      let chunk: Buffer | undefined
      try {
        chunk = await body.next()
      } catch (error) {
        reading.fail(error)
      } finally {
        clearTimeout(idle)
      }
      if (!chunk) return
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    }
  } finally {
    // Left early (break, return, throw): stop the exchange so its connection is released.
    body.cancel(new Error('the stream was closed before its end'))
  }
}

function wrapResponse(received: Received, reading: BodyReading): HttpResponse {
  let used: 'stream' | 'whole' | undefined
  let whole: Promise<Uint8Array> | undefined
  const bytes = () => {
    if (used === 'stream') return Promise.reject(new HttpBodyUsedError('stream', 'whole'))
    used = 'whole'
    whole ??= received.body.all().catch((error: unknown) => reading.fail(error))
    return whole
  }
  const text = async () => new TextDecoder().decode(await bytes())
  return {
    status: received.status,
    headers: toHeaders(received.headers),
    text,
    json: async <T>() => JSON.parse(await text()) as T,
    bytes,
    stream: () => {
      if (used !== undefined) throw new HttpBodyUsedError(used, 'stream')
      used = 'stream'
      // A stream lives as long as data keeps coming: from here only the idle limit applies.
      reading.clearDeadline()
      return streamBody(received.body, reading)
    },
  }
}

/**
 * The HTTP client the host gives plugins (`ctx.http`) and uses for URLs typed by users.
 *
 * - Allowlist mode: only `allowedHosts` (the manifest's `network.hosts` and the hosts of URL settings).
 * - User-URL mode (`forUserUrl()`): any public address; loopback, private, link-local, CGNAT, multicast,
 *   metadata and other special addresses are refused after DNS resolution and at every redirect.
 *
 * Both: http(s) only, no credentials in URLs, one deadline per request (redirects included, until the body
 * is read, or until `stream()` is called; a stream then fails only when no chunk comes within
 * `idleTimeoutMs`), a response size limit (also enforced while streaming), and transport failures as the SDK's `HttpTimeoutError`/`HttpNetworkError` whose `phase` is
 * `connect` until the request was fully written and `response` after.
 */
export class SafeHttpClient implements HttpClient {
  readonly #options: SafeHttpClientOptions
  readonly #limits: HttpLimits
  readonly #agent: Agent
  readonly #ownsAgent: boolean

  constructor(options: SafeHttpClientOptions = {}) {
    this.#options = options
    this.#limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits }
    if (options.userUrls) {
      const guard = typeof options.userUrls === 'object' ? options.userUrls : undefined
      const { agent, owned } = userAgentFor(guard, this.#limits)
      this.#agent = agent
      this.#ownsAgent = owned
    } else {
      this.#agent = sharedPluginAgent(this.#limits)
      this.#ownsAgent = false
    }
  }

  /** A client restricted to the given hosts (a plugin's `ctx.http`). */
  static forHosts(
    hosts: readonly string[],
    options: Omit<SafeHttpClientOptions, 'allowedHosts' | 'userUrls'> = {}
  ): SafeHttpClient {
    return new SafeHttpClient({ ...options, allowedHosts: hosts })
  }

  /** A client for URLs that come from users: only public addresses, checked on every hop. */
  forUserUrl(guard: AddressGuardOptions = {}): SafeHttpClient {
    return new SafeHttpClient({ ...this.#options, allowedHosts: undefined, userUrls: guard })
  }

  /** Drops a connection pool created for custom test hooks (shared pools stay open). */
  async close(): Promise<void> {
    if (this.#ownsAgent) await this.#agent.destroy()
  }

  get limits(): Readonly<HttpLimits> {
    return this.#limits
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    const cancels = [this.#options.signal, request.signal].filter((signal) => !!signal)
    for (const signal of cancels) signal.throwIfAborted()
    const timeoutMs = Math.min(
      request.timeoutMs ?? this.#limits.timeoutMs,
      this.#limits.maxTimeoutMs
    )
    const idleTimeoutMs = Math.min(request.idleTimeoutMs ?? timeoutMs, this.#limits.maxTimeoutMs)
    const deadline = new AbortController()
    const timer = setTimeout(() => deadline.abort(new Error('deadline')), timeoutMs)
    const clearDeadline = () => clearTimeout(timer)
    const cancel = AbortSignal.any([deadline.signal, ...cancels])
    const progress = { sent: false }
    let method: HttpMethod = request.method
    let url = this.#parse(request.url)
    const headers = this.#headers(request.headers)
    let body = await encodeBody(request.body, headers)

    try {
      for (let hop = 0; ; hop++) {
        this.#check(url)
        const context = { cancels, deadline: deadline.signal, timeoutMs }
        const fail = (error: unknown) => this.#fail(error, method, url, progress, context)
        const received = await this.#send(
          url,
          method,
          headers,
          body,
          cancel,
          progress,
          timeoutMs,
          fail
        )
        const location = received.headers.location
        if (!REDIRECTS.has(received.status) || typeof location !== 'string') {
          // The deadline runs on until the body is read (or streamed), then is cleared.
          received.body.whenSettled(clearDeadline)
          return wrapResponse(received, { idleTimeoutMs, clearDeadline, fail })
        }
        // Read the redirect's body (size-limited) so its connection can be reused.
        await received.body.all().catch(fail)
        if (hop >= this.#limits.maxRedirects) {
          throw new HttpNetworkError({
            phase: progress.sent ? 'response' : 'connect',
            method: request.method,
            url: request.url,
            reason: `more than ${this.#limits.maxRedirects} redirects`,
          })
        }
        const next = this.#parse(location, url)
        if (next.origin !== url.origin) {
          for (const name of ['authorization', 'cookie', 'proxy-authorization'])
            delete headers[name]
        }
        if (
          received.status === 303 ||
          ([301, 302].includes(received.status) && method === 'POST')
        ) {
          method = method === 'HEAD' ? 'HEAD' : 'GET'
          body = null
          delete headers['content-type']
        }
        url = next
      }
    } catch (error) {
      clearDeadline()
      throw error
    }
  }

  #headers(input: Record<string, string> | undefined): Record<string, string> {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(input ?? {})) headers[name.toLowerCase()] = value
    // Bodies are returned as received; asking for compression would hand plugins gzip bytes.
    delete headers['accept-encoding']
    delete headers['host']
    headers['user-agent'] ??= USER_AGENT
    return headers
  }

  #parse(input: string | URL, base?: URL): URL {
    let url: URL
    try {
      url = new URL(input, base)
    } catch {
      throw new AddressRefusedError(String(input).slice(0, 200), 'it is not a valid URL')
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new AddressRefusedError(url.href, 'only http and https URLs are allowed')
    }
    if (url.username || url.password) {
      throw new AddressRefusedError(
        `${url.protocol}//${url.host}`,
        'URLs with a user name or password are not allowed'
      )
    }
    return url
  }

  #check(url: URL): void {
    if (this.#options.userUrls) {
      if (isIpLiteral(url.hostname)) {
        const guard = typeof this.#options.userUrls === 'object' ? this.#options.userUrls : {}
        const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80)
        const reason = new AddressGuard(guard).reasonToRefuse(url.hostname, port)
        if (reason) throw new AddressRefusedError(url.href, reason)
      }
      return
    }
    const hosts = this.#options.allowedHosts ?? []
    if (!hosts.some((pattern) => hostMatches(url, pattern))) {
      throw new HostNotAllowedError(url.host, this.#options.caller ?? 'this client')
    }
  }

  async #send(
    url: URL,
    method: HttpMethod,
    headers: Record<string, string>,
    body: Buffer | null,
    cancel: AbortSignal,
    progress: { sent: boolean },
    timeoutMs: number,
    fail: (error: unknown) => never
  ): Promise<Received> {
    try {
      return await exchange(
        this.#agent,
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method,
          headers,
          body,
          headersTimeout: timeoutMs,
          // Bodies are bounded by the request deadline, or by the idle limit once streamed.
          bodyTimeout: 0,
        },
        this.#limits.maxResponseBytes,
        cancel,
        progress
      )
    } catch (error) {
      return fail(error)
    }
  }

  /** Maps a failure of an exchange, before or after its headers, to what `request()` promises. */
  #fail(
    error: unknown,
    method: HttpMethod,
    url: URL,
    progress: { sent: boolean },
    context: { cancels: AbortSignal[]; deadline: AbortSignal; timeoutMs: number }
  ): never {
    const refusal = refusalIn(error)
    if (refusal) throw refusal
    const cancelled = context.cancels.find((signal) => signal.aborted)
    if (cancelled) throw cancelled.reason
    const code = errorCode(error)
    const phase: RequestPhase =
      code !== undefined && CONNECT_CODES.has(code)
        ? 'connect'
        : progress.sent
          ? 'response'
          : 'connect'
    const details = { phase, method, url, cause: error }
    if (error instanceof IdleTimeoutError) {
      throw new HttpTimeoutError({ ...details, timeoutMs: error.timeoutMs })
    }
    if (context.deadline.aborted || (code !== undefined && TIMEOUT_CODES.has(code))) {
      throw new HttpTimeoutError({ ...details, timeoutMs: context.timeoutMs })
    }
    const reason =
      error instanceof BodyTooLargeError ? error.message : (code ?? (error as Error)?.message)
    throw new HttpNetworkError({ ...details, reason })
  }
}
