import { createHash, randomBytes } from 'node:crypto'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { setTimeout as delay } from 'node:timers/promises'

/**
 * A contract-faithful fake of the LinkedIn pieces Herald uses, on 127.0.0.1 with a random port: OAuth 2.0
 * (`/oauth/v2/authorization`, `/accessToken`, `/revoke`: the `oauthBaseUrl` setting is `<url>/oauth/v2`),
 * OpenID Connect `/v2/userinfo`, the Images API (`/rest/images?action=initializeUpload`, then a PUT to the
 * signed upload URL it returns) and the Posts API (`/rest/posts`).
 *
 * Strict like the real API (platform-apis.md §3): client credentials in the token request's body, the code
 * bound to its redirect URI (and to a PKCE challenge when one was sent), refresh tokens only for a partner
 * app (`partnerApp`), revoked and expired tokens (401 with LinkedIn's codes), scopes per endpoint, the
 * `LinkedIn-Version` header (an inactive or missing version is 426 NONEXISTENT_VERSION),
 * `X-Restli-Protocol-Version: 2.0.0`, JSON content types, the Posts schema (unknown fields rejected with
 * LinkedIn's `ERROR :: /field :: …` messages), the author being the token's member, images uploaded and
 * owned before they are used, 3,000 characters, and duplicate detection (same text by the same author →
 * 422 "Content is a duplicate of urn:li:share:…"). A post answers 201 with an empty body and the URN in
 * `x-restli-id`. The commentary is read in the little text format like LinkedIn does: an unescaped reserved
 * character silently cuts the stored text there (see `FakeLinkedInPost.text`).
 *
 * Fault modes (each until `reset()`, optionally after `skip` requests and for `times`): an error status,
 * 429 (without headers like LinkedIn, or with `Retry-After`; every request arriving before the reset is
 * recorded), hang, drop, commit-then-hang and drop-after-commit (the post is stored, then the answer never
 * comes), slow answers, revoked or expired tokens, denied consent.
 *
 * Assumptions where LinkedIn's docs are silent (platform-apis.md §6): the PUT answers 201; the denial
 * redirect's wording; `invalid_grant` for a bad refresh token; the revoke endpoint answers 200 with an
 * empty body; the 422 message format for schema errors.
 */

/** The OAuth client the fake knows. */
export const FAKE_LINKEDIN_CLIENT = {
  id: '86fakeclient7q',
  secret: 'WPL_AP1.fake-linkedin-secret.Zx9Q3w==',
} as const

/** A LinkedIn member of the fake. */
export interface FakeLinkedInMember {
  sub: string
  name: string
  givenName: string
  familyName: string
  email: string
  picture: string
}

/** The member who approves the consent screen unless `consentAs` names another. */
export const FAKE_LINKEDIN_MEMBER: FakeLinkedInMember = {
  sub: '782bbtaQ',
  name: 'Jane Doe',
  givenName: 'Jane',
  familyName: 'Doe',
  email: 'jane.doe@example.com',
  picture: 'https://media.licdn.com/dms/image/v2/fake/profile-displayphoto-shrink_100_100/0/1',
}

/**
 * A token of {@link FAKE_LINKEDIN_MEMBER} with the publishing scopes that the fake holds again after each
 * `reset()`, so tests can publish without the OAuth flow. Self-serve apps get no refresh token.
 */
export const FAKE_LINKEDIN_TOKENS = {
  accessToken: 'AQVfakeLinkedInAccessToken-1-Nn8dK2pQ7sT4vW9xY3zB6cE1fH5jL0mR',
  scopes: ['openid', 'profile', 'email', 'w_member_social'],
} as const

/** Scopes the fake knows. */
export const LINKEDIN_SCOPES = [
  'openid',
  'profile',
  'email',
  'w_member_social',
  'r_member_social',
  'w_organization_social',
  'r_organization_social',
  'rw_organization_admin',
] as const

/** A route of the fake. */
export type FakeLinkedInRoute =
  | 'authorize'
  | 'token'
  | 'revoke'
  | 'userinfo'
  | 'images.initialize'
  | 'images.upload'
  | 'posts.create'

/** A route, `images` (both image routes) or `any`. */
export type FakeLinkedInRouteMatch = FakeLinkedInRoute | 'images' | 'any'

/** One request the fake received. */
export interface FakeLinkedInRequest {
  at: Date
  method: string
  route: FakeLinkedInRoute | undefined
  path: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  json?: unknown
  form?: Record<string, string>
  rawBytes: number
}

/** A post the fake holds. */
export interface FakeLinkedInPost {
  urn: string
  author: string
  /** The commentary as sent (little text format). */
  commentary: string
  /** The text as LinkedIn shows it: escapes resolved, cut at an unescaped reserved character. */
  text: string
  /** Whether an unescaped reserved character cut the text. */
  truncated: boolean
  visibility: string
  content?: unknown
  createdAt: Date
}

/** An image the fake holds. */
export interface FakeLinkedInImage {
  urn: string
  owner: string
  status: 'WAITING_UPLOAD' | 'AVAILABLE'
  uploadPath: string
  signature: string
  uploadUrlExpiresAt: number
  bytes?: Buffer
  contentType?: string
}

/** What a fault does. */
export type FakeLinkedInFaultAction =
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { type: 'hang' }
  | { type: 'drop' }
  | { type: 'commit-then-hang' }
  | { type: 'drop-after-commit' }
  | { type: 'delay'; ms: number }

/** When a fault applies. */
export interface FakeLinkedInFaultOptions {
  skip?: number
  times?: number
}

interface Fault {
  route: FakeLinkedInRouteMatch
  action: FakeLinkedInFaultAction
  skip: number
  times: number
}

interface Grant {
  member: string
  scopes: string[]
  revoked: boolean
}

interface TokenRecord {
  kind: 'access' | 'refresh'
  grant: Grant
  expiresAt: number
}

interface AuthCode {
  redirectUri: string
  scopes: string[]
  member: string
  expiresAt: number
  used: boolean
  challenge?: string
  method?: string
}

interface Reply {
  status: number
  headers?: Record<string, string>
  json?: unknown
  html?: string
  location?: string
}

/** Tokens minted directly for a test. */
export interface FakeLinkedInTokens {
  accessToken: string
  refreshToken?: string
  expiresIn: number
  scopes: string[]
}

const ACCESS_TTL_S = 5_184_000
const REFRESH_TTL_S = 31_536_000
const CODE_TTL_MS = 30 * 60_000
const MAX_COMMENTARY = 3000
const RESERVED = new Set([
  '\\',
  '|',
  '{',
  '}',
  '@',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '#',
  '*',
  '_',
  '~',
])
const POST_FIELDS = new Set([
  'author',
  'commentary',
  'visibility',
  'distribution',
  'lifecycleState',
  'isReshareDisabledByAuthor',
  'content',
  'contentLandingPage',
  'contentCallToActionLabel',
  'reshareContext',
  'container',
  'adContext',
])
const REQUIRED_SCOPES: Partial<Record<FakeLinkedInRoute, string[]>> = {
  'userinfo': ['openid', 'profile'],
  'images.initialize': ['w_member_social'],
  'images.upload': ['w_member_social'],
  'posts.create': ['w_member_social'],
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function restliError(status: number, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, json: { status, message, ...extra } }
}

function schemaError(path: string, message: string): Reply {
  return restliError(422, `ERROR :: ${path} :: ${message}\n`)
}

function oauthError(status: number, error: string, description: string): Reply {
  return { status, json: { error, error_description: description } }
}

function random(bytes = 12): string {
  return randomBytes(bytes).toString('base64url')
}

function isImage(bytes: Buffer): boolean {
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
  const png = bytes
    .subarray(0, 8)
    .equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  const gif = bytes.subarray(0, 4).toString('latin1') === 'GIF8'
  return jpeg || png || gif
}

/**
 * Reads a commentary in LinkedIn's little text format: `\x` is a literal x, `{hashtag|#|tag}` and `#tag`
 * are hashtags, `@[Name](urn:li:…)` a mention; any other unescaped reserved character ends the text.
 */
export function renderLittleText(commentary: string): { text: string; truncated: boolean } {
  const chars = [...commentary]
  let text = ''
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]
    if (!RESERVED.has(char)) {
      text += char
      continue
    }
    const rest = chars.slice(index).join('')
    if (char === '\\' && index + 1 < chars.length) {
      text += chars[++index]
      continue
    }
    const template = /^\{hashtag\|\\?[#＃]\|([^}]+)\}/u.exec(rest)
    if (template) {
      text += `#${template[1]}`
      index += [...template[0]].length - 1
      continue
    }
    const mention = /^@\[([^\]]+)\]\((urn:li:(?:person|organization):[^)]+)\)/u.exec(rest)
    if (mention) {
      text += mention[1]
      index += [...mention[0]].length - 1
      continue
    }
    const hashtag = /^#([\p{L}\p{N}]+)/u.exec(rest)
    if (hashtag) {
      text += hashtag[0]
      index += [...hashtag[0]].length - 1
      continue
    }
    return { text, truncated: true }
  }
  return { text, truncated: false }
}

/** The LinkedIn fake. See the file header for what it checks and how it fails. */
export class FakeLinkedIn {
  /** Every request since the last reset, oldest first. */
  readonly requests: FakeLinkedInRequest[] = []
  /** Every post created since the last reset, oldest first. */
  readonly posts: FakeLinkedInPost[] = []
  /** Images by URN. */
  readonly images = new Map<string, FakeLinkedInImage>()
  /** Requests answered 429 while a rate limit was in force. */
  readonly rateLimitedRequests: {
    at: Date
    route: FakeLinkedInRoute | undefined
    resetAt: Date
  }[] = []
  /** Successful refresh-token exchanges since the last reset. */
  refreshCount = 0
  /** Pause before every answer, in ms. */
  latencyMs = 0
  /** Approved for programmatic refresh tokens: token answers carry `refresh_token`. */
  partnerApp = false
  /** Refresh answers leave out `refresh_token`. */
  omitRefreshTokenOnRefresh = false
  /** Oldest and newest active `LinkedIn-Version` (inclusive). */
  activeVersions = { oldest: '202511', newest: '202612' }
  /** When set, only these redirect URIs are accepted (exact match). */
  redirectUris: string[] | undefined

  #server?: Server
  #port = 0
  #faults: Fault[] = []
  #rateLimit?: { route: FakeLinkedInRouteMatch; until: Date; retryAfterSeconds?: number }
  #members = new Map<string, FakeLinkedInMember>([[FAKE_LINKEDIN_MEMBER.sub, FAKE_LINKEDIN_MEMBER]])
  #consentAs = FAKE_LINKEDIN_MEMBER.sub
  #deny = false
  #codes = new Map<string, AuthCode>()
  #tokens = new Map<string, TokenRecord>()
  #nextShare = 7_400_000_000_000_000_000n
  #hanging = new Set<ServerResponse>()
  readonly #open = new Set<ServerResponse>()

  /** `http://127.0.0.1:<port>`: the `apiBaseUrl` setting. */
  get url(): string {
    if (!this.#server) throw new Error('FakeLinkedIn is not started')
    return `http://127.0.0.1:${this.#port}`
  }

  /** The `oauthBaseUrl` setting. */
  get oauthBaseUrl(): string {
    return `${this.url}/oauth/v2`
  }

  /** Plugin settings pointing at this fake. */
  settings(): {
    clientId: string
    clientSecret: string
    oauthBaseUrl: string
    apiBaseUrl: string
    apiVersion: string
    visibility: string
  } {
    return {
      clientId: FAKE_LINKEDIN_CLIENT.id,
      clientSecret: FAKE_LINKEDIN_CLIENT.secret,
      oauthBaseUrl: this.oauthBaseUrl,
      apiBaseUrl: this.url,
      apiVersion: '202610',
      visibility: 'PUBLIC',
    }
  }

  async start(): Promise<void> {
    if (this.#server) return
    const server = createServer((request, response) => {
      this.#open.add(response)
      response.on('close', () => this.#open.delete(response))
      this.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.#write(response, restliError(500, String(error)))
        else response.destroy()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.#port = (server.address() as { port: number }).port
    this.#server = server
    if (!this.#tokens.has(FAKE_LINKEDIN_TOKENS.accessToken)) this.#seed()
  }

  async stop(): Promise<void> {
    const server = this.#server
    if (!server) return
    this.#server = undefined
    for (const response of this.#open) response.destroy()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Forgets requests, posts, images, tokens, faults and options (the members stay). */
  reset(): void {
    this.requests.length = 0
    this.posts.length = 0
    this.rateLimitedRequests.length = 0
    this.images.clear()
    this.refreshCount = 0
    this.latencyMs = 0
    this.partnerApp = false
    this.omitRefreshTokenOnRefresh = false
    this.activeVersions = { oldest: '202511', newest: '202612' }
    this.redirectUris = undefined
    this.#faults = []
    this.#rateLimit = undefined
    this.#consentAs = FAKE_LINKEDIN_MEMBER.sub
    this.#deny = false
    this.#codes.clear()
    this.#tokens.clear()
    for (const response of this.#hanging) response.destroy()
    this.#hanging.clear()
    this.#seed()
  }

  #seed(): void {
    this.#tokens.set(FAKE_LINKEDIN_TOKENS.accessToken, {
      kind: 'access',
      grant: {
        member: FAKE_LINKEDIN_MEMBER.sub,
        scopes: [...FAKE_LINKEDIN_TOKENS.scopes],
        revoked: false,
      },
      expiresAt: Date.now() + ACCESS_TTL_S * 1000,
    })
  }

  // ---- state for tests ---------------------------------------------------------------------------

  /** Adds a member who can approve the consent screen. */
  addMember(member: FakeLinkedInMember): void {
    this.#members.set(member.sub, member)
  }

  /** The next consent is approved by this member. */
  consentAs(sub: string): void {
    if (!this.#members.has(sub)) throw new Error(`unknown fake member ${sub}`)
    this.#consentAs = sub
  }

  /** The next consents are cancelled by the member. */
  denyConsent(): void {
    this.#deny = true
  }

  /** Mints tokens as if the OAuth flow had run. */
  issueTokens(
    options: { sub?: string; scopes?: string[]; expiresIn?: number; refresh?: boolean } = {}
  ): FakeLinkedInTokens {
    const grant: Grant = {
      member: options.sub ?? FAKE_LINKEDIN_MEMBER.sub,
      scopes: options.scopes ?? [...FAKE_LINKEDIN_TOKENS.scopes],
      revoked: false,
    }
    return this.#mint(grant, options.expiresIn ?? ACCESS_TTL_S, options.refresh ?? this.partnerApp)
  }

  /** The member revokes the app: every token of the grant stops working. */
  revokeToken(token: string): void {
    const record = this.#tokens.get(token)
    if (record) record.grant.revoked = true
  }

  /** Revokes every grant. */
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
    return record !== undefined && !record.grant.revoked && record.expiresAt > Date.now()
  }

  /** Requests to a route. */
  requestsTo(route: FakeLinkedInRouteMatch): FakeLinkedInRequest[] {
    return this.requests.filter((request) => this.#matches(route, request.route))
  }

  /** Stores a post as if the member had made it (for duplicate detection). */
  holdPost(text: string, author = `urn:li:person:${FAKE_LINKEDIN_MEMBER.sub}`): FakeLinkedInPost {
    const post: FakeLinkedInPost = {
      urn: this.#newShare(),
      author,
      commentary: text,
      text,
      truncated: false,
      visibility: 'PUBLIC',
      createdAt: new Date(),
    }
    this.posts.push(post)
    return post
  }

  // ---- faults -------------------------------------------------------------------------------------

  /** Installs a fault on a route (or `images`, `any`). */
  fault(
    route: FakeLinkedInRouteMatch,
    action: FakeLinkedInFaultAction,
    options: FakeLinkedInFaultOptions = {}
  ): void {
    this.#faults.push({
      route,
      action,
      skip: options.skip ?? 0,
      times: options.times ?? Number.POSITIVE_INFINITY,
    })
  }

  /** Answers `status` with LinkedIn's Rest.li error body. */
  fail(
    status: number,
    options: FakeLinkedInFaultOptions & {
      route?: FakeLinkedInRouteMatch
      message?: string
      code?: string
      serviceErrorCode?: number
      headers?: Record<string, string>
    } = {}
  ): void {
    const messages: Record<number, string> = {
      400: 'Bad Request',
      403: 'Not enough permissions to access: partnerApiPostsExternal.CREATE.20261001',
      404: 'Not Found',
      500: 'Internal Server Error',
      502: 'Bad Gateway',
      503: 'Service Unavailable',
      504: 'Gateway Timeout',
    }
    const body: Record<string, unknown> = {
      status,
      message: options.message ?? messages[status] ?? `HTTP ${status}`,
    }
    if (options.code) body.code = options.code
    if (options.serviceErrorCode) body.serviceErrorCode = options.serviceErrorCode
    this.fault(
      options.route ?? 'posts.create',
      { type: 'status', status, body, headers: options.headers },
      options
    )
  }

  /**
   * A throttle until `resetAt` (default 60 s from now): matching requests before then get 429 (no rate-limit
   * headers, as LinkedIn documents none; `Retry-After` when `retryAfterSeconds` is given) and are recorded
   * in {@link rateLimitedRequests}.
   */
  rateLimit(
    options: { route?: FakeLinkedInRouteMatch; resetAt?: Date; retryAfterSeconds?: number } = {}
  ): Date {
    const until =
      options.resetAt ??
      new Date(
        Date.now() +
          (options.retryAfterSeconds !== undefined ? options.retryAfterSeconds * 1000 : 60_000)
      )
    this.#rateLimit = {
      route: options.route ?? 'posts.create',
      until,
      retryAfterSeconds: options.retryAfterSeconds,
    }
    return until
  }

  hang(
    route: FakeLinkedInRouteMatch = 'posts.create',
    options: FakeLinkedInFaultOptions = {}
  ): void {
    this.fault(route, { type: 'hang' }, options)
  }

  drop(
    route: FakeLinkedInRouteMatch = 'posts.create',
    options: FakeLinkedInFaultOptions = {}
  ): void {
    this.fault(route, { type: 'drop' }, options)
  }

  /** Stores the post, then never answers. */
  commitThenHang(
    route: FakeLinkedInRouteMatch = 'posts.create',
    options: FakeLinkedInFaultOptions = {}
  ): void {
    this.fault(route, { type: 'commit-then-hang' }, options)
  }

  /** Stores the post, then closes the connection. */
  dropAfterCommit(
    route: FakeLinkedInRouteMatch = 'posts.create',
    options: FakeLinkedInFaultOptions = {}
  ): void {
    this.fault(route, { type: 'drop-after-commit' }, options)
  }

  /** Answers after `ms`. */
  slow(
    ms: number,
    route: FakeLinkedInRouteMatch = 'any',
    options: FakeLinkedInFaultOptions = {}
  ): void {
    this.fault(route, { type: 'delay', ms }, options)
  }

  // ---- plumbing -----------------------------------------------------------------------------------

  #matches(pattern: FakeLinkedInRouteMatch, route: FakeLinkedInRoute | undefined): boolean {
    if (pattern === 'any') return route !== undefined
    if (pattern === 'images') return route?.startsWith('images.') ?? false
    return pattern === route
  }

  #takeFault(route: FakeLinkedInRoute | undefined): FakeLinkedInFaultAction | undefined {
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

  #route(method: string, url: URL): FakeLinkedInRoute | undefined {
    const path = url.pathname
    if (path === '/oauth/v2/authorization') return 'authorize'
    if (path === '/oauth/v2/accessToken') return 'token'
    if (path === '/oauth/v2/revoke') return 'revoke'
    if (path === '/v2/userinfo') return 'userinfo'
    if (path === '/rest/images' && url.searchParams.get('action') === 'initializeUpload') {
      return 'images.initialize'
    }
    if (path.startsWith('/dms-uploads/') && method === 'PUT') return 'images.upload'
    if (path === '/rest/posts' && method === 'POST') return 'posts.create'
    return undefined
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks)
    const url = new URL(request.url ?? '/', 'http://fake')
    const method = request.method ?? 'GET'
    const route = this.#route(method, url)
    const contentType = String(request.headers['content-type'] ?? '')
    const record: FakeLinkedInRequest = {
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
    }
    this.requests.push(record)
    if (this.latencyMs > 0) await delay(this.latencyMs)

    const limited = this.#rateLimit
    if (limited && this.#matches(limited.route, route) && Date.now() < limited.until.getTime()) {
      this.rateLimitedRequests.push({ at: record.at, route, resetAt: limited.until })
      return this.#write(response, {
        ...restliError(
          429,
          'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
          {
            serviceErrorCode: 101,
            code: 'TOO_MANY_REQUESTS',
          }
        ),
        headers:
          limited.retryAfterSeconds === undefined
            ? {}
            : {
                'retry-after': String(
                  Math.max(0, Math.ceil((limited.until.getTime() - Date.now()) / 1000))
                ),
              },
      })
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
      raw,
    })
    if (fault?.type === 'commit-then-hang') {
      this.#hanging.add(response)
      return
    }
    if (fault?.type === 'drop-after-commit') return void request.socket.destroy()
    this.#write(response, reply)
  }

  #write(response: ServerResponse, reply: Reply): void {
    if (response.destroyed) return
    const headers: Record<string, string | number> = { 'x-li-uuid': random(9), ...reply.headers }
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
    headers['content-type'] = 'application/json'
    headers['content-length'] = Buffer.byteLength(body)
    response.writeHead(reply.status, headers)
    response.end(body)
  }

  #dispatch(
    route: FakeLinkedInRoute | undefined,
    method: string,
    url: URL,
    headers: IncomingHttpHeaders,
    contentType: string,
    body: { json: unknown; form?: Record<string, string>; raw: Buffer }
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
      const form = body.form
      if (
        form.client_id !== FAKE_LINKEDIN_CLIENT.id ||
        form.client_secret !== FAKE_LINKEDIN_CLIENT.secret
      ) {
        return oauthError(401, 'invalid_client', 'Client authentication failed')
      }
      return route === 'token' ? this.#token(form) : this.#revoke(form)
    }
    if (route === undefined)
      return restliError(404, `No resource found for ${method} ${url.pathname}`)
    const auth = this.#bearer(headers, route)
    if ('reply' in auth) return auth.reply
    const member = this.#members.get(auth.member)!
    if (route === 'userinfo')
      return method === 'GET'
        ? this.#userinfo(member, auth.scopes)
        : restliError(405, 'Method not allowed')
    if (route === 'images.upload') return this.#upload(member, url, contentType, body.raw)
    const restli = this.#restliHeaders(headers, contentType)
    if (restli) return restli
    if (route === 'images.initialize') return this.#initializeUpload(member, body.json)
    return this.#createPost(member, body.json)
  }

  #restliHeaders(headers: IncomingHttpHeaders, contentType: string): Reply | undefined {
    const version = String(headers['linkedin-version'] ?? '')
    if (version === '') {
      return restliError(
        426,
        'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
        {
          code: 'VERSION_MISSING',
        }
      )
    }
    const month = /^(\d{6})(?:\.\d{2})?$/.exec(version)?.[1]
    if (!month || month < this.activeVersions.oldest || month > this.activeVersions.newest) {
      return restliError(426, `Requested version ${version} is not active`, {
        code: 'NONEXISTENT_VERSION',
      })
    }
    if (headers['x-restli-protocol-version'] !== '2.0.0') {
      return restliError(400, 'X-Restli-Protocol-Version 2.0.0 is required for this resource', {
        code: 'INVALID_PROTOCOL_VERSION',
      })
    }
    if (!/^application\/json\b/i.test(contentType)) {
      return restliError(415, 'Unsupported Media Type: application/json is required')
    }
    return undefined
  }

  // ---- OAuth --------------------------------------------------------------------------------------

  #authorize(url: URL): Reply {
    const params = Object.fromEntries(url.searchParams)
    if (params.client_id !== FAKE_LINKEDIN_CLIENT.id) {
      return { status: 400, html: '<h1>Bummer, something went wrong.</h1><p>invalid client_id</p>' }
    }
    const redirectUri = params.redirect_uri
    if (
      !redirectUri ||
      !URL.canParse(redirectUri) ||
      (this.redirectUris !== undefined && !this.redirectUris.includes(redirectUri))
    ) {
      return {
        status: 400,
        html: '<h1>Bummer, something went wrong.</h1><p>The redirect_uri does not match the registered value</p>',
      }
    }
    const back = (query: Record<string, string>): Reply => {
      const target = new URL(redirectUri)
      for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value)
      return { status: 302, location: target.href }
    }
    const state = params.state ?? ''
    if (params.response_type !== 'code') return back({ error: 'invalid_request', state })
    const scopes = (params.scope ?? '').split(/[\s,]+/).filter(Boolean)
    const unknown = scopes.find((scope) => !(LINKEDIN_SCOPES as readonly string[]).includes(scope))
    if (scopes.length === 0 || unknown) {
      return back({
        error: 'unauthorized_scope_error',
        error_description: `Scope "${unknown ?? ''}" is not authorized for your application`,
        state,
      })
    }
    if (this.#deny) {
      return back({
        error: 'user_cancelled_authorize',
        error_description: 'The user cancelled the authorization',
        state,
      })
    }
    const code = `AQ${random(40)}`
    const entry: AuthCode = {
      redirectUri,
      scopes,
      member: this.#consentAs,
      expiresAt: Date.now() + CODE_TTL_MS,
      used: false,
    }
    if (params.code_challenge) {
      entry.challenge = params.code_challenge
      entry.method = (params.code_challenge_method ?? 'plain').toUpperCase()
    }
    this.#codes.set(code, entry)
    return back({ code, state })
  }

  #mint(grant: Grant, expiresIn: number, refresh: boolean): FakeLinkedInTokens {
    const accessToken = `AQV${random(60)}`
    this.#tokens.set(accessToken, {
      kind: 'access',
      grant,
      expiresAt: Date.now() + expiresIn * 1000,
    })
    const tokens: FakeLinkedInTokens = { accessToken, expiresIn, scopes: grant.scopes }
    if (refresh) {
      const refreshToken = `AQW${random(60)}`
      this.#tokens.set(refreshToken, {
        kind: 'refresh',
        grant,
        expiresAt: Date.now() + REFRESH_TTL_S * 1000,
      })
      tokens.refreshToken = refreshToken
    }
    return tokens
  }

  #idToken(member: FakeLinkedInMember): string {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
    const now = Math.floor(Date.now() / 1000)
    return `${part({ alg: 'RS256', typ: 'JWT', kid: 'fake' })}.${part({
      iss: 'https://www.linkedin.com/oauth',
      aud: FAKE_LINKEDIN_CLIENT.id,
      iat: now,
      exp: now + 3600,
      sub: member.sub,
      name: member.name,
      email: member.email,
    })}.${random(32)}`
  }

  #token(form: Record<string, string>): Reply {
    if (form.grant_type === 'authorization_code') {
      const code = this.#codes.get(form.code ?? '')
      if (!code || code.used || code.expiresAt < Date.now()) {
        return oauthError(
          400,
          'invalid_grant',
          'The provided authorization grant is invalid, expired or revoked.'
        )
      }
      if (form.redirect_uri !== code.redirectUri) {
        return oauthError(
          400,
          'invalid_redirect_uri',
          'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code.'
        )
      }
      if (code.challenge !== undefined) {
        const verifier = form.code_verifier ?? ''
        const expected =
          code.method === 'S256'
            ? createHash('sha256').update(verifier).digest('base64url')
            : verifier
        if (verifier === '' || expected !== code.challenge) {
          return oauthError(
            400,
            'invalid_request',
            'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code.'
          )
        }
      }
      code.used = true
      const grant: Grant = { member: code.member, scopes: code.scopes, revoked: false }
      const tokens = this.#mint(grant, ACCESS_TTL_S, this.partnerApp)
      const json: Record<string, unknown> = {
        access_token: tokens.accessToken,
        expires_in: tokens.expiresIn,
        scope: [...code.scopes].sort().join(','),
        token_type: 'Bearer',
      }
      if (code.scopes.includes('openid'))
        json.id_token = this.#idToken(this.#members.get(code.member)!)
      if (tokens.refreshToken) {
        json.refresh_token = tokens.refreshToken
        json.refresh_token_expires_in = REFRESH_TTL_S
      }
      return { status: 200, json }
    }
    if (form.grant_type === 'refresh_token') {
      if (!this.partnerApp) {
        return oauthError(
          400,
          'unauthorized_client',
          'The client is not authorized to use refresh tokens.'
        )
      }
      const record = this.#tokens.get(form.refresh_token ?? '')
      if (
        !record ||
        record.kind !== 'refresh' ||
        record.grant.revoked ||
        record.expiresAt < Date.now()
      ) {
        return oauthError(
          400,
          'invalid_grant',
          'The provided authorization grant or refresh token is invalid, expired or revoked.'
        )
      }
      this.refreshCount++
      const accessToken = `AQV${random(60)}`
      this.#tokens.set(accessToken, {
        kind: 'access',
        grant: record.grant,
        expiresAt: Date.now() + ACCESS_TTL_S * 1000,
      })
      const json: Record<string, unknown> = {
        access_token: accessToken,
        expires_in: ACCESS_TTL_S,
        scope: [...record.grant.scopes].sort().join(','),
      }
      if (!this.omitRefreshTokenOnRefresh) {
        // LinkedIn keeps the refresh token (its absolute expiry is not extended).
        json.refresh_token = form.refresh_token
        json.refresh_token_expires_in = Math.floor((record.expiresAt - Date.now()) / 1000)
      }
      return { status: 200, json }
    }
    return oauthError(
      400,
      'unsupported_grant_type',
      `Unsupported grant_type ${form.grant_type ?? ''}`.trim()
    )
  }

  #revoke(form: Record<string, string>): Reply {
    if (!form.token)
      return oauthError(400, 'invalid_request', 'A required parameter "token" is missing')
    const record = this.#tokens.get(form.token)
    if (record) record.grant.revoked = true
    return { status: 200 }
  }

  #bearer(
    headers: IncomingHttpHeaders,
    route: FakeLinkedInRoute
  ): { member: string; scopes: string[] } | { reply: Reply } {
    const authorization = headers.authorization ?? ''
    const record = authorization.startsWith('Bearer ')
      ? this.#tokens.get(authorization.slice(7))
      : undefined
    if (!record || record.kind !== 'access') {
      return {
        reply: restliError(401, 'Invalid access token', {
          serviceErrorCode: 65600,
          code: 'INVALID_ACCESS_TOKEN',
        }),
      }
    }
    if (record.grant.revoked) {
      return {
        reply: restliError(401, 'The token used in the request has been revoked by the user', {
          serviceErrorCode: 65601,
          code: 'REVOKED_ACCESS_TOKEN',
        }),
      }
    }
    if (record.expiresAt <= Date.now()) {
      return {
        reply: restliError(401, 'The token used in the request has expired', {
          serviceErrorCode: 65600,
          code: 'EXPIRED_ACCESS_TOKEN',
        }),
      }
    }
    const missing = (REQUIRED_SCOPES[route] ?? []).filter(
      (scope) => !record.grant.scopes.includes(scope)
    )
    if (missing.length > 0) {
      return {
        reply: restliError(403, `Not enough permissions to access: ${route}`, {
          serviceErrorCode: 100,
          code: 'ACCESS_DENIED',
        }),
      }
    }
    return { member: record.grant.member, scopes: record.grant.scopes }
  }

  // ---- API ----------------------------------------------------------------------------------------

  #userinfo(member: FakeLinkedInMember, scopes: string[]): Reply {
    const json: Record<string, unknown> = {
      sub: member.sub,
      name: member.name,
      given_name: member.givenName,
      family_name: member.familyName,
      picture: member.picture,
      locale: { country: 'US', language: 'en' },
    }
    if (scopes.includes('email')) {
      json.email = member.email
      json.email_verified = true
    }
    return { status: 200, json }
  }

  #initializeUpload(member: FakeLinkedInMember, json: unknown): Reply {
    if (!isRecord(json)) return schemaError('/', 'a JSON object is required')
    for (const key of Object.keys(json)) {
      if (key !== 'initializeUploadRequest')
        return schemaError(`/${key}`, 'unrecognized field found but not allowed')
    }
    const request = json.initializeUploadRequest
    if (!isRecord(request))
      return schemaError(
        '/initializeUploadRequest',
        'field is required but not found and has no default value'
      )
    for (const key of Object.keys(request)) {
      if (key !== 'owner' && key !== 'mediaLibraryMetadata') {
        return schemaError(
          `/initializeUploadRequest/${key}`,
          'unrecognized field found but not allowed'
        )
      }
    }
    const owner = request.owner
    if (typeof owner !== 'string' || !/^urn:li:(person|organization):\S+$/.test(owner)) {
      return schemaError(
        '/initializeUploadRequest/owner',
        `"${String(owner)}" is not a valid owner URN`
      )
    }
    if (owner !== `urn:li:person:${member.sub}`) {
      return restliError(403, 'Not enough permissions to access: images.initializeUpload', {
        serviceErrorCode: 100,
        code: 'ACCESS_DENIED',
      })
    }
    const id = `D4E10AQ${random(12).replaceAll(/[-_]/g, 'x')}`
    const signature = random(24)
    const uploadPath = `/dms-uploads/${id}/uploaded-image/0`
    const expiresAt = Date.now() + 24 * 3600_000
    const urn = `urn:li:image:${id}`
    this.images.set(urn, {
      urn,
      owner,
      status: 'WAITING_UPLOAD',
      uploadPath,
      signature,
      uploadUrlExpiresAt: expiresAt,
    })
    return {
      status: 200,
      json: {
        value: {
          uploadUrlExpiresAt: expiresAt,
          uploadUrl: `${this.url}${uploadPath}?ca=vector_feedshare&cn=uploads&m=${signature}&app=1953784&sync=0&v=beta&ut=${random(8)}`,
          image: urn,
        },
      },
    }
  }

  #upload(member: FakeLinkedInMember, url: URL, contentType: string, raw: Buffer): Reply {
    const image = [...this.images.values()].find(
      (candidate) => candidate.uploadPath === url.pathname
    )
    if (!image || url.searchParams.get('m') !== image.signature) {
      return restliError(404, 'Upload URL not found or not signed')
    }
    if (image.uploadUrlExpiresAt < Date.now()) return restliError(400, 'Upload URL expired')
    if (image.owner !== `urn:li:person:${member.sub}`) {
      return restliError(403, 'Not enough permissions to upload this image', {
        code: 'ACCESS_DENIED',
      })
    }
    if (raw.length === 0) return restliError(400, 'Empty upload')
    if (!isImage(raw))
      return restliError(
        400,
        `The uploaded file is not a supported image (${contentType || 'no type'})`
      )
    image.bytes = raw
    image.contentType = contentType
    image.status = 'AVAILABLE'
    return { status: 201 }
  }

  #newShare(): string {
    this.#nextShare += 1_000n + BigInt(Math.floor(Math.random() * 1000))
    return `urn:li:share:${this.#nextShare}`
  }

  #checkImage(member: FakeLinkedInMember, id: unknown, path: string): Reply | undefined {
    if (typeof id !== 'string' || !id.startsWith('urn:li:image:')) {
      return schemaError(path, `"${String(id)}" is not a valid image URN`)
    }
    const image = this.images.get(id)
    if (!image || image.owner !== `urn:li:person:${member.sub}`) {
      return restliError(422, `Image ${id} does not exist or is not owned by the author`)
    }
    if (image.status !== 'AVAILABLE') {
      return restliError(422, `Image ${id} is not available (status ${image.status})`)
    }
    return undefined
  }

  #createPost(member: FakeLinkedInMember, json: unknown): Reply {
    if (!isRecord(json)) return schemaError('/', 'a JSON object is required')
    for (const key of Object.keys(json)) {
      if (!POST_FIELDS.has(key))
        return schemaError(`/${key}`, 'unrecognized field found but not allowed')
    }
    for (const key of ['author', 'commentary', 'visibility', 'distribution', 'lifecycleState']) {
      if (json[key] === undefined)
        return schemaError(`/${key}`, 'field is required but not found and has no default value')
    }
    const author = json.author
    if (typeof author !== 'string' || !/^urn:li:(person|organization):\S+$/.test(author)) {
      return schemaError(
        '/author',
        `"${String(author)}" does not match urn:li:person:\\S+|urn:li:organization:\\d+`
      )
    }
    if (author !== `urn:li:person:${member.sub}`) {
      return restliError(
        403,
        'Not enough permissions to access: partnerApiPostsExternal.CREATE.20261001',
        {
          serviceErrorCode: 100,
          code: 'ACCESS_DENIED',
        }
      )
    }
    if (typeof json.commentary !== 'string') return schemaError('/commentary', 'string expected')
    if (!['PUBLIC', 'CONNECTIONS', 'LOGGED_IN', 'CONTAINER'].includes(String(json.visibility))) {
      return schemaError('/visibility', `"${String(json.visibility)}" is not an enum symbol`)
    }
    const distribution = json.distribution
    if (!isRecord(distribution)) return schemaError('/distribution', 'record expected')
    for (const key of Object.keys(distribution)) {
      if (!['feedDistribution', 'targetEntities', 'thirdPartyDistributionChannels'].includes(key)) {
        return schemaError(`/distribution/${key}`, 'unrecognized field found but not allowed')
      }
    }
    if (!['MAIN_FEED', 'NONE'].includes(String(distribution.feedDistribution))) {
      return schemaError(
        '/distribution/feedDistribution',
        'field is required and must be MAIN_FEED or NONE'
      )
    }
    for (const key of ['targetEntities', 'thirdPartyDistributionChannels']) {
      if (distribution[key] !== undefined && !Array.isArray(distribution[key])) {
        return schemaError(`/distribution/${key}`, 'array expected')
      }
    }
    if (!['PUBLISHED', 'DRAFT'].includes(String(json.lifecycleState))) {
      return schemaError(
        '/lifecycleState',
        `"${String(json.lifecycleState)}" is not an enum symbol`
      )
    }
    if (
      json.isReshareDisabledByAuthor !== undefined &&
      typeof json.isReshareDisabledByAuthor !== 'boolean'
    ) {
      return schemaError('/isReshareDisabledByAuthor', 'boolean expected')
    }
    const content = json.content
    if (content !== undefined) {
      if (!isRecord(content) || Object.keys(content).length !== 1) {
        return schemaError(
          '/content',
          'exactly one of media, multiImage, article, poll is required'
        )
      }
      const [kind] = Object.keys(content)
      if (kind === 'media') {
        const media = content.media
        if (!isRecord(media)) return schemaError('/content/media', 'record expected')
        for (const key of Object.keys(media)) {
          if (!['id', 'altText', 'title'].includes(key)) {
            return schemaError(`/content/media/${key}`, 'unrecognized field found but not allowed')
          }
        }
        const problem = this.#checkImage(member, media.id, '/content/media/id')
        if (problem) return problem
      } else if (kind === 'multiImage') {
        const multi = content.multiImage
        const images = isRecord(multi) ? multi.images : undefined
        if (!Array.isArray(images) || images.length < 2 || images.length > 20) {
          return schemaError('/content/multiImage/images', 'between 2 and 20 images are required')
        }
        for (const [index, entry] of images.entries()) {
          if (!isRecord(entry))
            return schemaError(`/content/multiImage/images/${index}`, 'record expected')
          for (const key of Object.keys(entry)) {
            if (key !== 'id' && key !== 'altText') {
              return schemaError(
                `/content/multiImage/images/${index}/${key}`,
                'unrecognized field found but not allowed'
              )
            }
          }
          const problem = this.#checkImage(
            member,
            entry.id,
            `/content/multiImage/images/${index}/id`
          )
          if (problem) return problem
        }
      } else if (kind !== 'article') {
        return schemaError(`/content/${kind}`, 'unrecognized field found but not allowed')
      }
    }
    const rendered = renderLittleText(json.commentary)
    if ([...rendered.text].length > MAX_COMMENTARY) {
      return schemaError(
        '/commentary',
        `length of ${[...rendered.text].length} exceeds the maximum allowed length of ${MAX_COMMENTARY}`
      )
    }
    if (rendered.text.trim() === '' && content === undefined) {
      return schemaError('/commentary', 'a post needs commentary or content')
    }
    const duplicate = this.posts.find(
      (post) =>
        post.author === author &&
        rendered.text.trim() !== '' &&
        post.text.trim() === rendered.text.trim()
    )
    if (duplicate) {
      return restliError(422, `Content is a duplicate of ${duplicate.urn}`, {
        code: 'DUPLICATE_POST',
      })
    }
    const urn = this.#newShare()
    this.posts.push({
      urn,
      author,
      commentary: json.commentary,
      text: rendered.text,
      truncated: rendered.truncated,
      visibility: String(json.visibility),
      ...(content === undefined ? {} : { content }),
      createdAt: new Date(),
    })
    return { status: 201, headers: { 'x-restli-id': urn, 'x-linkedin-id': urn } }
  }
}
