import { createHash, randomBytes } from 'node:crypto'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { setTimeout as delay } from 'node:timers/promises'
import twitterText from 'twitter-text'

/**
 * A contract-faithful fake of the X API v2 pieces Herald uses, on 127.0.0.1 with a random port, for the
 * plugin's tests, the host's functional and browser tests and benchmarks. One server plays both hosts:
 * the authorization page (`/i/oauth2/authorize`, the `authorizeUrl` setting) and the API (`/2/...`, the
 * `apiBaseUrl` setting).
 *
 * Strict like the real API (platform-apis.md §2): PKCE (S256 or plain) checked at the token endpoint, the
 * confidential client's Basic auth, grant types, single-use rotating refresh tokens (a spent one answers
 * `invalid_grant`), revoked and expired tokens (401 on the API), scopes per endpoint, media upload v2
 * (initialize JSON, append multipart, finalize, STATUS, metadata) with content types, sizes and magic bytes
 * checked, POST /2/tweets with X's schema (unknown fields rejected, 1-4 media ids that must be finalised and
 * owned, an existing reply target), 280 weighted characters and duplicate detection (same text by the same
 * account → 403). Returned texts are rewritten like X does (`&` `<` `>` as entities, links as t.co, a t.co
 * link appended for media). Rate-limit headers (epoch seconds) on every API answer.
 *
 * Fault modes (each until `reset()`, optionally after `skip` matching requests and for `times`): an error
 * status, 429 with reset headers (recording every request that arrives before the reset), usage cap, no
 * credits, hang, drop, commit-then-hang and drop-after-commit (the request is applied, then the answer
 * never comes), slow answers, revoked or expired tokens, denied consent.
 *
 * Assumptions where X's docs are silent (platform-apis.md §6): the body of a successful APPEND; 400 for an
 * over-long text; `invalid_grant` for a spent refresh token and `invalid_request` for an unknown one; 403
 * with "deleted or not visible" for a missing reply target; 200 from the revoke endpoint for unknown tokens.
 */

/** The OAuth client the fake knows (a confidential client). */
export const FAKE_X_CLIENT = {
  id: 'ZmFrZS14LWNsaWVudC1pZDoxOmNp',
  secret: 'fake-x-client-secret-Wq3vT9kL2mN8pR5s',
} as const

/** A user of the fake. */
export interface FakeXUser {
  id: string
  username: string
  name: string
  profileImageUrl: string
}

/** The user who approves the consent screen unless `consentAs` names another. */
export const FAKE_X_USER: FakeXUser = {
  id: '2244994945',
  username: 'heraldstudio',
  name: 'Herald Studio',
  profileImageUrl: 'https://pbs.twimg.com/profile_images/1/herald_normal.jpg',
}

/**
 * Tokens of {@link FAKE_X_USER} with every publishing scope that the fake holds again after each `reset()`,
 * so tests (and host tests) can publish without running the OAuth flow. The refresh token rotates like any.
 */
export const FAKE_X_TOKENS = {
  accessToken: 'ZmFrZS14LWFjY2Vzcy10b2tlbi0xOjE3MzI0NTY3ODkwMDA6MToxOmF0OjE',
  refreshToken: 'ZmFrZS14LXJlZnJlc2gtdG9rZW4tMToxNzMyNDU2Nzg5MDAwOjE6MDpydDox',
  scopes: ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write'],
} as const

/** Scopes the fake knows. */
export const X_SCOPES = [
  'tweet.read',
  'tweet.write',
  'users.read',
  'offline.access',
  'media.write',
  'like.read',
  'like.write',
  'follows.read',
  'follows.write',
  'dm.read',
  'dm.write',
  'bookmark.read',
  'bookmark.write',
  'list.read',
  'list.write',
  'block.read',
  'block.write',
  'mute.read',
  'mute.write',
  'space.read',
] as const

/** A route of the fake, for faults and request filters. */
export type FakeXRoute =
  | 'authorize'
  | 'token'
  | 'revoke'
  | 'me'
  | 'media.initialize'
  | 'media.append'
  | 'media.finalize'
  | 'media.status'
  | 'media.metadata'
  | 'tweets.create'
  | 'timeline'

/** A route, `media` (every media route) or `any`. */
export type FakeXRouteMatch = FakeXRoute | 'media' | 'any'

/** One request the fake received. */
export interface FakeXRequest {
  at: Date
  method: string
  route: FakeXRoute | undefined
  /** Path without the query. */
  path: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  /** Parsed JSON body. */
  json?: unknown
  /** Parsed urlencoded form. */
  form?: Record<string, string>
  /** Multipart fields: text values, or `{ bytes, filename, type }` for files. */
  multipart?: Record<string, string | { bytes: number; filename?: string; type?: string }>
  rawBytes: number
}

/** A post the fake holds. */
export interface FakeTweet {
  id: string
  authorId: string
  /** Text as sent. */
  text: string
  /** Text as X returns it (entities, t.co links). */
  renderedText: string
  createdAt: Date
  mediaIds: string[]
  inReplyTo?: string
  conversationId: string
  deleted: boolean
}

/** A media item the fake holds. */
export interface FakeMedia {
  id: string
  ownerId: string
  mediaType: string
  category: string
  totalBytes: number
  segments: Map<number, Buffer>
  finalized: boolean
  /** Processing state for categories X processes (GIF, video). */
  state?: 'pending' | 'in_progress' | 'succeeded' | 'failed'
  polls: number
  altText?: string
  bytes?: Buffer
}

/** What a fault does. */
export type FakeXFaultAction =
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Reads the request, never answers; nothing is applied. */
  | { type: 'hang' }
  /** Closes the connection without answering; nothing is applied. */
  | { type: 'drop' }
  /** Applies the request (e.g. stores the post), then never answers. */
  | { type: 'commit-then-hang' }
  /** Applies the request, then closes the connection without answering. */
  | { type: 'drop-after-commit' }
  /** Answers normally after a pause. */
  | { type: 'delay'; ms: number }

/** When a fault applies. */
export interface FakeXFaultOptions {
  /** Matching requests to let through first (default 0). */
  skip?: number
  /** How many matching requests it applies to (default: all until reset). */
  times?: number
}

interface Fault {
  route: FakeXRouteMatch
  action: FakeXFaultAction
  skip: number
  times: number
}

interface Grant {
  id: string
  userId: string
  clientId: string
  scopes: string[]
  revoked: boolean
}

interface TokenRecord {
  value: string
  kind: 'access' | 'refresh'
  grant: Grant
  expiresAt?: number
  /** Refresh tokens: already exchanged. */
  spent?: boolean
}

interface AuthCode {
  code: string
  clientId: string
  redirectUri: string
  scopes: string[]
  challenge: string
  method: 'S256' | 'plain'
  userId: string
  expiresAt: number
  used: boolean
  grant?: Grant
}

interface Reply {
  status: number
  headers?: Record<string, string>
  json?: unknown
  html?: string
  location?: string
}

interface RateLimitState {
  route: FakeXRouteMatch
  until: Date
  scope: 'window' | 'user24h' | 'app24h'
}

/** Tokens minted directly for a test, as the token endpoint would return them. */
export interface FakeXTokens {
  accessToken: string
  refreshToken?: string
  expiresIn: number
  scopes: string[]
}

const ROUTE_LIMITS: Partial<Record<FakeXRoute, number>> = {
  'me': 75,
  'tweets.create': 100,
  'timeline': 900,
  'media.initialize': 1875,
  'media.append': 1875,
  'media.finalize': 1875,
  'media.status': 1875,
  'media.metadata': 500,
}

const REQUIRED_SCOPES: Partial<Record<FakeXRoute, string[]>> = {
  'me': ['tweet.read', 'users.read'],
  'tweets.create': ['tweet.read', 'tweet.write', 'users.read'],
  'timeline': ['tweet.read', 'users.read'],
  'media.initialize': ['media.write'],
  'media.append': ['media.write'],
  'media.finalize': ['media.write'],
  'media.status': ['media.write'],
  'media.metadata': ['media.write'],
}

const TWEET_FIELDS = new Set([
  'text',
  'media',
  'reply',
  'quote_tweet_id',
  'poll',
  'reply_settings',
  'for_super_followers_only',
  'geo',
  'direct_message_deep_link',
  'nullcast',
  'card_uri',
  'community_id',
  'share_with_followers',
  'made_with_ai',
  'paid_partnership',
  'edit_options',
])

const MEDIA_TYPES: Record<string, { categories: string[]; magic: (bytes: Buffer) => boolean }> = {
  'image/jpeg': {
    categories: ['tweet_image', 'dm_image'],
    magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  'image/png': {
    categories: ['tweet_image', 'dm_image'],
    magic: (b) =>
      b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  'image/webp': {
    categories: ['tweet_image', 'dm_image'],
    magic: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' &&
      b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  'image/gif': {
    categories: ['tweet_image', 'tweet_gif', 'dm_gif'],
    magic: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  },
  'video/mp4': {
    categories: ['tweet_video', 'amplify_video', 'dm_video'],
    magic: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp',
  },
}

const CATEGORY_LIMITS: Record<string, number> = {
  tweet_image: 5 * 1024 * 1024,
  dm_image: 5 * 1024 * 1024,
  tweet_gif: 15 * 1024 * 1024,
  dm_gif: 15 * 1024 * 1024,
  tweet_video: 512 * 1024 * 1024,
  amplify_video: 512 * 1024 * 1024,
  dm_video: 512 * 1024 * 1024,
}

const MAX_WEIGHTED = 280
const ACCESS_TTL_S = 7200
const CODE_TTL_MS = 30_000
const DUPLICATE_WINDOW_MS = 24 * 3600_000
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/
const VERIFIER = /^[\w.~-]{43,128}$/

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function problem(status: number, title: string, detail: string, type = 'about:blank', extra = {}) {
  return { title, detail, type, status, ...extra }
}

function invalid(message: string, parameters: Record<string, string[]> = {}): Reply {
  return {
    status: 400,
    json: {
      errors: [{ parameters, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  }
}

function oauthError(status: number, error: string, description: string): Reply {
  return { status, json: { error, error_description: description } }
}

/** A t.co-style slug: 10 letters and digits. */
function slug(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  return [...randomBytes(10)].map((byte) => alphabet[byte % alphabet.length]).join('')
}

function base64url(buffer: Buffer): string {
  return buffer.toString('base64').replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

/** Minimal multipart/form-data parser (enough for X's APPEND: text fields and one file). */
function parseMultipart(
  body: Buffer,
  contentType: string
): Map<string, { data: Buffer; filename?: string; type?: string }> | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)
  const boundary = match?.[1] ?? match?.[2]
  if (!boundary) return undefined
  const delimiter = Buffer.from(`--${boundary}`)
  const fields = new Map<string, { data: Buffer; filename?: string; type?: string }>()
  let start = body.indexOf(delimiter)
  if (start < 0) return undefined
  while (true) {
    start += delimiter.length
    if (body.subarray(start, start + 2).toString() === '--') break
    start += 2 // CRLF after the boundary
    const end = body.indexOf(delimiter, start)
    if (end < 0) return undefined
    const part = body.subarray(start, end - 2) // CRLF before the next boundary
    const split = part.indexOf('\r\n\r\n')
    if (split < 0) return undefined
    const head = part.subarray(0, split).toString('utf8')
    const data = part.subarray(split + 4)
    const name = /name="([^"]*)"/i.exec(head)?.[1]
    if (name === undefined) return undefined
    const filename = /filename="([^"]*)"/i.exec(head)?.[1]
    const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim()
    fields.set(name, { data: Buffer.from(data), filename, type })
    start = end
  }
  return fields
}

/** The X fake. See the file header for what it checks and how it fails. */
export class FakeX {
  /** Every request since the last reset, oldest first. */
  readonly requests: FakeXRequest[] = []
  /** Every post created (or seeded) since the last reset, oldest first. */
  readonly tweets: FakeTweet[] = []
  /** Media uploads by id. */
  readonly media = new Map<string, FakeMedia>()
  /** Requests answered 429 while a rate limit was in force (each arrived before the reset). */
  readonly rateLimitedRequests: { at: Date; route: FakeXRoute | undefined; resetAt: Date }[] = []
  /** Successful refresh-token exchanges since the last reset. */
  refreshCount = 0
  /** Pause before every answer, in ms. */
  latencyMs = 0
  /** When set, the pause of each answer (benchmarks draw a long-tailed latency); wins over latencyMs. */
  latencyFn: (() => number) | undefined
  /** When true, refresh answers carry no `refresh_token` (and the old one stays valid). */
  omitRefreshTokenOnRefresh = false
  /** STATUS polls before a GIF's processing succeeds. */
  processingPolls = 2
  /** When true, GIF processing ends in `failed`. */
  failProcessing = false
  /** When set, only these redirect URIs are accepted (exact match), as registered in the X portal. */
  redirectUris: string[] | undefined

  #server?: Server
  #port = 0
  #faults: Fault[] = []
  #rateLimit?: RateLimitState
  #users = new Map<string, FakeXUser>([[FAKE_X_USER.id, FAKE_X_USER]])
  #consentAs = FAKE_X_USER.id
  #deny?: string
  #grantScopes?: string[]
  #codes = new Map<string, AuthCode>()
  #tokens = new Map<string, TokenRecord>()
  #nextId = 1860000000000000000n
  #nextMedia = 1880000000000000000n
  #hanging = new Set<ServerResponse>()
  readonly #open = new Set<ServerResponse>()

  /** `http://127.0.0.1:<port>`: the `apiBaseUrl` setting. */
  get url(): string {
    if (!this.#server) throw new Error('FakeX is not started')
    return `http://127.0.0.1:${this.#port}`
  }

  /** The authorization page: the `authorizeUrl` setting. */
  get authorizeUrl(): string {
    return `${this.url}/i/oauth2/authorize`
  }

  /** Plugin settings pointing at this fake. */
  settings(): {
    clientId: string
    clientSecret: string
    authorizeUrl: string
    apiBaseUrl: string
    publicUrl: string
  } {
    return {
      clientId: FAKE_X_CLIENT.id,
      clientSecret: FAKE_X_CLIENT.secret,
      authorizeUrl: this.authorizeUrl,
      apiBaseUrl: this.url,
      publicUrl: 'https://x.com',
    }
  }

  async start(): Promise<void> {
    if (this.#server) return
    const server = createServer((request, response) => {
      this.#open.add(response)
      response.on('close', () => this.#open.delete(response))
      this.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          this.#write(response, {
            status: 500,
            json: problem(500, 'Internal Error', String(error)),
          })
        } else response.destroy()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.#port = (server.address() as { port: number }).port
    this.#server = server
    if (!this.#tokens.has(FAKE_X_TOKENS.accessToken)) this.#seed()
  }

  async stop(): Promise<void> {
    const server = this.#server
    if (!server) return
    this.#server = undefined
    for (const response of this.#open) response.destroy()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Forgets requests, posts, media, tokens, faults and options (the users stay). */
  reset(): void {
    this.requests.length = 0
    this.tweets.length = 0
    this.rateLimitedRequests.length = 0
    this.media.clear()
    this.refreshCount = 0
    this.latencyMs = 0
    this.latencyFn = undefined
    this.omitRefreshTokenOnRefresh = false
    this.processingPolls = 2
    this.failProcessing = false
    this.redirectUris = undefined
    this.#faults = []
    this.#rateLimit = undefined
    this.#consentAs = FAKE_X_USER.id
    this.#deny = undefined
    this.#grantScopes = undefined
    this.#codes.clear()
    this.#tokens.clear()
    for (const response of this.#hanging) response.destroy()
    this.#hanging.clear()
    this.#seed()
  }

  /** Installs {@link FAKE_X_TOKENS}. */
  #seed(): void {
    const grant = this.#grant(FAKE_X_USER.id, FAKE_X_CLIENT.id, [...FAKE_X_TOKENS.scopes])
    this.#tokens.set(FAKE_X_TOKENS.accessToken, {
      value: FAKE_X_TOKENS.accessToken,
      kind: 'access',
      grant,
      expiresAt: Date.now() + ACCESS_TTL_S * 1000,
    })
    this.#tokens.set(FAKE_X_TOKENS.refreshToken, {
      value: FAKE_X_TOKENS.refreshToken,
      kind: 'refresh',
      grant,
    })
  }

  // ---- state for tests ---------------------------------------------------------------------------

  /** Adds a user who can approve the consent screen (see {@link consentAs}). */
  addUser(user: FakeXUser): void {
    this.#users.set(user.id, user)
  }

  /** The next consent is approved by this user. */
  consentAs(userId: string): void {
    if (!this.#users.has(userId)) throw new Error(`unknown fake user ${userId}`)
    this.#consentAs = userId
  }

  /** The next consents are refused: the callback gets `?error=<error>&state=…`. */
  denyConsent(error = 'access_denied'): void {
    this.#deny = error
  }

  /** The next consents grant only these scopes (a person unticking permissions). */
  grantOnly(scopes: string[]): void {
    this.#grantScopes = scopes
  }

  /** Mints tokens as if the OAuth flow had run (for tests of publishing). */
  issueTokens(
    options: { userId?: string; scopes?: string[]; expiresIn?: number } = {}
  ): FakeXTokens {
    const scopes = options.scopes ?? [
      'tweet.read',
      'tweet.write',
      'users.read',
      'offline.access',
      'media.write',
    ]
    const grant = this.#grant(options.userId ?? FAKE_X_USER.id, FAKE_X_CLIENT.id, scopes)
    return this.#mint(grant, options.expiresIn ?? ACCESS_TTL_S)
  }

  /** Revokes the grant of a token (access or refresh): every token of it stops working. */
  revokeToken(token: string): void {
    const record = this.#tokens.get(token)
    if (record) record.grant.revoked = true
  }

  /** Revokes every grant (the person removed the app in X's settings). */
  revokeAll(): void {
    for (const record of this.#tokens.values()) record.grant.revoked = true
  }

  /** Every access token issued so far expires now. */
  expireAccessTokens(): void {
    for (const record of this.#tokens.values()) {
      if (record.kind === 'access') record.expiresAt = Date.now() - 1000
    }
  }

  /** Whether a token is currently usable. */
  isTokenValid(token: string): boolean {
    const record = this.#tokens.get(token)
    if (!record || record.grant.revoked || record.spent) return false
    return record.expiresAt === undefined || record.expiresAt > Date.now()
  }

  /** Stores a post as if the account had made it (for findPublished). */
  holdTweet(
    text: string,
    options: { id?: string; authorId?: string; createdAt?: Date } = {}
  ): FakeTweet {
    const id = options.id ?? this.#newId()
    const tweet: FakeTweet = {
      id,
      authorId: options.authorId ?? FAKE_X_USER.id,
      text,
      renderedText: this.#render(text, false),
      createdAt: options.createdAt ?? new Date(),
      mediaIds: [],
      conversationId: id,
      deleted: false,
    }
    this.tweets.push(tweet)
    return tweet
  }

  /** Marks a post deleted (replies to it are refused). */
  deleteTweet(id: string): void {
    const tweet = this.tweets.find((candidate) => candidate.id === id)
    if (tweet) tweet.deleted = true
  }

  /** Live posts of an author, oldest first. */
  liveTweets(authorId = FAKE_X_USER.id): FakeTweet[] {
    return this.tweets.filter((tweet) => tweet.authorId === authorId && !tweet.deleted)
  }

  /** Requests to a route. */
  requestsTo(route: FakeXRouteMatch): FakeXRequest[] {
    return this.requests.filter((request) => this.#matches(route, request.route))
  }

  // ---- faults -------------------------------------------------------------------------------------

  /** Installs a fault on a route (or `media`, `any`). */
  fault(route: FakeXRouteMatch, action: FakeXFaultAction, options: FakeXFaultOptions = {}): void {
    this.#faults.push({
      route,
      action,
      skip: options.skip ?? 0,
      times: options.times ?? Number.POSITIVE_INFINITY,
    })
  }

  /** Answers `status` with X's problem-details body. */
  fail(
    status: number,
    options: FakeXFaultOptions & {
      route?: FakeXRouteMatch
      title?: string
      detail?: string
      type?: string
      headers?: Record<string, string>
    } = {}
  ): void {
    const titles: Record<number, string> = {
      400: 'Invalid Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found Error',
      500: 'Internal Server Error',
      502: 'Bad Gateway',
      503: 'Service Unavailable',
      504: 'Gateway Timeout',
    }
    const title = options.title ?? titles[status] ?? `HTTP ${status}`
    this.fault(
      options.route ?? 'tweets.create',
      {
        type: 'status',
        status,
        body: problem(status, title, options.detail ?? title, options.type),
        headers: options.headers,
      },
      options
    )
  }

  /**
   * A rate limit in force until `resetAt` (default 60 s from now): every matching request before then is
   * answered 429 with `x-rate-limit-*` headers (or the 24-hour user/app cap headers) and recorded in
   * {@link rateLimitedRequests}; from `resetAt` on, requests pass.
   */
  rateLimit(
    options: {
      route?: FakeXRouteMatch
      resetAt?: Date
      scope?: 'window' | 'user24h' | 'app24h'
    } = {}
  ): Date {
    const until = options.resetAt ?? new Date(Date.now() + 60_000)
    this.#rateLimit = {
      route: options.route ?? 'tweets.create',
      until,
      scope: options.scope ?? 'window',
    }
    return until
  }

  /** 429 UsageCapExceeded (monthly product cap), not retryable. */
  usageCapped(route: FakeXRouteMatch = 'tweets.create'): void {
    this.fault(route, {
      type: 'status',
      status: 429,
      body: problem(
        429,
        'UsageCapExceeded',
        'Usage cap exceeded: Monthly product cap',
        'https://api.x.com/2/problems/usage-capped',
        {
          period: 'Monthly',
          scope: 'Product',
        }
      ),
    })
  }

  /** 402 CreditsDepleted. */
  creditsDepleted(route: FakeXRouteMatch = 'tweets.create'): void {
    this.fault(route, {
      type: 'status',
      status: 402,
      body: problem(
        402,
        'CreditsDepleted',
        'Your enrolled account does not have any credits to fulfill this request.',
        'https://api.twitter.com/2/problems/credits'
      ),
    })
  }

  /** Reads the request and never answers (nothing applied). */
  hang(route: FakeXRouteMatch = 'tweets.create', options: FakeXFaultOptions = {}): void {
    this.fault(route, { type: 'hang' }, options)
  }

  /** Closes the connection without answering (nothing applied). */
  drop(route: FakeXRouteMatch = 'tweets.create', options: FakeXFaultOptions = {}): void {
    this.fault(route, { type: 'drop' }, options)
  }

  /** Applies the request (stores the post), then never answers. */
  commitThenHang(route: FakeXRouteMatch = 'tweets.create', options: FakeXFaultOptions = {}): void {
    this.fault(route, { type: 'commit-then-hang' }, options)
  }

  /** Applies the request (stores the post), then closes the connection. */
  dropAfterCommit(route: FakeXRouteMatch = 'tweets.create', options: FakeXFaultOptions = {}): void {
    this.fault(route, { type: 'drop-after-commit' }, options)
  }

  /** Answers after `ms`. */
  slow(ms: number, route: FakeXRouteMatch = 'any', options: FakeXFaultOptions = {}): void {
    this.fault(route, { type: 'delay', ms }, options)
  }

  // ---- plumbing -----------------------------------------------------------------------------------

  #matches(pattern: FakeXRouteMatch, route: FakeXRoute | undefined): boolean {
    if (pattern === 'any') return route !== undefined
    if (pattern === 'media') return route?.startsWith('media.') ?? false
    return pattern === route
  }

  #takeFault(route: FakeXRoute | undefined): FakeXFaultAction | undefined {
    for (const fault of this.#faults) {
      if (!this.#matches(fault.route, route) || fault.times <= 0) continue
      if (fault.skip > 0) {
        fault.skip--
        continue
      }
      fault.times--
      return fault.action
    }
    return undefined
  }

  #route(method: string, path: string): FakeXRoute | undefined {
    if (path === '/i/oauth2/authorize') return 'authorize'
    if (path === '/2/oauth2/token') return 'token'
    if (path === '/2/oauth2/revoke') return 'revoke'
    if (path === '/2/users/me') return 'me'
    if (path === '/2/tweets' && method === 'POST') return 'tweets.create'
    if (path === '/2/media/upload/initialize') return 'media.initialize'
    if (/^\/2\/media\/upload\/[^/]+\/append$/.test(path)) return 'media.append'
    if (/^\/2\/media\/upload\/[^/]+\/finalize$/.test(path)) return 'media.finalize'
    if (path === '/2/media/upload' && method === 'GET') return 'media.status'
    if (path === '/2/media/metadata') return 'media.metadata'
    if (/^\/2\/users\/[^/]+\/tweets$/.test(path)) return 'timeline'
    return undefined
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks)
    const url = new URL(request.url ?? '/', 'http://fake')
    const method = request.method ?? 'GET'
    const route = this.#route(method, url.pathname)
    const contentType = String(request.headers['content-type'] ?? '')
    const record: FakeXRequest = {
      at: new Date(),
      method,
      route,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      rawBytes: raw.length,
    }
    let json: unknown
    let form: Record<string, string> | undefined
    let multipart: ReturnType<typeof parseMultipart>
    if (/^application\/json\b/i.test(contentType)) {
      try {
        json = JSON.parse(raw.toString('utf8'))
        record.json = json
      } catch {
        json = undefined
      }
    } else if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
      form = Object.fromEntries(new URLSearchParams(raw.toString('utf8')))
      record.form = form
    } else if (/^multipart\/form-data\b/i.test(contentType)) {
      multipart = parseMultipart(raw, contentType)
      if (multipart) {
        record.multipart = Object.fromEntries(
          [...multipart].map(([name, part]) => [
            name,
            part.filename === undefined && part.type === undefined
              ? part.data.toString('utf8')
              : { bytes: part.data.length, filename: part.filename, type: part.type },
          ])
        )
      }
    }
    this.requests.push(record)
    const pause = this.latencyFn ? this.latencyFn() : this.latencyMs
    if (pause > 0) await delay(pause)

    const limited = this.#rateLimit
    if (limited && this.#matches(limited.route, route)) {
      if (Date.now() < limited.until.getTime()) {
        this.rateLimitedRequests.push({ at: record.at, route, resetAt: limited.until })
        return this.#write(response, this.#rateLimited(limited))
      }
    }
    const fault = this.#takeFault(route)
    if (fault?.type === 'hang') {
      this.#hanging.add(response)
      return
    }
    if (fault?.type === 'drop') return void request.socket.destroy()
    if (fault?.type === 'status') {
      return this.#write(response, {
        status: fault.status,
        json: fault.body,
        headers: fault.headers,
      })
    }
    if (fault?.type === 'delay') await delay(fault.ms)

    const reply = this.#dispatch(route, method, url, request.headers, contentType, {
      json,
      form,
      multipart,
      raw,
    })
    if (fault?.type === 'commit-then-hang') {
      this.#hanging.add(response)
      return
    }
    if (fault?.type === 'drop-after-commit') return void request.socket.destroy()
    this.#write(response, reply)
  }

  #rateLimited(state: RateLimitState): Reply {
    const reset = String(Math.ceil(state.until.getTime() / 1000))
    const later = String(Math.ceil(Date.now() / 1000) + 900)
    const headers: Record<string, string> = {
      'x-rate-limit-limit': '100',
      'x-rate-limit-remaining': state.scope === 'window' ? '0' : '99',
      'x-rate-limit-reset': state.scope === 'window' ? reset : later,
    }
    if (state.scope === 'user24h') {
      Object.assign(headers, {
        'x-user-limit-24hour-limit': '17',
        'x-user-limit-24hour-remaining': '0',
        'x-user-limit-24hour-reset': reset,
      })
    }
    if (state.scope === 'app24h') {
      Object.assign(headers, {
        'x-app-limit-24hour-limit': '10000',
        'x-app-limit-24hour-remaining': '0',
        'x-app-limit-24hour-reset': reset,
      })
    }
    return {
      status: 429,
      headers,
      json: problem(429, 'Too Many Requests', 'Too Many Requests'),
    }
  }

  #write(response: ServerResponse, reply: Reply): void {
    if (response.destroyed) return
    const headers: Record<string, string | number> = { ...reply.headers }
    if (reply.location) {
      headers.location = reply.location
      response.writeHead(reply.status, headers)
      return void response.end()
    }
    if (reply.html !== undefined) {
      headers['content-type'] = 'text/html; charset=utf-8'
      response.writeHead(reply.status, headers)
      return void response.end(reply.html)
    }
    if (reply.json === undefined) {
      response.writeHead(reply.status, headers)
      return void response.end()
    }
    const body = JSON.stringify(reply.json)
    headers['content-type'] =
      reply.status >= 400 && isRecord(reply.json) && 'title' in reply.json
        ? 'application/problem+json'
        : 'application/json; charset=utf-8'
    headers['content-length'] = Buffer.byteLength(body)
    response.writeHead(reply.status, headers)
    response.end(body)
  }

  #dispatch(
    route: FakeXRoute | undefined,
    method: string,
    url: URL,
    headers: IncomingHttpHeaders,
    contentType: string,
    body: {
      json: unknown
      form?: Record<string, string>
      multipart: ReturnType<typeof parseMultipart>
      raw: Buffer
    }
  ): Reply {
    if (route === 'authorize') {
      return method === 'GET' ? this.#authorize(url) : { status: 405, html: 'Method Not Allowed' }
    }
    if (route === 'token' || route === 'revoke') {
      if (method !== 'POST') return oauthError(405, 'invalid_request', 'Method not allowed')
      if (!/^application\/x-www-form-urlencoded\b/i.test(contentType) || !body.form) {
        return oauthError(
          400,
          'invalid_request',
          'Content-Type must be application/x-www-form-urlencoded'
        )
      }
      const client = this.#client(headers, body.form)
      if (!client.ok) return oauthError(401, 'invalid_client', client.reason)
      return route === 'token' ? this.#token(body.form) : this.#revoke(body.form)
    }
    if (route === undefined) {
      return {
        status: 404,
        json: problem(404, 'Not Found Error', `No route for ${method} ${url.pathname}`),
      }
    }
    const auth = this.#bearer(headers, route)
    if ('reply' in auth) return this.#withLimits(route, auth.reply)
    const user = this.#users.get(auth.userId)!
    let reply: Reply
    switch (route) {
      case 'me':
        reply = method === 'GET' ? this.#me(user, url) : this.#notAllowed(method, url)
        break
      case 'tweets.create':
        reply = this.#createTweet(user, contentType, body.json)
        break
      case 'timeline':
        reply = method === 'GET' ? this.#timeline(url) : this.#notAllowed(method, url)
        break
      case 'media.initialize':
        reply =
          method === 'POST'
            ? this.#mediaInit(user, contentType, body.json)
            : this.#notAllowed(method, url)
        break
      case 'media.append':
        reply =
          method === 'POST'
            ? this.#mediaAppend(user, url, contentType, body.multipart)
            : this.#notAllowed(method, url)
        break
      case 'media.finalize':
        reply = method === 'POST' ? this.#mediaFinalize(user, url) : this.#notAllowed(method, url)
        break
      case 'media.status':
        reply = this.#mediaStatus(user, url)
        break
      case 'media.metadata':
        reply =
          method === 'POST'
            ? this.#mediaMetadata(user, contentType, body.json)
            : this.#notAllowed(method, url)
        break
    }
    return this.#withLimits(route, reply)
  }

  #notAllowed(method: string, url: URL): Reply {
    return {
      status: 405,
      json: problem(405, 'Method Not Allowed', `${method} is not allowed on ${url.pathname}`),
    }
  }

  #withLimits(route: FakeXRoute, reply: Reply): Reply {
    const limit = ROUTE_LIMITS[route] ?? 300
    const used = this.requestsTo(route).length
    return {
      ...reply,
      headers: {
        'x-rate-limit-limit': String(limit),
        'x-rate-limit-remaining': String(Math.max(0, limit - used)),
        'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + 900),
        ...reply.headers,
      },
    }
  }

  // ---- OAuth --------------------------------------------------------------------------------------

  #authorize(url: URL): Reply {
    const params = Object.fromEntries(url.searchParams)
    if (params.client_id !== FAKE_X_CLIENT.id) {
      return {
        status: 400,
        html: '<h1>Something went wrong</h1><p>You weren’t able to give access to the App.</p>',
      }
    }
    const redirectUri = params.redirect_uri
    if (
      !redirectUri ||
      !URL.canParse(redirectUri) ||
      (this.redirectUris !== undefined && !this.redirectUris.includes(redirectUri))
    ) {
      return { status: 400, html: '<h1>Something went wrong</h1><p>Invalid redirect_uri.</p>' }
    }
    const back = (query: Record<string, string>): Reply => {
      const target = new URL(redirectUri)
      for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value)
      return { status: 302, location: target.href }
    }
    const state = params.state ?? ''
    if (params.response_type !== 'code') {
      return back({ error: 'unsupported_response_type', state })
    }
    if (!state || state.length > 500) return back({ error: 'invalid_request', state })
    const requested = (params.scope ?? '').split(' ').filter(Boolean)
    if (
      requested.length === 0 ||
      requested.some((scope) => !(X_SCOPES as readonly string[]).includes(scope))
    ) {
      return back({ error: 'invalid_scope', state })
    }
    const methodParam = (params.code_challenge_method ?? '').toLowerCase()
    if (!params.code_challenge || (methodParam !== 's256' && methodParam !== 'plain')) {
      return back({
        error: 'invalid_request',
        error_description: 'PKCE code_challenge is required',
        state,
      })
    }
    if (this.#deny) return back({ error: this.#deny, state })
    const granted = this.#grantScopes
      ? requested.filter((scope) => this.#grantScopes!.includes(scope))
      : requested
    const code = base64url(randomBytes(24))
    this.#codes.set(code, {
      code,
      clientId: params.client_id,
      redirectUri,
      scopes: granted,
      challenge: params.code_challenge,
      method: methodParam === 's256' ? 'S256' : 'plain',
      userId: this.#consentAs,
      expiresAt: Date.now() + CODE_TTL_MS,
      used: false,
    })
    return back({ state, code })
  }

  #client(
    headers: IncomingHttpHeaders,
    form: Record<string, string>
  ): { ok: true; clientId: string } | { ok: false; reason: string } {
    const authorization = headers.authorization ?? ''
    if (!authorization.startsWith('Basic ')) {
      return { ok: false, reason: 'Missing valid authorization header' }
    }
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    const id = decoded.slice(0, colon)
    const secret = decoded.slice(colon + 1)
    if (colon < 0 || id !== FAKE_X_CLIENT.id || secret !== FAKE_X_CLIENT.secret) {
      return { ok: false, reason: 'Missing valid authorization header' }
    }
    if (form.client_id !== undefined && form.client_id !== id) {
      return { ok: false, reason: 'client_id does not match the authorization header' }
    }
    return { ok: true, clientId: id }
  }

  #grant(userId: string, clientId: string, scopes: string[]): Grant {
    return { id: base64url(randomBytes(9)), userId, clientId, scopes, revoked: false }
  }

  #mintAccess(grant: Grant, expiresIn: number): string {
    const accessToken = `${base64url(randomBytes(30))}OjE3MzI0NTY3ODkwMDA6MToxOmF0OjE`
    this.#tokens.set(accessToken, {
      value: accessToken,
      kind: 'access',
      grant,
      expiresAt: Date.now() + expiresIn * 1000,
    })
    return accessToken
  }

  #mint(grant: Grant, expiresIn = ACCESS_TTL_S): FakeXTokens {
    const accessToken = this.#mintAccess(grant, expiresIn)
    const tokens: FakeXTokens = { accessToken, expiresIn, scopes: grant.scopes }
    if (grant.scopes.includes('offline.access')) {
      const refreshToken = `${base64url(randomBytes(30))}OjE3MzI0NTY3ODkwMDA6MTowOnJ0OjE`
      this.#tokens.set(refreshToken, { value: refreshToken, kind: 'refresh', grant })
      tokens.refreshToken = refreshToken
    }
    return tokens
  }

  #tokenAnswer(tokens: FakeXTokens, includeRefresh = true): Reply {
    const json: Record<string, unknown> = {
      token_type: 'bearer',
      expires_in: tokens.expiresIn,
      access_token: tokens.accessToken,
      scope: tokens.scopes.join(' '),
    }
    if (includeRefresh && tokens.refreshToken) json.refresh_token = tokens.refreshToken
    return { status: 200, json }
  }

  #token(form: Record<string, string>): Reply {
    if (form.grant_type === 'authorization_code') {
      const code = this.#codes.get(form.code ?? '')
      if (!code || code.clientId !== FAKE_X_CLIENT.id) {
        return oauthError(400, 'invalid_request', 'Value passed for the token was invalid.')
      }
      if (code.used) {
        if (code.grant) code.grant.revoked = true
        return oauthError(400, 'invalid_grant', 'Authorization code was already used.')
      }
      if (code.expiresAt < Date.now()) {
        return oauthError(400, 'invalid_grant', 'Authorization code expired.')
      }
      if (form.redirect_uri !== code.redirectUri) {
        return oauthError(
          400,
          'invalid_request',
          'Value passed for the redirect uri parameter was invalid.'
        )
      }
      const verifier = form.code_verifier ?? ''
      if (!VERIFIER.test(verifier)) {
        return oauthError(400, 'invalid_request', 'Value passed for the code verifier was invalid.')
      }
      const expected =
        code.method === 'S256'
          ? base64url(createHash('sha256').update(verifier).digest())
          : verifier
      if (expected !== code.challenge) {
        return oauthError(
          400,
          'invalid_grant',
          'Value passed for the code verifier did not match the code challenge.'
        )
      }
      code.used = true
      code.grant = this.#grant(code.userId, code.clientId, code.scopes)
      return this.#tokenAnswer(this.#mint(code.grant))
    }
    if (form.grant_type === 'refresh_token') {
      const record = this.#tokens.get(form.refresh_token ?? '')
      if (!record || record.kind !== 'refresh' || record.grant.clientId !== FAKE_X_CLIENT.id) {
        return oauthError(400, 'invalid_request', 'Value passed for the token was invalid.')
      }
      if (record.spent || record.grant.revoked) {
        return oauthError(400, 'invalid_grant', 'Value passed for the token was invalid.')
      }
      this.refreshCount++
      if (this.omitRefreshTokenOnRefresh) {
        // The answer carries no refresh token, so the old one is not rotated and stays valid.
        const accessToken = this.#mintAccess(record.grant, ACCESS_TTL_S)
        return this.#tokenAnswer(
          { accessToken, expiresIn: ACCESS_TTL_S, scopes: record.grant.scopes },
          false
        )
      }
      record.spent = true
      return this.#tokenAnswer(this.#mint(record.grant))
    }
    return oauthError(
      400,
      'unsupported_grant_type',
      `Unsupported grant_type ${form.grant_type ?? ''}`.trim()
    )
  }

  #revoke(form: Record<string, string>): Reply {
    if (!form.token)
      return oauthError(400, 'invalid_request', 'Missing required parameter [token].')
    const record = this.#tokens.get(form.token)
    if (record) record.grant.revoked = true
    return { status: 200, json: { revoked: true } }
  }

  #bearer(headers: IncomingHttpHeaders, route: FakeXRoute): { userId: string } | { reply: Reply } {
    const unauthorized: Reply = {
      status: 401,
      json: problem(401, 'Unauthorized', 'Unauthorized'),
    }
    const authorization = headers.authorization ?? ''
    if (!authorization.startsWith('Bearer ')) return { reply: unauthorized }
    const record = this.#tokens.get(authorization.slice(7))
    if (!record || record.kind !== 'access' || record.grant.revoked) return { reply: unauthorized }
    if (record.expiresAt !== undefined && record.expiresAt <= Date.now())
      return { reply: unauthorized }
    const missing = (REQUIRED_SCOPES[route] ?? []).filter(
      (scope) => !record.grant.scopes.includes(scope)
    )
    if (missing.length > 0) {
      return {
        reply: {
          status: 403,
          json: problem(403, 'Forbidden', 'You are not permitted to perform this action.'),
        },
      }
    }
    return { userId: record.grant.userId }
  }

  // ---- API ----------------------------------------------------------------------------------------

  #me(user: FakeXUser, url: URL): Reply {
    const fields = (url.searchParams.get('user.fields') ?? '').split(',').filter(Boolean)
    const data: Record<string, unknown> = { id: user.id, name: user.name, username: user.username }
    if (fields.includes('profile_image_url')) data.profile_image_url = user.profileImageUrl
    return { status: 200, json: { data } }
  }

  #newId(): string {
    this.#nextId += 1000n + BigInt(Math.floor(Math.random() * 1000))
    return String(this.#nextId)
  }

  /** The text as X returns it: entities escaped, links as t.co, a t.co link for attached media. */
  #render(text: string, withMedia: boolean): string {
    let rendered = text
    const urls = twitterText.extractUrlsWithIndices(text)
    for (const url of [...urls].sort((a, b) => b.indices[0] - a.indices[0])) {
      rendered = `${rendered.slice(0, url.indices[0])}https://t.co/${slug()}${rendered.slice(url.indices[1])}`
    }
    rendered = rendered.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
    if (withMedia) rendered = `${rendered} https://t.co/${slug()}`.trim()
    return rendered
  }

  #createTweet(user: FakeXUser, contentType: string, json: unknown): Reply {
    if (!/^application\/json\b/i.test(contentType)) {
      return invalid('Content-Type must be application/json')
    }
    if (!isRecord(json)) return invalid('Request body must be a JSON object')
    for (const key of Object.keys(json)) {
      if (!TWEET_FIELDS.has(key)) {
        return invalid(
          `$.${key}: is not defined in the schema and the schema does not allow additional properties`
        )
      }
    }
    const text = json.text
    if (text !== undefined && typeof text !== 'string')
      return invalid('$.text: string expected', { text: [String(text)] })
    let mediaIds: string[] = []
    if (json.media !== undefined) {
      if (!isRecord(json.media)) return invalid('$.media: object expected')
      for (const key of Object.keys(json.media)) {
        if (key !== 'media_ids' && key !== 'tagged_user_ids') {
          return invalid(
            `$.media.${key}: is not defined in the schema and the schema does not allow additional properties`
          )
        }
      }
      const ids = json.media.media_ids
      if (!Array.isArray(ids) || ids.length < 1 || ids.length > 4) {
        return invalid('$.media.media_ids: must contain 1 to 4 items')
      }
      if (!ids.every((id) => typeof id === 'string' && /^\d{1,19}$/.test(id))) {
        return invalid('$.media.media_ids: items must be numeric strings')
      }
      mediaIds = ids as string[]
      for (const id of mediaIds) {
        const item = this.media.get(id)
        if (
          !item ||
          item.ownerId !== user.id ||
          !item.finalized ||
          (item.state !== undefined && item.state !== 'succeeded')
        ) {
          return invalid('Your media IDs are invalid.', { media_ids: [id] })
        }
      }
      const gif = mediaIds.some((id) => this.media.get(id)!.category === 'tweet_gif')
      if (gif && mediaIds.length > 1)
        return invalid('Your media IDs are invalid.', { media_ids: mediaIds })
    }
    if ((text === undefined || text.trim() === '') && mediaIds.length === 0) {
      return invalid('Your Tweet must have text or media.', { text: [] })
    }
    let inReplyTo: string | undefined
    let conversationId: string | undefined
    if (json.reply !== undefined) {
      if (!isRecord(json.reply)) return invalid('$.reply: object expected')
      for (const key of Object.keys(json.reply)) {
        if (key !== 'in_reply_to_tweet_id' && key !== 'exclude_reply_user_ids') {
          return invalid(
            `$.reply.${key}: is not defined in the schema and the schema does not allow additional properties`
          )
        }
      }
      const target = json.reply.in_reply_to_tweet_id
      if (typeof target !== 'string' || !/^\d{1,19}$/.test(target)) {
        return invalid('$.reply.in_reply_to_tweet_id: numeric string expected')
      }
      const parent = this.tweets.find((tweet) => tweet.id === target)
      if (!parent || parent.deleted) {
        return {
          status: 403,
          json: problem(
            403,
            'Forbidden',
            'You attempted to reply to a Tweet that is deleted or not visible to you.'
          ),
        }
      }
      inReplyTo = target
      conversationId = parent.conversationId
    }
    const body = typeof text === 'string' ? text : ''
    if (twitterText.parseTweet(body).weightedLength > MAX_WEIGHTED) {
      return invalid('Tweet text is too long.', { text: [body.slice(0, 40)] })
    }
    const key = body.normalize('NFC').trim()
    if (
      key !== '' &&
      this.tweets.some(
        (tweet) =>
          tweet.authorId === user.id &&
          !tweet.deleted &&
          tweet.text.normalize('NFC').trim() === key &&
          Date.now() - tweet.createdAt.getTime() < DUPLICATE_WINDOW_MS
      )
    ) {
      return {
        status: 403,
        json: problem(
          403,
          'Forbidden',
          'You are not allowed to create a Tweet with duplicate content.'
        ),
      }
    }
    const id = this.#newId()
    const tweet: FakeTweet = {
      id,
      authorId: user.id,
      text: body,
      renderedText: this.#render(body, mediaIds.length > 0),
      createdAt: new Date(),
      mediaIds,
      conversationId: conversationId ?? id,
      deleted: false,
    }
    if (inReplyTo) tweet.inReplyTo = inReplyTo
    this.tweets.push(tweet)
    return {
      status: 201,
      json: { data: { id, text: tweet.renderedText, edit_history_tweet_ids: [id] } },
    }
  }

  #timeline(url: URL): Reply {
    const userId = url.pathname.split('/')[3]
    const query = url.searchParams
    const max = Number(query.get('max_results') ?? '10')
    if (!Number.isInteger(max) || max < 5 || max > 100) {
      return invalid('The `max_results` query parameter value is not between 5 and 100', {
        max_results: [String(query.get('max_results'))],
      })
    }
    const startTime = query.get('start_time')
    if (startTime !== null && !RFC3339.test(startTime)) {
      return invalid('Invalid start_time', { start_time: [startTime] })
    }
    const exclude = (query.get('exclude') ?? '').split(',').filter(Boolean)
    if (exclude.some((value) => value !== 'retweets' && value !== 'replies')) {
      return invalid('Invalid exclude', { exclude })
    }
    const fields = (query.get('tweet.fields') ?? '').split(',').filter(Boolean)
    const since = startTime === null ? 0 : Date.parse(startTime)
    let list = this.tweets
      .filter(
        (tweet) => tweet.authorId === userId && !tweet.deleted && tweet.createdAt.getTime() >= since
      )
      .filter((tweet) => !(exclude.includes('replies') && tweet.inReplyTo))
      .toReversed()
    const token = query.get('pagination_token')
    if (token !== null) {
      const at = list.findIndex((tweet) => tweet.id === token)
      if (at < 0) return invalid('Invalid pagination_token', { pagination_token: [token] })
      list = list.slice(at)
    }
    const page = list.slice(0, max)
    const rest = list.slice(max)
    if (page.length === 0) return { status: 200, json: { meta: { result_count: 0 } } }
    const meta: Record<string, unknown> = {
      result_count: page.length,
      newest_id: page[0].id,
      oldest_id: page.at(-1)!.id,
    }
    if (rest.length > 0) meta.next_token = rest[0].id
    return {
      status: 200,
      json: {
        data: page.map((tweet) => ({
          id: tweet.id,
          text: tweet.renderedText,
          edit_history_tweet_ids: [tweet.id],
          ...(fields.includes('created_at') ? { created_at: tweet.createdAt.toISOString() } : {}),
        })),
        meta,
      },
    }
  }

  #mediaInit(user: FakeXUser, contentType: string, json: unknown): Reply {
    if (!/^application\/json\b/i.test(contentType) || !isRecord(json)) {
      return invalid('Content-Type must be application/json with a JSON object body')
    }
    const allowed = new Set([
      'media_type',
      'total_bytes',
      'media_category',
      'shared',
      'additional_owners',
    ])
    for (const key of Object.keys(json)) {
      if (!allowed.has(key)) {
        return invalid(
          `$.${key}: is not defined in the schema and the schema does not allow additional properties`
        )
      }
    }
    const mediaType = json.media_type
    const spec = typeof mediaType === 'string' ? MEDIA_TYPES[mediaType] : undefined
    if (!spec) return invalid('media_type is not supported', { media_type: [String(mediaType)] })
    const total = json.total_bytes
    if (typeof total !== 'number' || !Number.isInteger(total) || total <= 0) {
      return invalid('total_bytes must be a positive integer', { total_bytes: [String(total)] })
    }
    const category = json.media_category ?? spec.categories[0]
    if (typeof category !== 'string' || !spec.categories.includes(category)) {
      return invalid(`media_category ${String(category)} does not fit ${mediaType}`, {
        media_category: [String(category)],
      })
    }
    if (total > CATEGORY_LIMITS[category]) {
      return invalid(`File size exceeds ${CATEGORY_LIMITS[category]} bytes.`, {
        total_bytes: [String(total)],
      })
    }
    this.#nextMedia += 7n
    const id = String(this.#nextMedia)
    this.media.set(id, {
      id,
      ownerId: user.id,
      mediaType: mediaType as string,
      category,
      totalBytes: total,
      segments: new Map(),
      finalized: false,
      polls: 0,
    })
    return { status: 200, json: { data: { id, media_key: `3_${id}`, expires_after_secs: 86399 } } }
  }

  #mediaOf(user: FakeXUser, id: string | undefined | null): FakeMedia | Reply {
    const item = id ? this.media.get(id) : undefined
    if (!item || item.ownerId !== user.id) {
      return invalid('The media_id parameter is invalid.', { media_id: [String(id)] })
    }
    return item
  }

  #mediaAppend(
    user: FakeXUser,
    url: URL,
    contentType: string,
    multipart: ReturnType<typeof parseMultipart>
  ): Reply {
    const item = this.#mediaOf(user, url.pathname.split('/')[4])
    if ('status' in item) return item
    if (!/^multipart\/form-data\b/i.test(contentType) || !multipart) {
      return invalid('APPEND must be multipart/form-data with segment_index and media')
    }
    if (item.finalized) return invalid('Media was already finalized.')
    const segmentField = multipart.get('segment_index')
    const segment = Number(segmentField?.data.toString('utf8'))
    if (!segmentField || !Number.isInteger(segment) || segment < 0 || segment > 999) {
      return invalid('segment_index must be an integer between 0 and 999', {
        segment_index: [String(segmentField?.data)],
      })
    }
    const media = multipart.get('media')
    if (!media || media.data.length === 0) return invalid('media is required', { media: [] })
    if (media.data.length > 5 * 1024 * 1024) return invalid('A segment must be at most 5 MB')
    item.segments.set(segment, media.data)
    const received = [...item.segments.values()].reduce((sum, part) => sum + part.length, 0)
    if (received > item.totalBytes) return invalid('Segments exceed total_bytes.')
    return { status: 200, json: { data: { expires_at: Math.floor(Date.now() / 1000) + 86399 } } }
  }

  #mediaFinalize(user: FakeXUser, url: URL): Reply {
    const item = this.#mediaOf(user, url.pathname.split('/')[4])
    if ('status' in item) return item
    const order = [...item.segments.keys()].sort((a, b) => a - b)
    if (order.length === 0 || order.some((segment, index) => segment !== index)) {
      return invalid('Segments are missing.')
    }
    const bytes = Buffer.concat(order.map((segment) => item.segments.get(segment)!))
    if (bytes.length !== item.totalBytes) {
      return invalid(`File size mismatch: received ${bytes.length} of ${item.totalBytes} bytes.`)
    }
    if (!MEDIA_TYPES[item.mediaType].magic(bytes)) {
      return invalid('InvalidMedia: the file is not a valid ' + item.mediaType)
    }
    item.bytes = bytes
    item.finalized = true
    const data: Record<string, unknown> = {
      id: item.id,
      media_key: `3_${item.id}`,
      size: bytes.length,
      expires_after_secs: 86400,
    }
    if (item.category === 'tweet_gif' || item.category.includes('video')) {
      item.state = 'pending'
      data.processing_info = { state: 'pending', check_after_secs: 1 }
    } else {
      data.image = { image_type: item.mediaType, w: 1200, h: 675 }
    }
    return { status: 200, json: { data } }
  }

  #mediaStatus(user: FakeXUser, url: URL): Reply {
    if (url.searchParams.get('command') !== 'STATUS') return invalid('command must be STATUS')
    const item = this.#mediaOf(user, url.searchParams.get('media_id'))
    if ('status' in item) return item
    if (!item.finalized) return invalid('Media is not finalized.')
    if (item.state === 'pending' || item.state === 'in_progress') {
      item.polls++
      if (item.polls >= this.processingPolls)
        item.state = this.failProcessing ? 'failed' : 'succeeded'
      else item.state = 'in_progress'
    }
    const info: Record<string, unknown> = { state: item.state ?? 'succeeded' }
    if (item.state === 'in_progress') {
      info.check_after_secs = 1
      info.progress_percent = 50
    }
    if (item.state === 'failed') {
      info.error = { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' }
    }
    return {
      status: 200,
      json: { data: { id: item.id, media_key: `3_${item.id}`, processing_info: info } },
    }
  }

  #mediaMetadata(user: FakeXUser, contentType: string, json: unknown): Reply {
    if (!/^application\/json\b/i.test(contentType) || !isRecord(json)) {
      return invalid('Content-Type must be application/json with a JSON object body')
    }
    const item = this.#mediaOf(user, typeof json.id === 'string' ? json.id : undefined)
    if ('status' in item) return item
    const metadata = json.metadata
    const alt =
      isRecord(metadata) && isRecord(metadata.alt_text) ? metadata.alt_text.text : undefined
    if (typeof alt !== 'string' || alt === '' || [...alt].length > 1000) {
      return invalid('$.metadata.alt_text.text: 1 to 1000 characters expected')
    }
    item.altText = alt
    return {
      status: 200,
      json: { data: { id: item.id, associated_metadata: { alt_text: { text: alt } } } },
    }
  }
}
