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
import { TIMEOUTS, xRequest } from './client.js'
import { resolveSettings, type XSettings } from './settings.js'

/** Scopes Herald asks for: read and write posts, read the profile, upload media, get a refresh token. */
export const SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write']

/**
 * OAuth 2.0 Authorization Code with PKCE (S256), as data: the host builds Ally's `twitterX` driver from it.
 * The client is confidential, so the token endpoint gets `Authorization: Basic base64(id:secret)`. URLs come
 * from settings, so tests point them at the fake.
 */
export const oauth: OAuthSpec = {
  allyDriver: 'twitterX',
  authorizeUrl: '{authorizeUrl}',
  tokenUrl: '{apiBaseUrl}/2/oauth2/token',
  scopes: SCOPES,
  // Without offline.access a token cannot be renewed (the expiry check says so), but posting works.
  publishScopes: ['tweet.read', 'tweet.write', 'users.read', 'media.write'],
  pkce: true,
  clientAuth: 'basic',
  scopeSeparator: ' ',
  clientIdSetting: 'clientId',
  clientSecretSetting: 'clientSecret',
}

interface UserAnswer {
  data?: { id?: string; name?: string; username?: string; profile_image_url?: string }
}

/** Who the tokens belong to: GET /2/users/me with `profile_image_url`. */
export async function fetchProfile(
  ctx: PluginContext<XSettings>,
  tokens: TokenSet
): Promise<AccountProfile> {
  ctx.signal.throwIfAborted()
  if (!tokens?.accessToken)
    throw new AuthExpired('The X account has no access token; reconnect it.')
  const answer = await xRequest<UserAnswer>(ctx, {
    method: 'GET',
    path: '/2/users/me',
    query: { 'user.fields': 'profile_image_url' },
    accessToken: tokens.accessToken,
    step: 'profile',
    timeoutMs: TIMEOUTS.read,
  })
  const user = answer.data?.data
  if (!user?.id || !user.username) {
    throw new Transient('X answered /2/users/me without the user id or username; try again.')
  }
  const profile: AccountProfile = {
    externalId: user.id,
    handle: user.username,
    displayName: user.name?.trim() || user.username,
  }
  if (user.profile_image_url) profile.avatarUrl = user.profile_image_url
  return profile
}

interface TokenAnswer {
  token_type?: string
  access_token?: string
  refresh_token?: string
  expires_in?: number
  scope?: string
}

/**
 * New tokens from the refresh token: POST /2/oauth2/token (`grant_type=refresh_token`, Basic client auth).
 * X rotates refresh tokens and each is single-use: the answer's `refresh_token` replaces the old one, which
 * is spent. An answer without one keeps the old (never an empty refresh token). A refused refresh token
 * (`invalid_grant`, `invalid_request`) is AuthExpired: the account must be reconnected.
 *
 * If the refresh request leaves but its answer is lost, X may have spent the old token; that is reported
 * as Transient (a retry either works or gets `invalid_grant`, which asks for a reconnect).
 */
export async function refresh(ctx: PluginContext<XSettings>, tokens: TokenSet): Promise<TokenSet> {
  ctx.signal.throwIfAborted()
  const refreshToken = tokens?.refreshToken
  if (!refreshToken) {
    throw new AuthExpired(
      'X gave this account no refresh token (the offline.access scope was not granted); reconnect the X account.'
    )
  }
  const settings = resolveSettings(ctx.settings)
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: settings.clientId,
  })
  const answer = await xRequest<TokenAnswer>(ctx, {
    method: 'POST',
    path: '/2/oauth2/token',
    body: form,
    step: 'token',
    timeoutMs: TIMEOUTS.read,
  })
  const body = answer.data
  if (!body?.access_token) {
    throw new Transient('X answered the token refresh without an access token; try again.')
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
 * Revokes the tokens when the account is disconnected: POST /2/oauth2/revoke for the refresh token, then
 * the access token. A token X no longer knows (400) counts as revoked.
 */
export async function revoke(ctx: PluginContext<XSettings>, tokens: TokenSet): Promise<void> {
  ctx.signal.throwIfAborted()
  const settings = resolveSettings(ctx.settings)
  const targets: [string, string][] = []
  if (tokens?.refreshToken) targets.push([tokens.refreshToken, 'refresh_token'])
  if (tokens?.accessToken) targets.push([tokens.accessToken, 'access_token'])
  for (const [token, hint] of targets) {
    try {
      await xRequest(ctx, {
        method: 'POST',
        path: '/2/oauth2/revoke',
        body: new URLSearchParams({ token, token_type_hint: hint, client_id: settings.clientId }),
        step: 'revoke',
        timeoutMs: TIMEOUTS.read,
      })
    } catch (error) {
      // An unknown or already revoked token comes back as an OAuth 400: it is unusable, as wanted.
      if (isPluginError(error) && error.kind === 'AuthExpired') continue
      throw error
    }
  }
}

/** An authorization code that cannot exist, sent only to learn whether X accepts the client. */
const CHECK_CODE = 'herald-configuration-check'

/**
 * Checks the client id and secret without a person: the token endpoint authenticates the client before it
 * looks at the code, so a code that cannot exist answers `invalid_client` (401) for a wrong client and
 * `invalid_request` / `invalid_grant` (400) for a good one. Nothing is created.
 */
export async function checkCredentials(ctx: PluginContext<XSettings>): Promise<CredentialsCheck> {
  let settings
  try {
    settings = resolveSettings(ctx.settings)
  } catch (error) {
    if (isPluginError(error)) return { status: 'invalid', message: error.message }
    throw error
  }
  try {
    await xRequest(ctx, {
      method: 'POST',
      path: '/2/oauth2/token',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: CHECK_CODE,
        redirect_uri: 'https://herald.invalid/oauth/x/callback',
        code_verifier: CHECK_CODE.padEnd(43, '0'),
        client_id: settings.clientId,
      }),
      step: 'token',
      timeoutMs: TIMEOUTS.read,
    })
    return {
      status: 'unverifiable',
      message: 'X accepted a test code it should have refused; check the API base URL setting.',
    }
  } catch (error) {
    if (isPluginError(error) && error.kind === 'AuthExpired') {
      return {
        status: 'valid',
        message: 'X accepted the OAuth 2.0 client ID and secret (it refused only the test code).',
      }
    }
    if (isPluginError(error) && error.kind === 'Permanent') {
      return { status: 'invalid', message: error.message }
    }
    if (isPluginError(error)) {
      return { status: 'unverifiable', message: `X could not be asked right now: ${error.message}` }
    }
    throw error
  }
}
