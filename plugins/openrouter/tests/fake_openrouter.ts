import { randomUUID } from 'node:crypto'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { setTimeout as delay } from 'node:timers/promises'
import {
  FAKE_ASPECT_RATIOS,
  FAKE_MODELS,
  FAKE_TOKENS_PER_IMAGE,
  type FakeModel,
  fakeImagePrice,
} from './fake_catalog.js'
import { createLargePng, createPng, GIF, JPEG_HEAD, sizeFor, WEBP_HEAD } from './fake_images.js'

export { FAKE_MODELS } from './fake_catalog.js'

/** The key the fake accepts unless {@link FakeOpenRouter.revokeKey} was called. */
export const FAKE_OPENROUTER_KEY = 'sk-or-v1-fake-4f1c2e9a7b3d5c8e1a6f'

/** The text the fake writes unless `reply` is changed; multi-byte characters exercise UTF-8 splits. */
export const FAKE_REPLY =
  'Spring is here 🌸 and the café on Main Street opens at 8 — come say hello!'

/** One request the fake received. */
export interface FakeRequest {
  method: string
  /** Path without the query, e.g. `/api/v1/chat/completions`. */
  path: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  /** Parsed JSON body, or undefined. */
  body: Record<string, unknown> | undefined
  rawBody: string
}

/** Progress of one streamed answer, for tests that check incremental delivery and early closes. */
export interface FakeStream {
  /** Content deltas handed to the socket so far (all fully written while `held`, or once `finished`). */
  deltasWritten: number
  /** Content deltas the answer has in all. */
  totalDeltas: number
  /** The fake is pausing (see {@link FakeOpenRouter.holdStream}). */
  held: boolean
  /** The fake wrote everything and ended the response. */
  finished: boolean
  /** The client closed the connection before the end. */
  closedByClient: boolean
}

/** What image requests return (see {@link FakeOpenRouter.imageMode}). */
export type FakeImageMode =
  | 'png'
  | 'two-pngs'
  | 'jpeg'
  | 'webp'
  | 'mislabelled-jpeg'
  | 'no-type-field'
  | 'gif'
  | 'garbage'
  | 'oversized'
  | 'none'
  | 'url'

/** Endpoint a fault applies to. */
export type FaultPath = 'chat' | 'models' | 'any'

type Fault =
  | {
      type: 'status'
      status: number
      message: string
      headers: Record<string, string>
      metadata?: Record<string, unknown>
    }
  | { type: 'hang' }
  | { type: 'drop' }
  | { type: 'not-json' }
  | { type: 'in-body-error'; code: number; message: string; metadata?: Record<string, unknown> }
  | {
      type: 'mid-stream'
      after: number
      action: 'hang' | 'drop' | 'end' | 'error'
      code?: number
      message?: string
    }

type Frame = { text: string; delta: boolean }

const STATUS_MESSAGES: Record<number, string> = {
  400: 'Bad Request',
  401: 'No auth credentials found',
  402: 'Insufficient credits. Add more using https://openrouter.ai/credits',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request timed out',
  429: 'Rate limit exceeded',
  500: 'Internal Server Error',
  502: 'Provider returned error',
  503: 'No available model provider that meets your routing requirements',
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool'])

/** Byte counts held back from each write, so writes never end on an event boundary. */
const CARRIES = [3, 1, 5, 0, 2, 7, 4]
/** Where each write is split in two (fraction of its length). */
const SPLITS = [0.5, 0.13, 0.77, 0.31, 0.9, 0.05]

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function validMessage(message: unknown): boolean {
  if (!isRecord(message) || typeof message.role !== 'string' || !ROLES.has(message.role)) {
    return false
  }
  const content = message.content
  if (typeof content === 'string') return true
  return (
    Array.isArray(content) &&
    content.length > 0 &&
    content.every(
      (part) =>
        isRecord(part) &&
        ((part.type === 'text' && typeof part.text === 'string') ||
          (part.type === 'image_url' &&
            isRecord(part.image_url) &&
            typeof part.image_url.url === 'string'))
    )
  )
}

function promptTokens(messages: unknown[]): number {
  const chars = messages
    .map((message) =>
      isRecord(message) && typeof message.content === 'string' ? message.content : ''
    )
    .join('').length
  return Math.max(1, Math.ceil(chars / 4))
}

/**
 * A contract-faithful fake of OpenRouter's API (`/api/v1/chat/completions`, `/api/v1/models`) on
 * 127.0.0.1, for the plugin's tests, app-level tests and benchmarks. As strict as the real API on what it
 * accepts (bearer key, JSON content type, model and messages shape, known models, output modalities, aspect
 * ratios), and able to fail in every way the plugin must handle. Faults last until `reset()`.
 *
 * Assumptions where OpenRouter's docs are silent: usage `cost` is only reported when the request asks for
 * usage accounting (`usage: { include: true }`), and a stream's usage chunk likewise; `X-RateLimit-Reset`
 * is in ms since the epoch; asking an image-only model for text (or a text model for images) is a 404
 * "No endpoints found that support the requested output modalities".
 */
export class FakeOpenRouter {
  /** Every request received since the last reset, oldest first. */
  readonly requests: FakeRequest[] = []
  /** Every streamed answer since the last reset. */
  readonly streams: FakeStream[] = []
  /** Images served by the last image response. */
  lastImages: Buffer[] = []
  /** Delay before any response, in ms. */
  latencyMs = 0
  /** Pause between stream events, in ms. */
  chunkDelayMs = 0
  /** Text of every answer. */
  reply = FAKE_REPLY
  /** Line ending of stream events. */
  lineEnding: '\n' | '\r\n' = '\n'
  /** What image requests return. */
  imageMode: FakeImageMode = 'png'
  /** Size of the `oversized` image in bytes (default 21 MiB, over the plugin's 20 MiB limit). */
  oversizedBytes = 21 * 1024 * 1024
  /** Answer as for a bring-your-own-key account: `cost` is the fee, the rest is upstream. */
  byok = false

  #server?: Server
  #port = 0
  #key = FAKE_OPENROUTER_KEY
  #fault?: Fault
  #faultPath: FaultPath = 'chat'
  /** Requests the fault still applies to; undefined = until reset(). */
  #faultTimes?: number
  #refusal?: string
  #holdAfter?: number
  #release: (() => void)[] = []
  #files = new Map<string, Buffer>()
  readonly #open = new Set<ServerResponse>()

  /** The key to configure the plugin with (accepted until {@link revokeKey}). */
  get apiKey(): string {
    return FAKE_OPENROUTER_KEY
  }

  /** `http://127.0.0.1:<port>`. */
  get origin(): string {
    if (!this.#server) throw new Error('FakeOpenRouter is not started')
    return `http://127.0.0.1:${this.#port}`
  }

  /** The API base URL, `http://127.0.0.1:<port>/api/v1` (the plugin's `baseUrl` setting). */
  get url(): string {
    return `${this.origin}/api/v1`
  }

  /** Plugin settings pointing at this fake. */
  settings(): { apiKey: string; baseUrl: string; appName: string } {
    return { apiKey: FAKE_OPENROUTER_KEY, baseUrl: this.url, appName: 'Herald' }
  }

  async start(): Promise<void> {
    if (this.#server) return
    const server = createServer((request, response) => {
      this.#open.add(response)
      response.on('close', () => this.#open.delete(response))
      this.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.#error(response, 500, String(error))
        else response.destroy()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.#port = (server.address() as { port: number }).port
    this.#server = server
  }

  async stop(): Promise<void> {
    const server = this.#server
    if (!server) return
    this.#server = undefined
    this.#releaseAll()
    for (const response of this.#open) response.destroy()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Forgets requests, faults and options. */
  reset(): void {
    this.requests.length = 0
    this.streams.length = 0
    this.lastImages = []
    this.latencyMs = 0
    this.chunkDelayMs = 0
    this.reply = FAKE_REPLY
    this.lineEnding = '\n'
    this.imageMode = 'png'
    this.oversizedBytes = 21 * 1024 * 1024
    this.byok = false
    this.#key = FAKE_OPENROUTER_KEY
    this.#fault = undefined
    this.#faultPath = 'chat'
    this.#faultTimes = undefined
    this.#refusal = undefined
    this.#holdAfter = undefined
    this.#files.clear()
    this.#releaseAll()
  }

  /** Requests to a path ending with `suffix`, e.g. `/chat/completions`. */
  requestsTo(suffix: string): FakeRequest[] {
    return this.requests.filter((request) => request.path.endsWith(suffix))
  }

  /** From now on the key the plugin holds is wrong: every call answers 401 "User not found.". */
  revokeKey(): void {
    this.#key = 'sk-or-v1-rotated-0000000000000000'
  }

  /** Answers `status` with OpenRouter's error envelope. */
  fail(
    status: number,
    options: {
      message?: string
      headers?: Record<string, string>
      metadata?: Record<string, unknown>
      path?: FaultPath
      /** Fail only this many requests, then answer normally again (default: until reset). */
      times?: number
    } = {}
  ): void {
    this.#fault = {
      type: 'status',
      status,
      message: options.message ?? STATUS_MESSAGES[status] ?? `HTTP ${status}`,
      headers: options.headers ?? {},
      metadata: options.metadata,
    }
    this.#faultPath = options.path ?? 'chat'
    this.#faultTimes = options.times
  }

  /**
   * The model refuses: a 200 whose choice finishes with `content_filter` and carries the model's
   * `refusal` text (streamed: after the first delta). Lasts until reset.
   */
  refuse(refusal = 'I can’t help with that request.'): void {
    this.#refusal = refusal
  }

  /** 429 with `X-RateLimit-*` headers (reset in ms since the epoch) and optionally `Retry-After`. */
  rateLimit(options: { resetAt?: Date; retryAfterSeconds?: number; headers?: boolean } = {}): void {
    const headers: Record<string, string> = {}
    if (options.headers !== false) {
      headers['X-RateLimit-Limit'] = '20'
      headers['X-RateLimit-Remaining'] = '0'
      headers['X-RateLimit-Reset'] = String(
        (options.resetAt ?? new Date(Date.now() + 60_000)).getTime()
      )
    }
    if (options.retryAfterSeconds !== undefined) {
      headers['Retry-After'] = String(options.retryAfterSeconds)
    }
    this.fail(429, { headers, metadata: { error_type: 'rate_limit_exceeded' } })
  }

  /** 403 with moderation metadata, as when a provider's moderation flags the prompt. */
  moderate(reasons: string[] = ['violence', 'harassment']): void {
    this.fail(403, {
      message: 'Input was flagged by moderation',
      metadata: {
        reasons,
        flagged_input: 'a picture of…',
        provider_name: 'FakeProvider',
        model_slug: 'fake/model',
      },
    })
  }

  /** Accepts the request and never answers. */
  hang(path: FaultPath = 'chat'): void {
    this.#fault = { type: 'hang' }
    this.#faultPath = path
  }

  /** Closes the connection without answering. */
  drop(path: FaultPath = 'chat'): void {
    this.#fault = { type: 'drop' }
    this.#faultPath = path
  }

  /** Answers 200 with a body that is not JSON (a broken proxy). */
  notJson(path: FaultPath = 'chat'): void {
    this.#fault = { type: 'not-json' }
    this.#faultPath = path
  }

  /** Answers 200 with an error in the body, as when the model failed after processing started. */
  errorInBody(code: number, message: string, metadata?: Record<string, unknown>): void {
    this.#fault = { type: 'in-body-error', code, message, metadata }
    this.#faultPath = 'chat'
  }

  /** Streams `after` deltas, then stops writing and keeps the connection open. */
  hangMidStream(after = 2): void {
    this.#fault = { type: 'mid-stream', after, action: 'hang' }
    this.#faultPath = 'chat'
  }

  /** Streams `after` deltas, then destroys the connection. */
  dropMidStream(after = 2): void {
    this.#fault = { type: 'mid-stream', after, action: 'drop' }
    this.#faultPath = 'chat'
  }

  /** Streams `after` deltas, then ends the response cleanly without `[DONE]`. */
  endStreamEarly(after = 2): void {
    this.#fault = { type: 'mid-stream', after, action: 'end' }
    this.#faultPath = 'chat'
  }

  /** Streams `after` deltas, then an error chunk (`finish_reason: "error"`), then ends. */
  errorMidStream(options: { after?: number; code?: number; message?: string } = {}): void {
    this.#fault = {
      type: 'mid-stream',
      after: options.after ?? 2,
      action: 'error',
      code: options.code ?? 502,
      message: options.message ?? 'Provider returned error',
    }
    this.#faultPath = 'chat'
  }

  /** Streams `after` deltas, then pauses until {@link release}. */
  holdStream(after = 1): void {
    this.#holdAfter = after
  }

  /** Resumes held streams. */
  release(): void {
    this.#releaseAll()
  }

  #releaseAll(): void {
    const waiting = this.#release
    this.#release = []
    for (const resume of waiting) resume()
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const rawBody = Buffer.concat(chunks).toString('utf8')
    const url = new URL(request.url ?? '/', 'http://fake')
    let body: Record<string, unknown> | undefined
    try {
      const parsed: unknown = rawBody === '' ? undefined : JSON.parse(rawBody)
      body = isRecord(parsed) ? parsed : undefined
    } catch {
      body = undefined
    }
    this.requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body,
      rawBody,
    })
    if (this.latencyMs > 0) await delay(this.latencyMs)

    if (url.pathname.startsWith('/files/') && request.method === 'GET') {
      const file = this.#files.get(url.pathname.slice('/files/'.length))
      if (!file) return this.#error(response, 404, 'Not Found')
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': file.length })
      return void response.end(file)
    }
    const route =
      url.pathname === '/api/v1/chat/completions'
        ? 'chat'
        : url.pathname === '/api/v1/models'
          ? 'models'
          : undefined
    if (!route) return this.#error(response, 404, 'Not Found')
    if (request.method !== (route === 'chat' ? 'POST' : 'GET')) {
      return this.#error(response, 405, 'Method Not Allowed')
    }
    const authorization = request.headers.authorization
    if (!authorization?.startsWith('Bearer ')) {
      return this.#error(response, 401, 'No auth credentials found')
    }
    if (authorization.slice('Bearer '.length) !== this.#key) {
      return this.#error(response, 401, 'User not found.')
    }

    const fault =
      this.#fault && (this.#faultPath === 'any' || this.#faultPath === route)
        ? this.#fault
        : undefined
    if (fault && this.#faultTimes !== undefined && --this.#faultTimes <= 0) {
      this.#fault = undefined
      this.#faultTimes = undefined
    }
    if (fault?.type === 'hang') return
    if (fault?.type === 'drop') return void request.socket.destroy()
    if (fault?.type === 'status') {
      return this.#error(response, fault.status, fault.message, fault.metadata, fault.headers)
    }
    if (fault?.type === 'not-json') {
      response.writeHead(200, { 'content-type': 'text/html' })
      return void response.end('<html><body>Bad gateway</body></html>')
    }
    if (route === 'models') return this.#models(url, response)
    return this.#chat(request, body, response, fault)
  }

  #models(url: URL, response: ServerResponse): void {
    const wanted = (url.searchParams.get('output_modalities') ?? 'text').split(',')
    const data = FAKE_MODELS.filter(
      (entry) =>
        wanted.includes('all') ||
        entry.architecture.output_modalities.some((modality) => wanted.includes(modality))
    )
    this.#json(response, 200, { data })
  }

  #chat(
    request: IncomingMessage,
    body: Record<string, unknown> | undefined,
    response: ServerResponse,
    fault: Fault | undefined
  ): void {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    if (type !== 'application/json') {
      return this.#error(response, 400, 'Content-Type must be application/json')
    }
    if (!body) return this.#error(response, 400, 'Request body must be a JSON object')
    if (typeof body.model !== 'string' || body.model === '') {
      return this.#error(response, 400, 'model: Required')
    }
    const messages = body.messages
    if (!Array.isArray(messages) || messages.length === 0) {
      return this.#error(response, 400, 'messages: Expected a non-empty array')
    }
    if (!messages.every(validMessage)) {
      return this.#error(response, 400, 'messages: Invalid message shape')
    }
    const entry = FAKE_MODELS.find((candidate) => candidate.id === body.model)
    if (!entry) return this.#error(response, 400, `${body.model} is not a valid model ID`)
    if (
      body.max_tokens !== undefined &&
      !(Number.isInteger(body.max_tokens) && (body.max_tokens as number) > 0)
    ) {
      return this.#error(response, 400, 'max_tokens: Expected a positive integer')
    }
    if (
      body.temperature !== undefined &&
      !(typeof body.temperature === 'number' && body.temperature >= 0 && body.temperature <= 2)
    ) {
      return this.#error(response, 400, 'temperature: Expected a number between 0 and 2')
    }
    const modalities = body.modalities ?? ['text']
    if (
      !Array.isArray(modalities) ||
      modalities.length === 0 ||
      !modalities.every((modality) => ['text', 'image', 'audio'].includes(modality as string))
    ) {
      return this.#error(response, 400, 'modalities: Invalid value')
    }
    const outputs = entry.architecture.output_modalities
    if (!modalities.every((modality) => outputs.includes(modality as string))) {
      return this.#error(
        response,
        404,
        `No endpoints found that support the requested output modalities: ${modalities.join(', ')}`
      )
    }
    const imageConfig = body.image_config
    if (imageConfig !== undefined) {
      const ratio = isRecord(imageConfig) ? imageConfig.aspect_ratio : undefined
      if (ratio !== undefined && !FAKE_ASPECT_RATIOS.includes(ratio as string)) {
        return this.#error(
          response,
          400,
          `image_config.aspect_ratio: Invalid value ${String(ratio)}`
        )
      }
    }
    if (fault?.type === 'in-body-error') {
      return this.#json(response, 200, {
        id: `gen-${randomUUID()}`,
        object: 'chat.completion',
        model: entry.id,
        error: { code: fault.code, message: fault.message, metadata: fault.metadata ?? {} },
        choices: [],
      })
    }
    const includeUsage = isRecord(body.usage) && body.usage.include === true
    if (this.#refusal !== undefined && body.stream !== true) {
      return this.#json(response, 200, {
        ...this.#envelope(entry, 'chat.completion'),
        choices: [
          {
            index: 0,
            finish_reason: 'content_filter',
            native_finish_reason: 'SAFETY',
            message: { role: 'assistant', content: '', refusal: this.#refusal, images: [] },
          },
        ],
        usage: this.#usage(entry, promptTokens(messages), 0, 0, includeUsage),
      })
    }
    if (modalities.includes('image')) {
      const ratio = isRecord(imageConfig)
        ? (imageConfig.aspect_ratio as string | undefined)
        : undefined
      return this.#image(entry, messages, ratio, includeUsage, response)
    }
    const pieces = this.reply.match(/\S+\s*/g) ?? []
    const limit = typeof body.max_tokens === 'number' ? body.max_tokens : pieces.length
    // A refusing model streams a word, then stops with `content_filter` and its refusal.
    const kept = pieces.slice(0, this.#refusal === undefined ? limit : Math.min(1, limit))
    const finish =
      this.#refusal !== undefined
        ? 'content_filter'
        : kept.length < pieces.length
          ? 'length'
          : 'stop'
    const usage = this.#usage(entry, promptTokens(messages), kept.length, 0, includeUsage)
    if (body.stream === true) {
      return void this.#stream(
        entry,
        kept,
        finish,
        includeUsage ? usage : undefined,
        response,
        fault
      )
    }
    this.#json(response, 200, {
      ...this.#envelope(entry, 'chat.completion'),
      choices: [
        {
          index: 0,
          finish_reason: finish,
          native_finish_reason: finish,
          logprobs: null,
          message: { role: 'assistant', content: kept.join(''), refusal: null, reasoning: null },
        },
      ],
      usage,
    })
  }

  #envelope(entry: FakeModel, object: string): Record<string, unknown> {
    return {
      id: `gen-${Date.now()}-${randomUUID().slice(0, 8)}`,
      object,
      created: Math.floor(Date.now() / 1000),
      model: entry.id,
      provider: 'FakeProvider',
      system_fingerprint: null,
    }
  }

  #usage(
    entry: FakeModel,
    prompt: number,
    completion: number,
    images: number,
    withCost: boolean
  ): Record<string, unknown> {
    const usage: Record<string, unknown> = {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
    }
    if (!withCost) return usage
    const upstream = Number(
      (
        prompt * Number(entry.pricing.prompt) +
        (images > 0 ? 0 : completion * Number(entry.pricing.completion)) +
        images * fakeImagePrice(entry)
      ).toPrecision(12)
    )
    const cost = this.byok ? Number((upstream * 0.05).toPrecision(12)) : upstream
    return {
      ...usage,
      cost,
      is_byok: this.byok,
      cost_details: { upstream_inference_cost: this.byok ? upstream : null },
    }
  }

  #image(
    entry: FakeModel,
    messages: unknown[],
    aspectRatio: string | undefined,
    includeUsage: boolean,
    response: ServerResponse
  ): void {
    const dataUrl = (mime: string, bytes: Buffer) =>
      `data:${mime};base64,${bytes.toString('base64')}`
    const png = (seed: number) => createPng({ ...sizeFor(aspectRatio), seed })
    const item = (url: string) => ({ type: 'image_url', image_url: { url } })
    let images: Record<string, unknown>[] = []
    let served: Buffer[] = []
    const mode = this.imageMode
    if (mode === 'png' || mode === 'no-type-field') {
      served = [png(1)]
      images = [
        mode === 'png'
          ? item(dataUrl('image/png', served[0]))
          : { image_url: { url: dataUrl('image/png', served[0]) } },
      ]
    } else if (mode === 'two-pngs') {
      served = [png(1), png(2)]
      images = served.map((bytes) => item(dataUrl('image/png', bytes)))
    } else if (mode === 'jpeg' || mode === 'mislabelled-jpeg') {
      served = [JPEG_HEAD]
      images = [item(dataUrl(mode === 'jpeg' ? 'image/jpeg' : 'image/png', JPEG_HEAD))]
    } else if (mode === 'webp') {
      served = [WEBP_HEAD]
      images = [item(dataUrl('image/webp', WEBP_HEAD))]
    } else if (mode === 'gif') {
      served = [GIF]
      images = [item(dataUrl('image/gif', GIF))]
    } else if (mode === 'garbage') {
      served = [Buffer.from('this is not an image, just text')]
      images = [item(dataUrl('image/png', served[0]))]
    } else if (mode === 'oversized') {
      served = [createLargePng(this.oversizedBytes)]
      images = [item(dataUrl('image/png', served[0]))]
    } else if (mode === 'url') {
      served = [png(1)]
      const name = `${randomUUID()}.png`
      this.#files.set(name, served[0])
      images = [item(`${this.origin}/files/${name}`)]
    }
    this.lastImages = served
    const content =
      images.length === 0
        ? 'I cannot draw that, but here is a description of a sunset instead.'
        : 'Here is the image you asked for.'
    this.#json(response, 200, {
      ...this.#envelope(entry, 'chat.completion'),
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          native_finish_reason: 'STOP',
          message: { role: 'assistant', content, images },
        },
      ],
      usage: this.#usage(
        entry,
        promptTokens(messages),
        images.length * FAKE_TOKENS_PER_IMAGE,
        images.length,
        includeUsage
      ),
    })
  }

  #event(payload: Record<string, unknown> | string, splitLines = false): string {
    const end = this.lineEnding
    if (typeof payload === 'string') return `data: ${payload}${end}${end}`
    const json = JSON.stringify(payload)
    if (!splitLines) return `data: ${json}${end}${end}`
    // One event over two `data:` lines; the parser joins them with "\n", still valid JSON.
    const cut = json.indexOf(',') + 1
    return `data: ${json.slice(0, cut)}${end}data:${json.slice(cut)}${end}${end}`
  }

  async #stream(
    entry: FakeModel,
    pieces: string[],
    finish: string,
    usage: Record<string, unknown> | undefined,
    response: ServerResponse,
    fault: Fault | undefined
  ): Promise<void> {
    const state: FakeStream = {
      deltasWritten: 0,
      totalDeltas: pieces.length,
      held: false,
      finished: false,
      closedByClient: false,
    }
    this.streams.push(state)
    response.on('close', () => {
      if (!state.finished) state.closedByClient = true
    })
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    })
    const base = this.#envelope(entry, 'chat.completion.chunk')
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
      ...base,
      choices,
      ...extra,
    })
    const end = this.lineEnding
    const frames: Frame[] = [
      { text: `: OPENROUTER PROCESSING${end}${end}`, delta: false },
      {
        text: this.#event(
          chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])
        ),
        delta: false,
      },
    ]
    pieces.forEach((piece, index) => {
      frames.push({
        text: this.#event(chunk([{ index: 0, delta: { content: piece }, finish_reason: null }])),
        delta: true,
      })
      if (index === 1) frames.push({ text: `: OPENROUTER PROCESSING${end}${end}`, delta: false })
    })
    const last = finish === 'content_filter' ? { refusal: this.#refusal } : {}
    frames.push({
      text: this.#event(
        chunk([{ index: 0, delta: last, finish_reason: finish, native_finish_reason: finish }])
      ),
      delta: false,
    })
    if (usage) frames.push({ text: this.#event(chunk([], { usage }), true), delta: false })
    frames.push({ text: this.#event('[DONE]'), delta: false })

    const closed = () => response.destroyed || response.writableEnded
    let pending = Buffer.alloc(0)
    let writes = 0
    const flush = () => {
      if (pending.length > 0 && !closed()) response.write(pending)
      pending = Buffer.alloc(0)
    }
    const midStream = fault?.type === 'mid-stream' ? fault : undefined
    for (const frame of frames) {
      if (closed()) return
      if (frame.delta && this.#holdAfter === state.deltasWritten) {
        flush()
        this.#holdAfter = undefined
        state.held = true
        await new Promise<void>((resolve) => this.#release.push(resolve))
        state.held = false
        if (closed()) return
      }
      if (frame.delta && midStream?.after === state.deltasWritten) {
        flush()
        if (midStream.action === 'hang') return
        if (midStream.action === 'drop') return void response.socket?.destroy()
        if (midStream.action === 'error') {
          response.write(
            this.#event(
              chunk([{ index: 0, delta: { content: '' }, finish_reason: 'error' }], {
                error: { code: midStream.code, message: midStream.message, metadata: {} },
              })
            )
          )
        }
        state.finished = true
        return void response.end()
      }
      // Hold back a few bytes and split the rest in two, so chunk boundaries fall anywhere.
      pending = Buffer.concat([pending, Buffer.from(frame.text, 'utf8')])
      const carry = Math.min(pending.length, CARRIES[writes % CARRIES.length])
      const out = pending.subarray(0, pending.length - carry)
      pending = Buffer.from(pending.subarray(pending.length - carry))
      const cut = Math.floor(out.length * SPLITS[writes % SPLITS.length])
      writes++
      if (cut > 0) response.write(out.subarray(0, cut))
      if (out.length > cut) response.write(out.subarray(cut))
      if (frame.delta) state.deltasWritten++
      if (this.chunkDelayMs > 0) await delay(this.chunkDelayMs)
    }
    flush()
    if (closed()) return
    state.finished = true
    response.end()
  }

  #json(
    response: ServerResponse,
    status: number,
    payload: unknown,
    headers: Record<string, string> = {}
  ): void {
    const body = JSON.stringify(payload)
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...headers,
    })
    response.end(body)
  }

  #error(
    response: ServerResponse,
    status: number,
    message: string,
    metadata?: Record<string, unknown>,
    headers: Record<string, string> = {}
  ): void {
    const error: Record<string, unknown> = { code: status, message }
    if (metadata) error.metadata = metadata
    this.#json(response, status, { error }, headers)
  }
}
