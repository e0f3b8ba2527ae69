import type { HttpContext } from '@adonisjs/core/http'
import { ApiRequest, Oauth2Driver } from '@adonisjs/ally'
import type { Oauth2AccessToken, RedirectRequestContract } from '@adonisjs/ally/types'
import { TwitterXDriver } from '@adonisjs/ally/drivers/twitter_x'
import { LinkedInOpenidConnectDriver } from '@adonisjs/ally/drivers/linked_in_openid_connect'
import { FacebookDriver } from '@adonisjs/ally/drivers/facebook'
import {
  resolveOAuthSpec,
  type HttpClient,
  type OAuthSpec,
  type PluginSettings,
  type TokenSet,
} from '@herald/plugin-sdk'

/** The token endpoint answered an error (an OAuth `{error, error_description}` or a Graph error) */
export class OAuthEndpointError extends Error {
  constructor(
    readonly status: number,
    readonly error: string | undefined,
    readonly description: string | undefined
  ) {
    super(
      `The token endpoint answered HTTP ${status}${error ? ` ${error}` : ''}${description ? `: ${description}` : ''}`
    )
    this.name = 'OAuthEndpointError'
  }
}

/** What a driver needs besides the HTTP context: one publisher's OAuth, resolved for this request */
export interface OAuthDriverOptions {
  pluginId: string
  spec: OAuthSpec
  /** The plugin's settings, resolved now (admins change them at runtime) */
  settings: Readonly<PluginSettings>
  /** This instance's fixed callback URL for the plugin (registered in the platform's app) */
  callbackUrl: string
  /** The plugin's safe HTTP client: the token request obeys its host allowlist and deadline */
  http: HttpClient
}

/** An Ally driver with Herald's transport, whatever driver class it is built on */
export type HostedOAuthDriver = Oauth2Driver<Oauth2AccessToken, string>

const TOKEN_TIMEOUT_MS = 20_000

/**
 * Ally's request object, sent through the plugin's safe HTTP client instead of
 * Ally's own `ky`: the token exchange then reaches only the plugin's allowed
 * hosts, within a deadline, and its errors come back as OAuthEndpointError.
 */
class HostedApiRequest extends ApiRequest {
  constructor(
    private url: string,
    private transport: HttpClient
  ) {
    super(url)
  }

  post() {
    return this.#send('POST')
  }

  get() {
    return this.#send('GET')
  }

  async #send(method: 'GET' | 'POST') {
    const url = new URL(this.url)
    for (const [name, value] of Object.entries(this.getParams())) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value))
    }
    const fields = Object.fromEntries(
      Object.entries(this.getFields())
        .filter(([, value]) => value !== undefined && value !== null)
        .map(([name, value]) => [name, String(value)])
    )
    const hasBody = Object.keys(fields).length > 0
    const response = await this.transport.request({
      method,
      url,
      headers: { accept: 'application/json', ...this.getHeaders() },
      ...(hasBody
        ? { body: this.getRequestType() === 'json' ? fields : new URLSearchParams(fields) }
        : {}),
      timeoutMs: TOKEN_TIMEOUT_MS,
    })
    const text = await response.text()
    if (response.status < 200 || response.status >= 300) {
      const problem = parseProblem(text)
      throw new OAuthEndpointError(response.status, problem.error, problem.description)
    }
    if (this.getResponseType() !== 'json') return text
    try {
      return JSON.parse(text)
    } catch {
      throw new OAuthEndpointError(response.status, 'invalid_response', 'the answer is not JSON')
    }
  }
}

/** `{error, error_description}` (OAuth) or `{error: {message, code}}` (Graph); never the whole body */
function parseProblem(text: string): { error?: string; description?: string } {
  try {
    const body = JSON.parse(text) as Record<string, unknown>
    if (typeof body.error === 'string') {
      const description =
        typeof body.error_description === 'string' ? body.error_description : undefined
      return { error: body.error, description: description?.slice(0, 300) }
    }
    if (body.error && typeof body.error === 'object') {
      const graph = body.error as Record<string, unknown>
      return {
        error: typeof graph.code === 'number' ? `graph_${graph.code}` : 'graph_error',
        description: typeof graph.message === 'string' ? graph.message.slice(0, 300) : undefined,
      }
    }
  } catch {}
  return {}
}

/** Any of the driver classes, typed as a concrete one (they share Oauth2Driver's fields) */
type DriverClass = new (...args: any[]) => TwitterXDriver

/**
 * Herald's layer over an Ally driver class: the safe transport, cookie names
 * per plugin (two plugins on one driver class, like Facebook and Instagram,
 * never share a flow's state), the spec's scope separator.
 */
function hosted<T extends DriverClass>(Base: T) {
  return class extends Base {
    #transport!: HttpClient

    constructor(...args: any[]) {
      const [ctx, config, options] = args as [HttpContext, unknown, OAuthDriverOptions]
      // The spec goes third: the generic driver reads it, Ally's drivers ignore it.
      super(ctx, config, options.spec)
      this.#transport = options.http
      const prefix = `herald_oauth_${options.pluginId.replace(/[^a-z0-9]/gi, '_')}`
      this.stateCookieName = `${prefix}_state`
      if (this.codeVerifierCookieName) this.codeVerifierCookieName = `${prefix}_verifier`
      if (options.spec.scopeSeparator) this.scopesSeparator = options.spec.scopeSeparator
      this.loadState()
    }

    protected httpClient(url: string) {
      return new HostedApiRequest(url, this.#transport)
    }
  }
}

const HostedTwitterX = hosted(TwitterXDriver)
const HostedLinkedIn = hosted(LinkedInOpenidConnectDriver as unknown as DriverClass)
const HostedFacebook = hosted(FacebookDriver as unknown as DriverClass)

/**
 * A plain OAuth 2.0 authorization-code driver built from a plugin's spec, for
 * publishers without a built-in Ally driver (PKCE and Basic client auth when
 * the spec asks). It exchanges the code; who the tokens belong to is the
 * plugin's `fetchProfile`, so `user()` is not offered.
 */
class SpecOAuth2Driver extends Oauth2Driver<Oauth2AccessToken, string> {
  protected authorizeUrl = ''
  protected accessTokenUrl = ''
  protected codeParamName = 'code'
  protected errorParamName = 'error'
  protected stateCookieName = 'herald_oauth_state'
  protected stateParamName = 'state'
  protected scopeParamName = 'scope'
  protected scopesSeparator = ' '

  constructor(
    ctx: HttpContext,
    config: { clientId: string; clientSecret: string; callbackUrl: string },
    private spec: OAuthSpec
  ) {
    super(ctx, config)
    if (spec.pkce) this.codeVerifierCookieName = 'herald_oauth_verifier'
    this.loadState()
  }

  protected configureRedirectRequest(request: RedirectRequestContract<string>) {
    request.scopes(this.spec.scopes)
    request.param('response_type', 'code')
  }

  protected configureAccessTokenRequest(request: ApiRequest) {
    if (this.spec.clientAuth === 'basic') {
      const pair = `${this.config.clientId}:${this.config.clientSecret}`
      request.header('Authorization', `Basic ${Buffer.from(pair).toString('base64')}`)
      request.clearField('client_secret')
    }
  }

  accessDenied() {
    return this.getError() === 'access_denied'
  }

  async user(): Promise<never> {
    throw new Error('Herald reads profiles through the publisher plugin (fetchProfile)')
  }

  async userFromToken(): Promise<never> {
    throw new Error('Herald reads profiles through the publisher plugin (fetchProfile)')
  }
}

const HostedSpecDriver = hosted(SpecOAuth2Driver as unknown as DriverClass)

/** The client id and secret a spec names, from the resolved settings */
export function clientCredentials(spec: OAuthSpec, settings: Readonly<PluginSettings>) {
  const id = settings[spec.clientIdSetting ?? 'clientId']
  const secret = settings[spec.clientSecretSetting ?? 'clientSecret']
  return {
    clientId: typeof id === 'string' ? id.trim() : String(id ?? ''),
    clientSecret: typeof secret === 'string' ? secret.trim() : String(secret ?? ''),
  }
}

/**
 * The Ally driver of one publisher for this request, built from its OAuth
 * spec and current settings: Ally's `twitterX`, `linkedinOpenidConnect` or
 * `facebook` with the URLs from settings, or a generic OAuth 2.0 driver.
 * Constructing it reads (and clears) the flow's state cookies.
 */
export function createOAuthDriver(ctx: HttpContext, options: OAuthDriverOptions) {
  const spec = resolveOAuthSpec(options.spec, options.settings)
  const config = {
    ...clientCredentials(spec, options.settings),
    callbackUrl: options.callbackUrl,
    authorizeUrl: spec.authorizeUrl,
    accessTokenUrl: spec.tokenUrl,
    scopes: spec.scopes,
  }
  const resolved = { ...options, spec }
  const Driver: DriverClass =
    spec.allyDriver === 'twitterX'
      ? HostedTwitterX
      : spec.allyDriver === 'linkedinOpenidConnect'
        ? HostedLinkedIn
        : spec.allyDriver === 'facebook'
          ? HostedFacebook
          : HostedSpecDriver
  return new Driver(ctx, config, resolved) as unknown as HostedOAuthDriver
}

/** Extra authorize parameters of a spec, applied on the redirect */
export function applyExtraParams(spec: OAuthSpec) {
  return (request: RedirectRequestContract<string>) => {
    for (const [name, value] of Object.entries(spec.extraParams ?? {})) request.param(name, value)
  }
}

/** An Ally token answer as the SDK's TokenSet; scopes split on spaces or commas (LinkedIn) */
export function toTokenSet(token: Oauth2AccessToken): TokenSet {
  const tokens: TokenSet = { accessToken: token.token }
  if (token.refreshToken) tokens.refreshToken = token.refreshToken
  if (token.expiresAt instanceof Date) tokens.expiresAt = token.expiresAt
  const scope = (token as { scope?: unknown }).scope
  if (typeof scope === 'string') {
    const scopes = scope.split(/[\s,]+/).filter(Boolean)
    if (scopes.length > 0) tokens.scopes = scopes
  }
  return tokens
}
