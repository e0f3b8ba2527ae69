import {
  AuthExpired,
  type HttpResponse,
  isPluginError,
  Permanent,
  type PluginContext,
  type PluginError,
  RateLimited,
  Transient,
  Unknown,
  type AccountProfile,
  type CredentialsCheck,
  type OAuthSpec,
  type TokenSet,
  transportFailure,
} from '@herald/plugin-sdk'

/** What differs between the Meta plugins: the name in messages, the env prefix and extra error rules. */
export interface MetaNetwork {
  /** The network named in messages, e.g. `Facebook`. */
  network: string
  /** Prefix of the plugin's settings env variables, e.g. `FACEBOOK` (for FACEBOOK_APP_ID). */
  envPrefix: string
  /** Network-specific error rules tried right after the app-credentials check. */
  earlyRules?: GraphRule
  /** Network-specific error rules tried just before the generic invalid-parameter rule (code 100). */
  lateRules?: GraphRule
}

/** What a network-specific error rule sees. */
export interface GraphRuleContext {
  status: number
  step: Step
  now: Date
  network: string
  /** `: <Meta's words>` or empty. */
  because: string
  /** Meta's words without the `(#100)` prefix. */
  words: string
  creating: boolean
}

/** A network-specific mapping of a Graph failure; undefined lets the shared rules decide. */
export type GraphRule = (
  problem: GraphProblem,
  context: GraphRuleContext
) => PluginError | undefined

// ---- settings ----

/** The settings both Meta plugins share, as the host resolves them from the manifest. */
export type MetaSettings = {
  /** Meta app id. */
  appId: string
  /** Meta app secret; secret. */
  appSecret: string
  /** Graph API version, e.g. `v25.0`. */
  graphVersion: string
  /** Graph base URL, default `https://graph.facebook.com` (the version is appended). */
  graphBaseUrl: string
  /** Login dialog base URL, default `https://www.facebook.com`. */
  dialogBaseUrl: string
}

/** Public defaults, the manifests'. */
export const META_DEFAULTS = {
  graphVersion: 'v25.0',
  graphBaseUrl: 'https://graph.facebook.com',
  dialogBaseUrl: 'https://www.facebook.com',
} as const

/** Settings checked and normalised for one call. */
export interface MetaResolvedSettings {
  appId: string
  appSecret: string
  graphVersion: string
  /** `<graphBaseUrl>/<graphVersion>`, without a trailing slash. */
  graphUrl: string
}

function baseUrl(value: unknown, fallback: string, env: string, network: string): string {
  const raw = typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback
  const url = raw.replace(/\/+$/, '')
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new Permanent(`The ${network} plugin setting ${env} is not a valid http(s) URL.`, {
      code: 'invalid_setting',
    })
  }
  return url
}

/** Checks the shared settings before any request; wrong values are the operator's to fix. */
export function resolveMetaSettings(
  settings: Readonly<MetaSettings>,
  meta: MetaNetwork
): MetaResolvedSettings {
  const { network, envPrefix } = meta
  const appId = typeof settings.appId === 'string' ? settings.appId.trim() : ''
  const appSecret = typeof settings.appSecret === 'string' ? settings.appSecret.trim() : ''
  if (appId === '' || appSecret === '') {
    throw new Permanent(
      `The ${network} plugin has no app ID or secret. Set ${envPrefix}_APP_ID and ${envPrefix}_APP_SECRET, or enter them in the ${network} plugin settings.`,
      { code: 'missing_client_credentials' }
    )
  }
  const version =
    typeof settings.graphVersion === 'string' && settings.graphVersion.trim() !== ''
      ? settings.graphVersion.trim()
      : META_DEFAULTS.graphVersion
  if (!/^v\d+\.\d+$/.test(version)) {
    throw new Permanent(
      `The Graph API version setting (${envPrefix}_GRAPH_VERSION) must look like v25.0, not "${version}".`,
      { code: 'invalid_setting' }
    )
  }
  const graph = baseUrl(
    settings.graphBaseUrl,
    META_DEFAULTS.graphBaseUrl,
    `${envPrefix}_GRAPH_BASE_URL`,
    network
  )
  return { appId, appSecret, graphVersion: version, graphUrl: `${graph}/${version}` }
}

// ---- Graph client and error mapping ----

/** Time allowed per request in production; the host applies its own default and ceiling on top. */
export const TIMEOUTS = { create: 60_000, read: 20_000 } as const

/** Wait after a throttling error when Meta gives no `estimated_time_to_regain_access`. */
export const DEFAULT_THROTTLE_MS = 10 * 60_000

/**
 * What a call does. Only `create` (the request that makes the post visible) can leave a post behind, so
 * only its lost answers are Unknown.
 */
export type Step = 'create' | 'upload' | 'read' | 'token'

/** Graph error codes that mean throttling (platform-apis.md §4.6-4.7). */
export const THROTTLE_CODES = new Set([
  4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80014,
])

/** A Graph error body `{error: {message, type, code, error_subcode, error_user_msg, is_transient}}`. */
export interface GraphProblem {
  code?: number
  subcode?: number
  type?: string
  message?: string
  userMessage?: string
  isTransient?: boolean
}

const MAX_EXCERPT = 300

/** Parses a Graph error body; HTML and empty bodies give an empty problem. */
export function parseGraphProblem(body: string): GraphProblem {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    const trimmed = body.trim()
    return trimmed === '' || trimmed.startsWith('<')
      ? {}
      : { message: trimmed.slice(0, MAX_EXCERPT) }
  }
  const error = (parsed as { error?: unknown } | null)?.error
  if (typeof error !== 'object' || error === null) return {}
  const record = error as Record<string, unknown>
  const problem: GraphProblem = {}
  if (typeof record.code === 'number') problem.code = record.code
  if (typeof record.error_subcode === 'number') problem.subcode = record.error_subcode
  if (typeof record.type === 'string') problem.type = record.type
  if (typeof record.message === 'string') problem.message = record.message.slice(0, MAX_EXCERPT)
  if (typeof record.error_user_msg === 'string') problem.userMessage = record.error_user_msg
  if (typeof record.is_transient === 'boolean') problem.isTransient = record.is_transient
  return problem
}

function usageMinutes(header: string | null): number | undefined {
  if (!header) return undefined
  try {
    const parsed = JSON.parse(header) as unknown
    const entries: unknown[] = []
    if (Array.isArray(parsed)) entries.push(...parsed)
    else if (typeof parsed === 'object' && parsed !== null) {
      const record = parsed as Record<string, unknown>
      if ('estimated_time_to_regain_access' in record) entries.push(record)
      for (const value of Object.values(record)) if (Array.isArray(value)) entries.push(...value)
    }
    const minutes = entries
      .map((entry) => Number((entry as Record<string, unknown>)?.estimated_time_to_regain_access))
      .filter((value) => Number.isFinite(value) && value > 0)
    return minutes.length === 0 ? undefined : Math.max(...minutes)
  } catch {
    return undefined
  }
}

/**
 * When a throttle lifts: the largest `estimated_time_to_regain_access` (minutes) of the
 * `X-Business-Use-Case-Usage`, `X-Page-Usage` and `X-Ad-Account-Usage` headers; without one, 10 minutes.
 */
export function throttleReset(headers: Headers, now: Date): Date {
  const minutes = [
    usageMinutes(headers.get('x-business-use-case-usage')),
    usageMinutes(headers.get('x-page-usage')),
    usageMinutes(headers.get('x-ad-account-usage')),
  ].filter((value): value is number => value !== undefined)
  const ms = minutes.length > 0 ? Math.max(...minutes) * 60_000 : DEFAULT_THROTTLE_MS
  return new Date(now.getTime() + ms)
}

/** A Permanent error carrying Meta's words as `platformMessage`. */
export function permanent(message: string, problem: GraphProblem, code: string): Permanent {
  const words = problem.userMessage ?? problem.message
  return new Permanent(message, {
    code,
    ...(words === undefined ? {} : { platformMessage: words }),
  })
}

/** Meta's words without the `(#100)` prefix. */
function plain(problem: GraphProblem): string {
  return (problem.userMessage ?? problem.message ?? '').replace(/^\(#\d+\)\s*/, '').trim()
}

/**
 * Maps a failed Graph answer to the SDK taxonomy; switches on `error.code`, not the HTTP status (Meta uses
 * 400 for most errors, throttling included).
 */
export function mapGraphFailure(
  status: number,
  headers: Headers,
  problem: GraphProblem,
  context: { step: Step; now: Date; meta: MetaNetwork; network?: string }
): PluginError {
  const { meta } = context
  const network = context.network ?? meta.network
  const { code, subcode } = problem
  const words = plain(problem)
  const because = words ? `: ${words}` : ''
  const creating = context.step === 'create'
  const rule: GraphRuleContext = {
    status,
    step: context.step,
    now: context.now,
    network,
    because,
    words,
    creating,
  }
  if (
    context.step === 'token' &&
    (code === 101 || /client secret|application id/i.test(problem.message ?? ''))
  ) {
    return permanent(
      `${network} rejected Herald's app credentials. Check the plugin settings (${meta.envPrefix}_APP_ID, ${meta.envPrefix}_APP_SECRET).`,
      problem,
      'invalid_client'
    )
  }
  const early = meta.earlyRules?.(problem, rule)
  if (early) return early
  if (code === 190 || code === 102 || (status === 401 && code === undefined)) {
    const why =
      subcode === 463
        ? 'has expired'
        : subcode === 460
          ? 'was invalidated (password change or a security check)'
          : subcode === 458
            ? 'was revoked: the app was removed from the account'
            : 'is not valid'
    return new AuthExpired(`The ${network} access token ${why}; reconnect the account.`)
  }
  if ((code !== undefined && THROTTLE_CODES.has(code)) || status === 429) {
    const resetAt = throttleReset(headers, context.now)
    return new RateLimited(
      resetAt,
      `${network} throttled the request (code ${code ?? status})${because}; retry after ${resetAt.toISOString()}`
    )
  }
  if (code === 506 || /duplicate status message/i.test(problem.message ?? '')) {
    return permanent(
      `${network} refused the post: duplicate of a recent post.`,
      problem,
      'duplicate'
    )
  }
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return permanent(
      `${network} refused ${creating ? 'the post' : 'the request'}: Herald lacks a permission${because}. Reconnect the account and grant every permission asked.`,
      problem,
      'permission_denied'
    )
  }
  if (code === 368) {
    return permanent(
      `${network} temporarily blocked posting from this account for a policy reason${because}.`,
      problem,
      'blocked'
    )
  }
  if (code === 2635) {
    return permanent(
      `${network} no longer accepts this Graph API version; set ${meta.envPrefix}_GRAPH_VERSION to a current one (e.g. v25.0).`,
      problem,
      'inactive_version'
    )
  }
  if (code === 1 || code === 2 || problem.isTransient === true || status >= 500 || status === 408) {
    if (creating) {
      return new Unknown(
        `${network} answered an error to the post creation (HTTP ${status}, code ${code ?? '-'})${because}; the post may exist, check before publishing again.`
      )
    }
    return new Transient(
      `${network} is unavailable (HTTP ${status}, code ${code ?? '-'})${because}; nothing was posted, try again.`
    )
  }
  const late = meta.lateRules?.(problem, rule)
  if (late) return late
  if (code === 100) {
    return permanent(
      `${network} rejected ${creating ? 'the post' : 'the request'} as invalid${because || '.'}`,
      problem,
      'invalid_parameter'
    )
  }
  return permanent(
    `${network} refused ${creating ? 'the post' : 'the request'} (HTTP ${status}${code === undefined ? '' : `, code ${code}`})${because}.`,
    problem,
    String(code ?? status)
  )
}

/**
 * Maps a rejection of `ctx.http`: once the creating request had left, a timeout, a dropped connection or a
 * cancellation is Unknown; otherwise a transport failure is Transient and a cancellation rethrows the reason.
 */
export function mapTransportError(
  error: unknown,
  signal: AbortSignal,
  options: { creating: boolean; network: string }
): unknown {
  const network = options.network
  if (isPluginError(error)) return error
  const failure = transportFailure(error)
  if (signal.aborted) {
    if (options.creating && failure?.phase !== 'connect') {
      return new Unknown(
        `Publishing was cancelled while ${network} was creating the post; it may exist, check before publishing again.`,
        { cause: signal.reason }
      )
    }
    return signal.reason
  }
  if (!failure) return error
  const what = failure.kind === 'timeout' ? 'did not answer in time' : 'connection failed'
  if (options.creating && failure.phase !== 'connect') {
    return new Unknown(
      `${network} ${what} after the post was sent; the post may exist, check before publishing again.`,
      { cause: error }
    )
  }
  return new Transient(`${network} ${what}; nothing was posted, try again.`, { cause: error })
}

/** One Graph call. */
export interface GraphCall {
  method: 'GET' | 'POST' | 'DELETE'
  /** Path under `<graphBaseUrl>/<version>`, e.g. `/me/accounts`. */
  path: string
  /** Query parameters (GET) or form fields (POST). */
  params?: Record<string, string>
  /** Sent as `Authorization: Bearer` (never in the URL, so it never reaches a log). */
  accessToken?: string
  step: Step
  timeoutMs: number
}

/**
 * Sends one Graph request and resolves with the parsed 2xx body. Failures reject with SDK errors mapped
 * for the call's step.
 */
export async function graphRequest<T>(
  ctx: PluginContext<MetaSettings>,
  call: GraphCall,
  meta: MetaNetwork
): Promise<{ data: T; headers: Headers }> {
  const network = meta.network
  const settings = resolveMetaSettings(ctx.settings, meta)
  const creating = call.step === 'create'
  const url = new URL(`${settings.graphUrl}${call.path}`)
  const headers: Record<string, string> = { accept: 'application/json' }
  if (call.accessToken) headers.authorization = `Bearer ${call.accessToken}`
  let body: URLSearchParams | undefined
  if (call.method === 'GET') {
    for (const [name, value] of Object.entries(call.params ?? {})) url.searchParams.set(name, value)
  } else if (call.params) {
    body = new URLSearchParams(call.params)
  }
  const started = performance.now()
  let response: HttpResponse
  let text: string
  try {
    response = await ctx.http.request({
      method: call.method,
      url,
      headers,
      ...(body ? { body } : {}),
      timeoutMs: call.timeoutMs,
    })
    text = await response.text()
  } catch (error) {
    throw mapTransportError(error, ctx.signal, { creating, network })
  }
  const log = {
    method: call.method,
    path: call.path,
    status: response.status,
    ms: Math.round(performance.now() - started),
  }
  if (response.status >= 200 && response.status < 300) {
    ctx.logger.debug(log, 'graph response')
    try {
      return { data: JSON.parse(text) as T, headers: response.headers }
    } catch {
      if (creating)
        throw new Unknown(
          `${network} answered the post creation with a body that is not JSON; the post may exist.`
        )
      throw new Transient(`${network} sent an answer that is not JSON; try again.`)
    }
  }
  const problem = parseGraphProblem(text)
  const error = mapGraphFailure(response.status, response.headers, problem, {
    step: call.step,
    now: ctx.clock.now(),
    meta,
  })
  ctx.logger.info(
    { ...log, code: problem.code, subcode: problem.subcode, error: error.kind },
    'graph call failed'
  )
  throw error
}

// ---- accounts (Facebook Login, Pages, token exchange) ----

/**
 * Facebook Login as data: the host builds Ally's `facebook` driver from it. Scopes are comma-separated,
 * the app secret goes in the token request, no PKCE; URLs carry the Graph version setting.
 * `publishScopes` (SDK 1.4): the permissions posting cannot work without.
 */
export function metaOAuth(scopes: string[], publishScopes?: string[]): OAuthSpec {
  return {
    allyDriver: 'facebook',
    authorizeUrl: '{dialogBaseUrl}/{graphVersion}/dialog/oauth',
    tokenUrl: '{graphBaseUrl}/{graphVersion}/oauth/access_token',
    scopes,
    ...(publishScopes ? { publishScopes } : {}),
    pkce: false,
    clientAuth: 'body',
    scopeSeparator: ',',
    clientIdSetting: 'appId',
    clientSecretSetting: 'appSecret',
  }
}

/** The access token of a token set; AuthExpired (reconnect) without one. */
export function accessToken(tokens: TokenSet | undefined, meta: MetaNetwork): string {
  if (!tokens?.accessToken)
    throw new AuthExpired(`The ${meta.network} account has no access token; reconnect it.`)
  return tokens.accessToken
}

interface Me {
  id?: string
  name?: string
  picture?: { data?: { url?: string } }
}

/** Who the Facebook user token belongs to: `GET /me?fields=id,name,picture`. */
export async function fetchMetaProfile(
  ctx: PluginContext<MetaSettings>,
  tokens: TokenSet,
  meta: MetaNetwork
): Promise<AccountProfile> {
  ctx.signal.throwIfAborted()
  const { data } = await graphRequest<Me>(
    ctx,
    {
      method: 'GET',
      path: '/me',
      params: { fields: 'id,name,picture' },
      accessToken: accessToken(tokens, meta),
      step: 'read',
      timeoutMs: TIMEOUTS.read,
    },
    meta
  )
  if (!data?.id) throw new Transient('Facebook answered /me without an id; try again.')
  const profile: AccountProfile = {
    externalId: data.id,
    handle: data.id,
    displayName: data.name?.trim() || data.id,
  }
  const avatar = data.picture?.data?.url
  if (avatar) profile.avatarUrl = avatar
  return profile
}

/** A Page as `/me/accounts` lists it (the fields asked for). */
export interface PageEntry {
  id?: string
  name?: string
  access_token?: string
  picture?: { data?: { url?: string } }
  instagram_business_account?: { id?: string }
  tasks?: string[]
}

/** Every Page the user manages, following the `after` cursor (at most 10 pages of 100). */
export async function listPages(
  ctx: PluginContext<MetaSettings>,
  tokens: TokenSet,
  meta: MetaNetwork,
  fields: string
): Promise<PageEntry[]> {
  const pages: PageEntry[] = []
  let after: string | undefined
  for (let round = 0; round < 10; round++) {
    const params: Record<string, string> = { fields, limit: '100' }
    if (after) params.after = after
    const { data } = await graphRequest<{
      data?: PageEntry[]
      paging?: { cursors?: { after?: string }; next?: string }
    }>(
      ctx,
      {
        method: 'GET',
        path: '/me/accounts',
        params,
        accessToken: accessToken(tokens, meta),
        step: 'read',
        timeoutMs: TIMEOUTS.read,
      },
      meta
    )
    pages.push(...(data?.data ?? []))
    after = data?.paging?.next ? data.paging.cursors?.after : undefined
    if (!after) break
  }
  return pages
}

/**
 * Meta has no refresh token: a still-valid user token is exchanged for a long-lived one (~60 days) with
 * `grant_type=fb_exchange_token`. An expired or revoked token cannot be exchanged (AuthExpired: reconnect).
 */
export async function exchangeToken(
  ctx: PluginContext<MetaSettings>,
  tokens: TokenSet,
  meta: MetaNetwork
): Promise<TokenSet> {
  ctx.signal.throwIfAborted()
  const current = accessToken(tokens, meta)
  const settings = resolveMetaSettings(ctx.settings, meta)
  const { data } = await graphRequest<{ access_token?: string; expires_in?: number }>(
    ctx,
    {
      method: 'GET',
      path: '/oauth/access_token',
      params: {
        grant_type: 'fb_exchange_token',
        client_id: settings.appId,
        client_secret: settings.appSecret,
        fb_exchange_token: current,
      },
      step: 'token',
      timeoutMs: TIMEOUTS.read,
    },
    meta
  )
  if (!data?.access_token)
    throw new Transient('Facebook answered the token exchange without an access token; try again.')
  const next: TokenSet = { accessToken: data.access_token }
  if (typeof data.expires_in === 'number' && data.expires_in > 0) {
    next.expiresAt = new Date(ctx.clock.now().getTime() + data.expires_in * 1000)
  }
  if (tokens.refreshToken) next.refreshToken = tokens.refreshToken
  if (tokens.scopes) next.scopes = tokens.scopes
  return next
}

/** A user token lasting less than this is short-lived: exchange it before reading Page tokens. */
export const SHORT_LIVED_MS = 7 * 86_400_000

/**
 * The user token to read Page tokens with. Page tokens read with a short-lived user token expire with it
 * (about an hour); read with a long-lived one they never expire. So a token known to expire within 7 days
 * is exchanged first (`fb_exchange_token`). Without `expiresAt` the token is used as is.
 */
export async function longLivedUserToken(
  ctx: PluginContext<MetaSettings>,
  tokens: TokenSet,
  meta: MetaNetwork
): Promise<TokenSet> {
  const expiresAt = tokens.expiresAt
  if (
    !(expiresAt instanceof Date) ||
    expiresAt.getTime() - ctx.clock.now().getTime() > SHORT_LIVED_MS
  ) {
    return tokens
  }
  return exchangeToken(ctx, tokens, meta)
}

/**
 * The permissions the person granted in the login dialog: `GET /me/permissions` (user tokens). Meta's
 * token answer carries no `scope`, so this is how a declined permission shows up.
 */
export async function grantedPermissions(
  ctx: PluginContext<MetaSettings>,
  tokens: TokenSet,
  meta: MetaNetwork
): Promise<string[]> {
  ctx.signal.throwIfAborted()
  const { data } = await graphRequest<{ data?: { permission?: string; status?: string }[] }>(
    ctx,
    {
      method: 'GET',
      path: '/me/permissions',
      accessToken: accessToken(tokens, meta),
      step: 'read',
      timeoutMs: TIMEOUTS.read,
    },
    meta
  )
  return (data?.data ?? [])
    .filter((entry) => entry.status === 'granted' && typeof entry.permission === 'string')
    .map((entry) => entry.permission!)
}

/**
 * Checks the app id and secret without a person: an app access token through
 * `grant_type=client_credentials` (Meta answers code 101 or "Error validating client secret" otherwise).
 */
export async function checkMetaCredentials(
  ctx: PluginContext<MetaSettings>,
  meta: MetaNetwork
): Promise<CredentialsCheck> {
  const { network, envPrefix } = meta
  let settings: MetaResolvedSettings
  try {
    settings = resolveMetaSettings(ctx.settings, meta)
  } catch (error) {
    if (isPluginError(error)) return { status: 'invalid', message: error.message }
    throw error
  }
  try {
    const { data } = await graphRequest<{ access_token?: string }>(
      ctx,
      {
        method: 'GET',
        path: '/oauth/access_token',
        params: {
          client_id: settings.appId,
          client_secret: settings.appSecret,
          grant_type: 'client_credentials',
        },
        step: 'token',
        timeoutMs: TIMEOUTS.read,
      },
      meta
    )
    if (data?.access_token) {
      return {
        status: 'valid',
        message: `${network} accepted the app ID and secret (Graph API ${settings.graphVersion}).`,
      }
    }
    return {
      status: 'unverifiable',
      message: `${network} answered without an app token; try again later.`,
    }
  } catch (error) {
    if (isPluginError(error) && error.kind === 'Permanent') {
      const code = (error as Permanent).code
      if (code === 'invalid_client') {
        return {
          status: 'invalid',
          message: `${network} refused the app ID or secret. Copy them again from the Meta app's App settings > Basic into ${envPrefix}_APP_ID and ${envPrefix}_APP_SECRET (or Admin > Plugins).`,
        }
      }
      return { status: 'invalid', message: error.message }
    }
    if (isPluginError(error)) {
      return {
        status: 'unverifiable',
        message: `${network} could not be asked right now (${error.message}).`,
      }
    }
    throw error
  }
}
