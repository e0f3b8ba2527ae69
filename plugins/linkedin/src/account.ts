import {
  type AccountProfile,
  AuthExpired,
  type CredentialsCheck,
  isPluginError,
  type OAuthSpec,
  type PluginContext,
  type TokenSet,
  Transient,
} from '@herald/plugin-sdk'
import { linkedInRequest, TIMEOUTS } from './client.js'
import { type LinkedInSettings, resolveSettings } from './settings.js'

/** Scopes Herald asks for: OpenID Connect sign-in (who the member is) and posting as the member. */
export const SCOPES = ['openid', 'profile', 'email', 'w_member_social']

/**
 * OAuth 2.0 authorization code (3-legged) as data: the host builds Ally's `linkedinOpenidConnect` driver
 * from it. LinkedIn's web flow takes the client credentials in the token request's body and no PKCE.
 */
export const oauth: OAuthSpec = {
  allyDriver: 'linkedinOpenidConnect',
  authorizeUrl: '{oauthBaseUrl}/authorization',
  tokenUrl: '{oauthBaseUrl}/accessToken',
  scopes: SCOPES,
  publishScopes: ['w_member_social'],
  pkce: false,
  clientAuth: 'body',
  scopeSeparator: ' ',
  clientIdSetting: 'clientId',
  clientSecretSetting: 'clientSecret',
}

interface UserInfo {
  sub?: string
  name?: string
  given_name?: string
  family_name?: string
  picture?: string
  email?: string
}

/**
 * Who the tokens belong to: GET /v2/userinfo (OpenID Connect). The account's `externalId` is the member's
 * URN `urn:li:person:<sub>`, the author of its posts; the handle is the email when granted, else the `sub`
 * (LinkedIn gives no public handle to these scopes).
 */
export async function fetchProfile(
  ctx: PluginContext<LinkedInSettings>,
  tokens: TokenSet
): Promise<AccountProfile> {
  ctx.signal.throwIfAborted()
  if (!tokens?.accessToken) {
    throw new AuthExpired('The LinkedIn account has no access token; reconnect it.')
  }
  const answer = await linkedInRequest<UserInfo>(ctx, {
    method: 'GET',
    base: 'api',
    path: '/v2/userinfo',
    accessToken: tokens.accessToken,
    step: 'profile',
    timeoutMs: TIMEOUTS.read,
  })
  const user = answer.data
  if (!user?.sub)
    throw new Transient('LinkedIn answered /v2/userinfo without the member id; try again.')
  const name =
    user.name?.trim() ||
    [user.given_name, user.family_name].filter(Boolean).join(' ').trim() ||
    user.sub
  const profile: AccountProfile = {
    externalId: `urn:li:person:${user.sub}`,
    handle: user.email?.trim() || user.sub,
    displayName: name,
  }
  if (user.picture) profile.avatarUrl = user.picture
  return profile
}

interface TokenAnswer {
  access_token?: string
  expires_in?: number
  refresh_token?: string
  refresh_token_expires_in?: number
  scope?: string
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/**
 * New tokens from the refresh token, for apps LinkedIn approved for programmatic refresh tokens (partners):
 * POST {oauth}/accessToken with `grant_type=refresh_token` and the client credentials. Self-serve apps get
 * no refresh token: then this asks for a reconnect before the 60-day token expires, without any request.
 * An answer without `refresh_token` keeps the old one (never an empty refresh token).
 */
export async function refresh(
  ctx: PluginContext<LinkedInSettings>,
  tokens: TokenSet
): Promise<TokenSet> {
  ctx.signal.throwIfAborted()
  const refreshToken = tokens?.refreshToken
  if (!refreshToken) {
    const expiry = tokens?.expiresAt
    const when =
      expiry instanceof Date && !Number.isNaN(expiry.getTime())
        ? expiry.getTime() > ctx.clock.now().getTime()
          ? ` before its access token expires on ${day(expiry)}`
          : ` (its access token expired on ${day(expiry)})`
        : ' before its 60-day access token expires'
    throw new AuthExpired(
      `LinkedIn gives this app no refresh token (only approved partners get one): reconnect the LinkedIn account${when}.`
    )
  }
  const settings = resolveSettings(ctx.settings)
  const answer = await linkedInRequest<TokenAnswer>(ctx, {
    method: 'POST',
    base: 'oauth',
    path: '/accessToken',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
    }),
    step: 'token',
    timeoutMs: TIMEOUTS.read,
  })
  const body = answer.data
  if (!body?.access_token) {
    throw new Transient('LinkedIn answered the token refresh without an access token; try again.')
  }
  const next: TokenSet = {
    accessToken: body.access_token,
    refreshToken: body.refresh_token || refreshToken,
  }
  if (typeof body.expires_in === 'number' && body.expires_in > 0) {
    next.expiresAt = new Date(ctx.clock.now().getTime() + body.expires_in * 1000)
  }
  const scopes = body.scope?.split(/[\s,]+/).filter(Boolean)
  if (scopes && scopes.length > 0) next.scopes = scopes
  else if (tokens.scopes) next.scopes = tokens.scopes
  return next
}

/**
 * Revokes the access token when the account is disconnected: POST {oauth}/revoke with the client
 * credentials and the token. A token LinkedIn no longer knows (400) counts as revoked.
 */
export async function revoke(
  ctx: PluginContext<LinkedInSettings>,
  tokens: TokenSet
): Promise<void> {
  ctx.signal.throwIfAborted()
  if (!tokens?.accessToken) return
  const settings = resolveSettings(ctx.settings)
  try {
    await linkedInRequest(ctx, {
      method: 'POST',
      base: 'oauth',
      path: '/revoke',
      body: new URLSearchParams({
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
        token: tokens.accessToken,
      }),
      step: 'revoke',
      timeoutMs: TIMEOUTS.read,
    })
  } catch (error) {
    if (isPluginError(error) && error.kind === 'AuthExpired') return
    throw error
  }
}

/**
 * Checks the client id and secret without a person: the token endpoint is asked to exchange a code that
 * cannot exist. A wrong client answers `invalid_client` (401); a good one gets the code refused
 * (`invalid_grant`, 400). Nothing is created.
 */
export async function checkCredentials(
  ctx: PluginContext<LinkedInSettings>
): Promise<CredentialsCheck> {
  let settings
  try {
    settings = resolveSettings(ctx.settings)
  } catch (error) {
    if (isPluginError(error)) return { status: 'invalid', message: error.message }
    throw error
  }
  try {
    await linkedInRequest(ctx, {
      method: 'POST',
      base: 'oauth',
      path: '/accessToken',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'herald-configuration-check',
        redirect_uri: 'https://herald.invalid/oauth/linkedin/callback',
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
      }),
      step: 'token',
      timeoutMs: TIMEOUTS.read,
    })
    return {
      status: 'unverifiable',
      message:
        'LinkedIn accepted a test code it should have refused; check the OAuth base URL setting.',
    }
  } catch (error) {
    if (isPluginError(error) && error.kind === 'AuthExpired') {
      return {
        status: 'valid',
        message: 'LinkedIn accepted the client ID and secret (it refused only the test code).',
      }
    }
    if (isPluginError(error) && error.kind === 'Permanent') {
      return { status: 'invalid', message: error.message }
    }
    if (isPluginError(error)) {
      return {
        status: 'unverifiable',
        message: `LinkedIn could not be asked right now: ${error.message}`,
      }
    }
    throw error
  }
}
