import { randomBytes } from 'node:crypto'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'

/**
 * A strict fake of the Meta Graph API pieces Herald uses (platform-apis.md §4), on 127.0.0.1 with a random
 * port. Every Graph path must start with a supported version (`/v25.0/...`; an unknown version answers like
 * Meta: code 2635 "Unsupported API version"). The login dialog is `/{version}/dialog/oauth` on the same
 * server (the `dialogBaseUrl` setting is the fake's URL too).
 *
 * - `/{version}/dialog/oauth`: the login dialog answers at once like a person who approved (or, after
 *   `denyConsent()`, cancelled: `error=access_denied&error_reason=user_denied`); `grantOnly()` makes the
 *   person decline the other permissions. Unknown permissions are refused ("Invalid Scopes"), and with
 *   `redirectUris` set only those redirect URIs are accepted.
 * - `/oauth/access_token`: code exchange (client id, secret, redirect URI checked; one use),
 *   `grant_type=fb_exchange_token` (long-lived user token, ~60 days; an expired or revoked token cannot be
 *   exchanged: code 190) and `grant_type=client_credentials` (an app access token `<app id>|<secret part>`).
 * - `/me/permissions`: every permission asked in the dialog, `granted` or `declined`.
 * - `/me`, `/me/accounts` (user tokens only: the user's Pages with their Page tokens and
 *   `instagram_business_account`), `/{page-id}?fields=…`, `/{ig-user-id}?fields=…`.
 * - `POST /{page-id}/feed` and `/{page-id}/photos` need a **Page** token of that Page: a user token fails with
 *   code 200 like the real API. A `/photos` post fetches its `url` (JPEG, PNG or GIF). The same message twice in a row on a Page
 *   is refused with code 506 "Duplicate status message".
 * - Instagram: `POST /{ig-user-id}/media` creates a container (IN_PROGRESS); the fake FETCHES the `image_url`
 *   (an unreachable URL or a non-JPEG body puts the container in ERROR with Meta's wording; a JPEG whose
 *   frame is outside 4:5 to 1.91:1 is refused at once, code 36003 / subcode 2207009), and the
 *   container becomes FINISHED after `containerPolls` status reads (`containerMode` `never` keeps it
 *   IN_PROGRESS, `error` puts it in ERROR). `media_publish` needs a FINISHED container (else code 9007 /
 *   2207027). Carousels: children with `is_carousel_item`, a parent `media_type=CAROUSEL` with `children`.
 * - Access tokens from the `access_token` parameter or `Authorization: Bearer`.
 *
 * Faults (until `reset()`): `fail()` any Graph error on a route, `throttle()` (code 4/17/32/613/80001/80002
 * with `X-Business-Use-Case-Usage` / `X-App-Usage` headers), `fail()` with a 5xx, `revokeAll()` (190),
 * `hang()`, `drop()`, `commitThenHang()`, `dropAfterCommit()`.
 *
 * Assumptions (platform-apis.md §6): HTTP 400 for client and throttling errors, 500 for codes 1/2; the
 * exact wording of the media-fetch ERROR status; `/photos` with an unreachable URL answers code 324.
 */

/** The Meta app the fake knows. */
export const FAKE_META_APP = {
  id: '1234567890123456',
  secret: 'fake-meta-app-secret-9f8e7d6c',
} as const

/** Graph versions the fake serves. */
export const FAKE_META_VERSIONS = ['v23.0', 'v24.0', 'v25.0'] as const

/** Permissions the fake's login dialog knows (an unknown one is an "Invalid Scopes" error). */
export const FAKE_META_PERMISSIONS = [
  'public_profile',
  'email',
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_posts',
  'pages_manage_engagement',
  'pages_manage_metadata',
  'instagram_basic',
  'instagram_content_publish',
  'instagram_manage_comments',
  'business_management',
] as const

/** The Facebook user of the fake, with the long-lived user token valid after each reset. */
export const FAKE_META_USER = {
  id: '10223344556677889',
  name: 'Jane Doe',
  picture: 'https://scontent.xx.fbcdn.net/fake/jane.jpg',
  accessToken: 'EAAFakeUserToken-jane-Qw3rTy7uIoP9',
} as const

/** A Page of the fake (`igUserId` when an Instagram business account is linked). */
export interface FakeMetaPage {
  id: string
  name: string
  accessToken: string
  category: string
  igUserId?: string
  igUsername?: string
}

/** The user's Pages after each reset: the first has an Instagram business account. */
export const FAKE_META_PAGES: readonly FakeMetaPage[] = [
  {
    id: '546349135390552',
    name: 'Acme Coffee',
    accessToken: 'EAAFakePageToken-acme-Zx8Cv6Bn4',
    category: 'Coffee shop',
    igUserId: '17841405822304914',
    igUsername: 'acmecoffee',
  },
  {
    id: '546349135390999',
    name: 'Acme Bakery',
    accessToken: 'EAAFakePageToken-bakery-Lk2Jh5Gf1',
    category: 'Bakery',
  },
]

/** A route of the fake. */
export type FakeMetaRoute =
  | 'dialog'
  | 'token'
  | 'me'
  | 'me.accounts'
  | 'me.permissions'
  | 'node'
  | 'ig.media.read'
  | 'page.feed'
  | 'page.feed.list'
  | 'page.photos'
  | 'ig.media'
  | 'ig.media.list'
  | 'ig.publish'
  | 'media'

/** One request the fake received. */
export interface FakeMetaRequest {
  method: string
  route?: FakeMetaRoute
  path: string
  version?: string
  params: Record<string, string>
  token?: string
  headers: IncomingHttpHeaders
}

/** A Page post the fake holds. */
export interface FakeMetaPost {
  id: string
  pageId: string
  message: string
  link?: string
  photoUrls: string[]
  createdTime: Date
}

/** An Instagram container. */
export interface FakeMetaContainer {
  id: string
  igUserId: string
  imageUrl?: string
  caption?: string
  isCarouselItem: boolean
  children: string[]
  mediaType: 'IMAGE' | 'CAROUSEL'
  statusCode: 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED'
  status?: string
  polls: number
  fetched: boolean
}

/** A published Instagram media. */
export interface FakeMetaIgMedia {
  id: string
  igUserId: string
  caption: string
  containerId: string
  mediaType: 'IMAGE' | 'CAROUSEL_ALBUM'
  imageUrls: string[]
  timestamp: Date
}

type FaultAction =
  | {
      type: 'graph'
      status: number
      error: Record<string, unknown>
      headers?: Record<string, string>
    }
  | { type: 'hang' }
  | { type: 'drop' }
  | { type: 'commit-then-hang' }
  | { type: 'drop-after-commit' }

interface Fault {
  route: FakeMetaRoute | 'any'
  action: FaultAction
  times: number
}

interface TokenRecord {
  kind: 'user' | 'page' | 'app'
  /** User tokens: the permissions asked in the dialog and whether each was granted. */
  permissions?: { permission: string; status: 'granted' | 'declined' }[]
  pageId?: string
  expiresAt?: number
  revoked: boolean
  longLived: boolean
}

interface Reply {
  status: number
  json?: unknown
  headers?: Record<string, string>
  location?: string
  body?: Buffer
  contentType?: string
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01])

/** Feed images Instagram takes: width / height from 4:5 to 1.91:1. */
export const FAKE_IG_ASPECT_RATIO = { min: 0.8, max: 1.91 } as const

/**
 * Width and height of a JPEG from its start-of-frame segment, or undefined when the bytes have none
 * (the header-only images of some tests).
 */
export function jpegSize(bytes: Buffer): { width: number; height: number } | undefined {
  let offset = 2
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined
    const marker = bytes[offset + 1]
    if (marker === 0xff) {
      offset += 1
      continue
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2
      continue
    }
    if (marker === 0xda || marker === 0xd9) return undefined
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)
    if (isFrame) {
      const height = bytes.readUInt16BE(offset + 5)
      const width = bytes.readUInt16BE(offset + 7)
      return width > 0 && height > 0 ? { width, height } : undefined
    }
    offset += 2 + bytes.readUInt16BE(offset + 2)
  }
  return undefined
}

function graphError(
  status: number,
  code: number,
  message: string,
  extra: Record<string, unknown> = {}
): Reply {
  const type = code === 190 || code === 102 ? 'OAuthException' : 'OAuthException'
  return {
    status,
    json: {
      error: { message, type, code, ...extra, fbtrace_id: randomBytes(8).toString('base64url') },
    },
  }
}

function bad(message: string, extra: Record<string, unknown> = {}): Reply {
  return graphError(400, 100, message, extra)
}

/** The Meta fake. See the file header. */
export class FakeMeta {
  readonly requests: FakeMetaRequest[] = []
  readonly posts: FakeMetaPost[] = []
  readonly containers = new Map<string, FakeMetaContainer>()
  readonly igMedia: FakeMetaIgMedia[] = []
  /** Images the fake serves at `/media/<name>`. */
  readonly hosted = new Map<string, { bytes: Buffer; contentType: string }>()
  /**
   * URLs the fake fetched (image_url and photo url), with the outcome; `width`/`height` when the body is
   * a JPEG with a start-of-frame segment.
   */
  readonly fetches: { url: string; ok: boolean; width?: number; height?: number }[] = []
  /** Status reads before an image container is FINISHED. */
  containerPolls = 1
  /** `finish` (default), `never` (stays IN_PROGRESS) or `error`. */
  containerMode: 'finish' | 'never' | 'error' = 'finish'
  /** Pages of the fake user (editable per test). */
  pages: FakeMetaPage[] = FAKE_META_PAGES.map((page) => ({ ...page }))
  exchangeCount = 0
  /** When set, the login dialog accepts only these redirect URIs (exact match, like Strict Mode). */
  redirectUris: string[] | undefined

  #server?: Server
  #port = 0
  #faults: Fault[] = []
  #tokens = new Map<string, TokenRecord>()
  #codes = new Map<
    string,
    {
      redirectUri: string
      used: boolean
      permissions: { permission: string; status: 'granted' | 'declined' }[]
    }
  >()
  #deny = false
  #grantOnly?: string[]
  #next = 1_116_692_661_682_465n
  #hanging = new Set<ServerResponse>()
  readonly #open = new Set<ServerResponse>()

  get url(): string {
    if (!this.#server) throw new Error('FakeMeta is not started')
    return `http://127.0.0.1:${this.#port}`
  }

  /** Plugin settings pointing at this fake. */
  settings(): {
    appId: string
    appSecret: string
    graphVersion: string
    graphBaseUrl: string
    dialogBaseUrl: string
  } {
    return {
      appId: FAKE_META_APP.id,
      appSecret: FAKE_META_APP.secret,
      graphVersion: 'v25.0',
      graphBaseUrl: this.url,
      dialogBaseUrl: this.url,
    }
  }

  async start(): Promise<void> {
    if (this.#server) return
    const server = createServer((request, response) => {
      this.#open.add(response)
      response.on('close', () => this.#open.delete(response))
      this.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.#write(response, graphError(500, 1, String(error)))
        else response.destroy()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.#port = (server.address() as { port: number }).port
    this.#server = server
    this.reset()
  }

  async stop(): Promise<void> {
    const server = this.#server
    if (!server) return
    this.#server = undefined
    for (const response of this.#open) response.destroy()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Forgets requests, posts, containers, faults and tokens; seeds the user and Page tokens again. */
  reset(): void {
    this.requests.length = 0
    this.posts.length = 0
    this.igMedia.length = 0
    this.fetches.length = 0
    this.containers.clear()
    this.#unpublished.clear()
    this.hosted.clear()
    this.containerPolls = 1
    this.containerMode = 'finish'
    this.exchangeCount = 0
    this.redirectUris = undefined
    this.#deny = false
    this.#grantOnly = undefined
    this.pages = FAKE_META_PAGES.map((page) => ({ ...page }))
    this.#faults = []
    this.#codes.clear()
    this.#tokens.clear()
    for (const response of this.#hanging) response.destroy()
    this.#hanging.clear()
    this.#tokens.set(FAKE_META_USER.accessToken, {
      kind: 'user',
      permissions: FAKE_META_PERMISSIONS.map((permission) => ({
        permission,
        status: 'granted' as const,
      })),
      revoked: false,
      longLived: true,
      expiresAt: Date.now() + 5_184_000_000,
    })
    for (const page of this.pages) {
      this.#tokens.set(page.accessToken, {
        kind: 'page',
        pageId: page.id,
        revoked: false,
        longLived: true,
      })
    }
    this.hostImage('photo.jpg')
  }

  // ---- test controls -------------------------------------------------------------------------------

  /** Serves an image at `<url>/media/<name>`; returns its URL. */
  hostImage(
    name: string,
    bytes: Buffer = Buffer.concat([JPEG, randomBytes(512)]),
    contentType = 'image/jpeg'
  ): string {
    this.hosted.set(name, { bytes, contentType })
    return `${this.url}/media/${name}`
  }

  /** The next logins are cancelled by the person (the dialog redirects back with `error=access_denied`). */
  denyConsent(): void {
    this.#deny = true
  }

  /** The next logins grant only these permissions; the person declines the others asked for. */
  grantOnly(permissions: string[]): void {
    this.#grantOnly = permissions
  }

  /** A short-lived user token, as the code exchange gives (for refresh tests). */
  issueShortLivedToken(
    permissions: {
      permission: string
      status: 'granted' | 'declined'
    }[] = FAKE_META_PERMISSIONS.map((permission) => ({ permission, status: 'granted' as const }))
  ): string {
    const token = `EAAFakeShort-${randomBytes(9).toString('base64url')}`
    this.#tokens.set(token, {
      kind: 'user',
      permissions,
      revoked: false,
      longLived: false,
      expiresAt: Date.now() + 3_600_000,
    })
    return token
  }

  /** A Page token derived from a short-lived user token: it expires with it (like Meta's). */
  #shortPageToken(pageId: string, expiresAt: number | undefined): string {
    const token = `EAAFakeShortPage-${randomBytes(9).toString('base64url')}`
    this.#tokens.set(token, { kind: 'page', pageId, revoked: false, longLived: false, expiresAt })
    return token
  }

  /** Whether a token is a Page token that never expires (derived from a long-lived user token). */
  isNonExpiringPageToken(token: string): boolean {
    const record = this.#tokens.get(token)
    return record?.kind === 'page' && record.longLived && record.expiresAt === undefined
  }

  /** Expires a token (the next use answers 190 / 463). */
  expireToken(token: string): void {
    const record = this.#tokens.get(token)
    if (record) record.expiresAt = Date.now() - 1000
  }

  /** Revokes every token (190 / 460, like a password change). */
  revokeAll(): void {
    for (const record of this.#tokens.values()) record.revoked = true
  }

  /** Holds a Page post made `ago` ms earlier. */
  holdPost(pageId: string, message: string, ago = 0, id?: string): FakeMetaPost {
    const post: FakeMetaPost = {
      id: id ?? `${pageId}_${this.#id()}`,
      pageId,
      message,
      photoUrls: [],
      createdTime: new Date(Date.now() - ago),
    }
    this.posts.push(post)
    return post
  }

  /** Holds a published Instagram media made `ago` ms earlier. */
  holdIgMedia(igUserId: string, caption: string, ago = 0, id?: string): FakeMetaIgMedia {
    const media: FakeMetaIgMedia = {
      id: id ?? this.#id(),
      igUserId,
      caption,
      containerId: this.#id(),
      mediaType: 'IMAGE',
      imageUrls: [],
      timestamp: new Date(Date.now() - ago),
    }
    this.igMedia.push(media)
    return media
  }

  /** Any Graph error on a route (`times` answers, default all until reset). */
  fail(
    route: FakeMetaRoute | 'any',
    error: {
      status?: number
      code: number
      subcode?: number
      message?: string
      headers?: Record<string, string>
      isTransient?: boolean
    },
    times = Number.POSITIVE_INFINITY
  ): void {
    const body: Record<string, unknown> = {
      message: error.message ?? `(#${error.code}) An error occurred`,
      type: 'OAuthException',
      code: error.code,
    }
    if (error.subcode !== undefined) body.error_subcode = error.subcode
    if (error.isTransient !== undefined) body.is_transient = error.isTransient
    this.#faults.push({
      route,
      times,
      action: { type: 'graph', status: error.status ?? 400, error: body, headers: error.headers },
    })
  }

  /** Throttling: a Graph throttling code with the usage headers Meta sends. */
  throttle(
    route: FakeMetaRoute | 'any',
    options: { code?: number; etaMinutes?: number; businessId?: string } = {}
  ): void {
    const code = options.code ?? 32
    const id = options.businessId ?? FAKE_META_PAGES[0].id
    const usage = {
      [id]: [
        {
          type: code === 80002 ? 'instagram' : 'pages',
          call_count: 100,
          total_cputime: 30,
          total_time: 40,
          estimated_time_to_regain_access: options.etaMinutes ?? 0,
        },
      ],
    }
    const messages: Record<number, string> = {
      4: '(#4) Application request limit reached',
      17: '(#17) User request limit reached',
      32: '(#32) Page request limit reached',
      613: '(#613) Calls to this api have exceeded the rate limit.',
      80001:
        '(#80001) There have been too many calls to this Page account. Wait a bit and try again.',
      80002:
        '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.',
    }
    this.fail(route, {
      code,
      message: messages[code] ?? `(#${code}) Rate limited`,
      headers: {
        'x-business-use-case-usage': JSON.stringify(usage),
        'x-app-usage': JSON.stringify({ call_count: 100, total_time: 20, total_cputime: 20 }),
      },
    })
  }

  hang(route: FakeMetaRoute | 'any' = 'any'): void {
    this.#faults.push({ route, times: Number.POSITIVE_INFINITY, action: { type: 'hang' } })
  }

  drop(route: FakeMetaRoute | 'any' = 'any'): void {
    this.#faults.push({ route, times: Number.POSITIVE_INFINITY, action: { type: 'drop' } })
  }

  /** The creating request is applied, then the answer never comes. */
  commitThenHang(route: FakeMetaRoute): void {
    this.#faults.push({
      route,
      times: Number.POSITIVE_INFINITY,
      action: { type: 'commit-then-hang' },
    })
  }

  /** The creating request is applied, then the connection is closed. */
  dropAfterCommit(route: FakeMetaRoute): void {
    this.#faults.push({
      route,
      times: Number.POSITIVE_INFINITY,
      action: { type: 'drop-after-commit' },
    })
  }

  requestsTo(route: FakeMetaRoute): FakeMetaRequest[] {
    return this.requests.filter((request) => request.route === route)
  }

  // ---- server --------------------------------------------------------------------------------------

  #id(): string {
    this.#next += 7n
    return String(this.#next)
  }

  #route(method: string, segments: string[]): FakeMetaRoute | undefined {
    const [first, second] = segments
    if (first === 'dialog' && second === 'oauth') return 'dialog'
    if (first === 'oauth' && second === 'access_token') return 'token'
    if (first === 'me' && segments.length === 1) return 'me'
    if (first === 'me' && second === 'accounts') return 'me.accounts'
    if (first === 'me' && second === 'permissions' && method === 'GET') return 'me.permissions'
    if (segments.length === 1 && method === 'GET') {
      return this.igMedia.some((media) => media.id === first) ? 'ig.media.read' : 'node'
    }
    if (segments.length === 2 && second === 'feed')
      return method === 'POST' ? 'page.feed' : 'page.feed.list'
    if (segments.length === 2 && second === 'photos' && method === 'POST') return 'page.photos'
    if (segments.length === 2 && second === 'media')
      return method === 'POST' ? 'ig.media' : 'ig.media.list'
    if (segments.length === 2 && second === 'media_publish' && method === 'POST')
      return 'ig.publish'
    return undefined
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const url = new URL(request.url ?? '/', 'http://fake')
    const method = request.method ?? 'GET'
    const params: Record<string, string> = Object.fromEntries(url.searchParams)
    const contentType = String(request.headers['content-type'] ?? '')
    if (raw !== '') {
      if (/json/i.test(contentType)) {
        try {
          for (const [key, value] of Object.entries(JSON.parse(raw) as Record<string, unknown>)) {
            params[key] = typeof value === 'string' ? value : JSON.stringify(value)
          }
        } catch {
          return this.#write(response, bad('(#100) Invalid JSON body'))
        }
      } else {
        Object.assign(params, Object.fromEntries(new URLSearchParams(raw)))
      }
    }
    const segments = url.pathname.split('/').filter(Boolean)
    if (segments[0] === 'media' && method === 'GET') {
      const hosted = this.hosted.get(segments.slice(1).join('/'))
      if (!hosted)
        return this.#write(response, {
          status: 404,
          body: Buffer.from('not found'),
          contentType: 'text/plain',
        })
      return this.#write(response, {
        status: 200,
        body: hosted.bytes,
        contentType: hosted.contentType,
      })
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1]
    const token = params.access_token ?? bearer
    const version = segments.shift()
    const route = this.#route(method, segments)
    this.requests.push({
      method,
      route,
      path: url.pathname,
      version,
      params,
      token,
      headers: request.headers,
    })
    if (!version || !/^v\d+\.\d+$/.test(version)) {
      return this.#write(
        response,
        bad('Unknown path components: a Graph API version prefix is required', { code: 2500 })
      )
    }
    if (!(FAKE_META_VERSIONS as readonly string[]).includes(version)) {
      return this.#write(
        response,
        graphError(
          400,
          2635,
          `(#2635) You are calling a deprecated version of the Ads API. Unsupported API version: ${version}.`
        )
      )
    }
    const faultIndex = this.#faults.findIndex(
      (fault) => fault.times > 0 && (fault.route === 'any' || fault.route === route)
    )
    const fault = faultIndex === -1 ? undefined : this.#faults[faultIndex]
    if (fault) fault.times -= 1
    const action = fault?.action
    if (action?.type === 'hang') return void this.#hanging.add(response)
    if (action?.type === 'drop') return void request.socket.destroy()
    if (action?.type === 'graph') {
      return this.#write(response, {
        status: action.status,
        json: { error: { ...action.error, fbtrace_id: 'AfakeTrace' } },
        headers: action.headers,
      })
    }
    const reply = await this.#dispatch(route, method, segments, params, token)
    if (action?.type === 'commit-then-hang') return void this.#hanging.add(response)
    if (action?.type === 'drop-after-commit') return void request.socket.destroy()
    this.#write(response, reply)
  }

  #auth(token: string | undefined): TokenRecord | Reply {
    if (!token) return graphError(400, 104, 'An access token is required to request this resource.')
    const record = this.#tokens.get(token)
    if (!record)
      return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token', {
        error_subcode: 467,
      })
    if (record.revoked) {
      return graphError(
        400,
        190,
        'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
        { error_subcode: 460 }
      )
    }
    if (record.expiresAt !== undefined && record.expiresAt < Date.now()) {
      return graphError(400, 190, 'Error validating access token: Session has expired.', {
        error_subcode: 463,
      })
    }
    return record
  }

  /**
   * Downloads an image like Meta does (a plain GET from the internet, 2 s at most). `ok` means a JPEG
   * (what Instagram takes); with `photo` (Page photos) a PNG or GIF is fine too, like Facebook.
   */
  async #fetchImage(
    url: string,
    options: { photo?: boolean } = {}
  ): Promise<{
    outcome: 'ok' | 'unreachable' | 'not-image'
    size?: { width: number; height: number }
  }> {
    try {
      const answer = await fetch(url, { signal: AbortSignal.timeout(2000) })
      const bytes = Buffer.from(await answer.arrayBuffer())
      const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
      const other =
        options.photo === true &&
        (bytes
          .subarray(0, 8)
          .equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ||
          bytes.subarray(0, 4).toString('latin1') === 'GIF8')
      const ok = answer.ok && (jpeg || other)
      const size = ok && jpeg ? jpegSize(bytes) : undefined
      this.fetches.push({ url, ok, ...size })
      if (!answer.ok) return { outcome: 'unreachable' }
      return ok ? { outcome: 'ok', ...(size ? { size } : {}) } : { outcome: 'not-image' }
    } catch {
      this.fetches.push({ url, ok: false })
      return { outcome: 'unreachable' }
    }
  }

  async #dispatch(
    route: FakeMetaRoute | undefined,
    method: string,
    segments: string[],
    params: Record<string, string>,
    token: string | undefined
  ): Promise<Reply> {
    if (route === 'dialog') return this.#dialog(params)
    if (route === 'token') return this.#token(params)
    if (!route)
      return bad(
        `Unsupported ${method} request. Object with ID '${segments[0] ?? ''}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        { error_subcode: 33 }
      )
    const auth = this.#auth(token)
    if ('status' in auth) return auth
    if (auth.kind === 'app' && route !== 'node') {
      return graphError(
        400,
        2500,
        'An active access token must be used to query information about the current user.'
      )
    }
    const id = segments[0]
    const page = this.pages.find((candidate) => candidate.id === id)
    const igPage = this.pages.find((candidate) => candidate.igUserId === id)
    switch (route) {
      case 'me': {
        if (auth.kind === 'page') {
          const own = this.pages.find((candidate) => candidate.id === auth.pageId)
          return { status: 200, json: { id: own?.id, name: own?.name } }
        }
        return {
          status: 200,
          json: {
            id: FAKE_META_USER.id,
            name: FAKE_META_USER.name,
            picture: { data: { url: FAKE_META_USER.picture, is_silhouette: false } },
          },
        }
      }
      case 'me.permissions': {
        if (auth.kind !== 'user')
          return bad('(#100) Tried accessing nonexisting field (permissions) on node type (Page)')
        return { status: 200, json: { data: auth.permissions ?? [] } }
      }
      case 'me.accounts': {
        if (auth.kind !== 'user')
          return bad('(#100) Tried accessing nonexisting field (accounts) on node type (Page)')
        const fields = (params.fields ?? '').split(',')
        return {
          status: 200,
          json: {
            data: this.pages.map((candidate) => {
              const entry: Record<string, unknown> = {
                id: candidate.id,
                name: candidate.name,
                category: candidate.category,
              }
              if (fields.includes('access_token')) {
                entry.access_token = auth.longLived
                  ? candidate.accessToken
                  : this.#shortPageToken(candidate.id, auth.expiresAt)
              }
              if (fields.includes('tasks'))
                entry.tasks = ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE']
              if (fields.some((field) => field.startsWith('picture')))
                entry.picture = {
                  data: { url: `https://scontent.xx.fbcdn.net/fake/${candidate.id}.jpg` },
                }
              if (fields.includes('instagram_business_account') && candidate.igUserId)
                entry.instagram_business_account = { id: candidate.igUserId }
              return entry
            }),
            paging: { cursors: { before: 'QVFIUbefore', after: 'QVFIUafter' } },
          },
        }
      }
      case 'node':
      case 'ig.media.read':
        return this.#node(id, params)
      case 'page.feed':
      case 'page.photos': {
        if (!page)
          return bad(`(#100) Unsupported post request. Object with ID '${id}' does not exist.`, {
            error_subcode: 33,
          })
        if (auth.kind !== 'page' || auth.pageId !== page.id) {
          return graphError(
            403,
            200,
            '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission'
          )
        }
        return route === 'page.feed' ? this.#feed(page, params) : this.#photos(page, params)
      }
      case 'page.feed.list': {
        if (!page)
          return bad(`(#100) Object with ID '${id}' does not exist.`, { error_subcode: 33 })
        const since = params.since ? Number(params.since) * 1000 : 0
        const data = this.posts
          .filter((post) => post.pageId === page.id && post.createdTime.getTime() >= since)
          .reverse()
          .slice(0, Number(params.limit ?? 25))
          .map((post) => ({
            id: post.id,
            message: post.message,
            created_time: post.createdTime.toISOString().replace(/\.\d{3}Z$/, '+0000'),
            permalink_url: `https://www.facebook.com/${post.id}`,
          }))
        return { status: 200, json: { data } }
      }
      case 'ig.media':
      case 'ig.media.list':
      case 'ig.publish': {
        if (!igPage)
          return bad(`(#100) Object with ID '${id}' does not exist.`, { error_subcode: 33 })
        if (auth.kind === 'page' && auth.pageId !== igPage.id)
          return graphError(403, 10, '(#10) Application does not have permission for this action')
        if (route === 'ig.media.list') {
          const data = this.igMedia
            .filter((media) => media.igUserId === id)
            .reverse()
            .slice(0, Number(params.limit ?? 25))
            .map((media) => ({
              id: media.id,
              caption: media.caption,
              timestamp: media.timestamp.toISOString().replace(/\.\d{3}Z$/, '+0000'),
              permalink: `https://www.instagram.com/p/fake${media.id}/`,
            }))
          return { status: 200, json: { data } }
        }
        return route === 'ig.media' ? this.#container(id, params) : this.#publish(id, params)
      }
    }
    return bad('(#100) Unsupported request')
  }

  #dialog(params: Record<string, string>): Reply {
    if (params.client_id !== FAKE_META_APP.id) return bad('Invalid App ID')
    if (!params.redirect_uri || !URL.canParse(params.redirect_uri))
      return bad('redirect_uri is required')
    if (this.redirectUris !== undefined && !this.redirectUris.includes(params.redirect_uri)) {
      return bad(
        "URL blocked: This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings."
      )
    }
    const asked = (params.scope ?? '').split(/[\s,]+/).filter(Boolean)
    const unknown = asked.filter(
      (scope) => !(FAKE_META_PERMISSIONS as readonly string[]).includes(scope)
    )
    if (unknown.length > 0) return bad(`Invalid Scopes: ${unknown.join(', ')}`)
    const target = new URL(params.redirect_uri)
    if (params.state) target.searchParams.set('state', params.state)
    if (this.#deny) {
      target.searchParams.set('error', 'access_denied')
      target.searchParams.set('error_code', '200')
      target.searchParams.set('error_description', 'Permissions error')
      target.searchParams.set('error_reason', 'user_denied')
      return { status: 302, location: target.href }
    }
    const permissions = ['public_profile', ...asked.filter((scope) => scope !== 'public_profile')]
    const code = `AQDfake${randomBytes(12).toString('base64url')}`
    this.#codes.set(code, {
      redirectUri: params.redirect_uri,
      used: false,
      permissions: permissions.map((permission) => ({
        permission,
        status:
          permission === 'public_profile' ||
          this.#grantOnly === undefined ||
          this.#grantOnly.includes(permission)
            ? 'granted'
            : 'declined',
      })),
    })
    target.searchParams.set('code', code)
    return { status: 302, location: target.href }
  }

  #token(params: Record<string, string>): Reply {
    if (params.client_id !== FAKE_META_APP.id)
      return graphError(400, 101, 'Error validating application. Invalid application ID.')
    if (params.client_secret !== FAKE_META_APP.secret)
      return graphError(400, 1, 'Error validating client secret.', { type: 'OAuthException' })
    if (params.grant_type === 'client_credentials') {
      const token = `${FAKE_META_APP.id}|${randomBytes(16).toString('base64url')}`
      this.#tokens.set(token, { kind: 'app', revoked: false, longLived: true })
      return { status: 200, json: { access_token: token, token_type: 'bearer' } }
    }
    if (params.grant_type === 'fb_exchange_token') {
      const current = params.fb_exchange_token
      const auth = this.#auth(current)
      if ('status' in auth) return auth
      const token = `EAAFakeLong-${randomBytes(12).toString('base64url')}`
      this.#tokens.set(token, {
        kind: auth.kind,
        pageId: auth.pageId,
        permissions: auth.permissions,
        revoked: false,
        longLived: true,
        expiresAt: Date.now() + 5_183_944_000,
      })
      this.exchangeCount += 1
      return {
        status: 200,
        json: { access_token: token, token_type: 'bearer', expires_in: 5_183_944 },
      }
    }
    const code = this.#codes.get(params.code ?? '')
    if (!code || code.used)
      return graphError(400, 100, 'This authorization code has been used.', {
        error_subcode: 36009,
      })
    if (code.redirectUri !== params.redirect_uri)
      return graphError(
        400,
        100,
        'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
        { error_subcode: 36008 }
      )
    code.used = true
    const token = this.issueShortLivedToken(code.permissions)
    return { status: 200, json: { access_token: token, token_type: 'bearer', expires_in: 3600 } }
  }

  #node(id: string, params: Record<string, string>): Reply {
    const fields = (params.fields ?? '').split(',').filter(Boolean)
    const page = this.pages.find((candidate) => candidate.id === id)
    if (page) {
      const entry: Record<string, unknown> = { id: page.id, name: page.name }
      if (fields.includes('instagram_business_account') && page.igUserId)
        entry.instagram_business_account = { id: page.igUserId }
      return { status: 200, json: entry }
    }
    const ig = this.pages.find((candidate) => candidate.igUserId === id)
    if (ig) {
      return {
        status: 200,
        json: {
          id,
          username: ig.igUsername,
          name: ig.name,
          profile_picture_url: `https://scontent.cdninstagram.com/fake/${id}.jpg`,
        },
      }
    }
    const container = this.containers.get(id)
    if (container) {
      if (container.statusCode === 'IN_PROGRESS') {
        container.polls += 1
        if (
          container.fetched &&
          this.containerMode === 'finish' &&
          container.polls >= this.containerPolls
        ) {
          container.statusCode = 'FINISHED'
        } else if (this.containerMode === 'error') {
          container.statusCode = 'ERROR'
          container.status = 'Error: Unknown error occurred while processing the media. (2207001)'
        }
      }
      const json: Record<string, unknown> = { id, status_code: container.statusCode }
      if (container.status) json.status = container.status
      return { status: 200, json }
    }
    const media = this.igMedia.find((candidate) => candidate.id === id)
    if (media)
      return {
        status: 200,
        json: {
          id,
          permalink: `https://www.instagram.com/p/fake${media.id}/`,
          caption: media.caption,
        },
      }
    return bad(
      `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      { error_subcode: 33 }
    )
  }

  #feed(page: FakeMetaPage, params: Record<string, string>): Reply {
    const message = params.message ?? ''
    let attached: string[] = []
    if (params.attached_media) {
      try {
        attached = (JSON.parse(params.attached_media) as { media_fbid: string }[]).map(
          (item) => item.media_fbid
        )
      } catch {
        return bad('(#100) param attached_media must be an array.')
      }
    }
    if (message === '' && !params.link && attached.length === 0)
      return bad('(#100) The parameter message or link is required')
    const last = [...this.posts].reverse().find((post) => post.pageId === page.id)
    if (last && message !== '' && last.message === message)
      return graphError(400, 506, 'Duplicate status message')
    const photos = attached.map((fbid) => this.#unpublished.get(fbid))
    if (photos.some((photo) => photo === undefined))
      return bad('(#100) Invalid media_fbid in attached_media')
    const post: FakeMetaPost = {
      id: `${page.id}_${this.#id()}`,
      pageId: page.id,
      message,
      photoUrls: photos as string[],
      createdTime: new Date(),
    }
    if (params.link) post.link = params.link
    this.posts.push(post)
    return { status: 200, json: { id: post.id }, headers: this.#usage(page.id) }
  }

  #unpublished = new Map<string, string>()

  async #photos(page: FakeMetaPage, params: Record<string, string>): Promise<Reply> {
    if (!params.url) return bad('(#100) Requires one of the params: url, source, attachment_url')
    const fetched = await this.#fetchImage(params.url, { photo: true })
    if (fetched.outcome !== 'ok')
      return graphError(400, 324, '(#324) Missing or invalid image file')
    const photoId = this.#id()
    if (params.published === 'false') {
      this.#unpublished.set(photoId, params.url)
      return { status: 200, json: { id: photoId } }
    }
    const caption = params.caption ?? params.message ?? ''
    const last = [...this.posts].reverse().find((post) => post.pageId === page.id)
    if (last && caption !== '' && last.message === caption)
      return graphError(400, 506, 'Duplicate status message')
    const post: FakeMetaPost = {
      id: `${page.id}_${this.#id()}`,
      pageId: page.id,
      message: caption,
      photoUrls: [params.url],
      createdTime: new Date(),
    }
    this.posts.push(post)
    return { status: 200, json: { id: photoId, post_id: post.id }, headers: this.#usage(page.id) }
  }

  #usage(id: string): Record<string, string> {
    return {
      'x-business-use-case-usage': JSON.stringify({
        [id]: [
          {
            type: 'pages',
            call_count: 1,
            total_cputime: 1,
            total_time: 1,
            estimated_time_to_regain_access: 0,
          },
        ],
      }),
    }
  }

  async #container(igUserId: string, params: Record<string, string>): Promise<Reply> {
    const id = this.#id()
    if (params.media_type === 'CAROUSEL') {
      const children = (params.children ?? '').split(',').filter(Boolean)
      if (children.length < 2 || children.length > 10)
        return bad('(#100) The carousel must have between 2 and 10 children.')
      for (const child of children) {
        const item = this.containers.get(child)
        if (!item || !item.isCarouselItem || item.igUserId !== igUserId)
          return bad(`(#100) Invalid children: ${child}`)
        if (item.statusCode !== 'FINISHED')
          return graphError(400, 9007, 'Media ID is not available', {
            error_subcode: 2207027,
            error_user_msg: 'The media is not ready for publishing, please wait for a moment',
          })
      }
      if ((params.caption ?? '').length > 2200)
        return bad('(#100) The caption is too long.', { error_subcode: 2207010 })
      this.containers.set(id, {
        id,
        igUserId,
        caption: params.caption,
        isCarouselItem: false,
        children,
        mediaType: 'CAROUSEL',
        statusCode: 'IN_PROGRESS',
        polls: 0,
        fetched: true,
      })
      return { status: 200, json: { id } }
    }
    if (params.media_type && params.media_type !== 'IMAGE')
      return bad(`(#100) Unsupported media_type ${params.media_type} in this fake`)
    if (!params.image_url) return bad('(#100) The parameter image_url is required')
    if ((params.caption ?? '').length > 2200)
      return bad('(#100) The caption is too long.', { error_subcode: 2207010 })
    const container: FakeMetaContainer = {
      id,
      igUserId,
      imageUrl: params.image_url,
      caption: params.caption,
      isCarouselItem: params.is_carousel_item === 'true',
      children: [],
      mediaType: 'IMAGE',
      statusCode: 'IN_PROGRESS',
      polls: 0,
      fetched: false,
    }
    const fetched = await this.#fetchImage(params.image_url)
    const size = fetched.size
    if (size) {
      const ratio = size.width / size.height
      if (ratio < FAKE_IG_ASPECT_RATIO.min || ratio > FAKE_IG_ASPECT_RATIO.max) {
        return graphError(400, 36003, 'The aspect ratio is not supported.', {
          error_subcode: 2207009,
          error_user_title: 'Cannot publish image',
          error_user_msg: `The submitted image with aspect ratio ('${size.width}/${size.height}') cannot be published. Please submit an image with a valid aspect ratio.`,
        })
      }
    }
    this.containers.set(id, container)
    if (fetched.outcome === 'ok') container.fetched = true
    else {
      container.statusCode = 'ERROR'
      container.status =
        fetched.outcome === 'unreachable'
          ? "Error: Media download has failed. The media URI doesn't meet our requirements. (2207052)"
          : 'Error: Only photo or video can be accepted as media type. (2207026)'
    }
    return { status: 200, json: { id } }
  }

  #publish(igUserId: string, params: Record<string, string>): Reply {
    const container = this.containers.get(params.creation_id ?? '')
    if (!container || container.igUserId !== igUserId || container.isCarouselItem) {
      return bad(`(#100) Invalid parameter creation_id`, { error_subcode: 2207027 })
    }
    if (container.statusCode === 'PUBLISHED')
      return bad('(#100) The media has already been published', { error_subcode: 2207027 })
    if (container.statusCode !== 'FINISHED') {
      return graphError(400, 9007, 'Media ID is not available', {
        error_subcode: 2207027,
        error_user_msg: 'The media is not ready for publishing, please wait for a moment',
      })
    }
    container.statusCode = 'PUBLISHED'
    const urls =
      container.mediaType === 'CAROUSEL'
        ? container.children.map((child) => this.containers.get(child)?.imageUrl ?? '')
        : [container.imageUrl ?? '']
    const media: FakeMetaIgMedia = {
      id: this.#id(),
      igUserId,
      caption: container.caption ?? '',
      containerId: container.id,
      mediaType: container.mediaType === 'CAROUSEL' ? 'CAROUSEL_ALBUM' : 'IMAGE',
      imageUrls: urls,
      timestamp: new Date(),
    }
    this.igMedia.push(media)
    return { status: 200, json: { id: media.id } }
  }

  #write(response: ServerResponse, reply: Reply): void {
    if (response.destroyed) return
    const headers: Record<string, string> = { ...reply.headers }
    if (reply.location) {
      headers.location = reply.location
      response.writeHead(reply.status, headers)
      return void response.end()
    }
    if (reply.body) {
      headers['content-type'] = reply.contentType ?? 'application/octet-stream'
      response.writeHead(reply.status, headers)
      return void response.end(reply.body)
    }
    headers['content-type'] = 'application/json; charset=UTF-8'
    response.writeHead(reply.status, headers)
    response.end(JSON.stringify(reply.json ?? {}))
  }
}
