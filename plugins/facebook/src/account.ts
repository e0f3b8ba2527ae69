import {
  type AccountProfile,
  AuthExpired,
  type OAuthSpec,
  type PluginContext,
  type TokenSet,
  Transient,
} from '@herald/plugin-sdk'
import { graphRequest, TIMEOUTS } from './graph.js'
import { type FacebookSettings, resolveSettings } from './settings.js'

/** Permissions for posting to Pages (platform-apis.md §4.1). */
export const SCOPES = ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts']

/**
 * Facebook Login as data: the host builds Ally's `facebook` driver from it. Scopes are comma-separated,
 * the app secret goes in the token request, no PKCE; URLs carry the Graph version setting.
 */
export const oauth: OAuthSpec = {
  allyDriver: 'facebook',
  authorizeUrl: '{dialogBaseUrl}/{graphVersion}/dialog/oauth',
  tokenUrl: '{graphBaseUrl}/{graphVersion}/oauth/access_token',
  scopes: SCOPES,
  pkce: false,
  clientAuth: 'body',
  scopeSeparator: ',',
  clientIdSetting: 'appId',
  clientSecretSetting: 'appSecret',
}

function accessToken(tokens: TokenSet | undefined): string {
  if (!tokens?.accessToken)
    throw new AuthExpired('The Facebook account has no access token; reconnect it.')
  return tokens.accessToken
}

interface Me {
  id?: string
  name?: string
  picture?: { data?: { url?: string } }
}

/** Who the user token belongs to: `GET /me?fields=id,name,picture`. */
export async function fetchProfile(
  ctx: PluginContext<FacebookSettings>,
  tokens: TokenSet
): Promise<AccountProfile> {
  ctx.signal.throwIfAborted()
  const { data } = await graphRequest<Me>(ctx, {
    method: 'GET',
    path: '/me',
    params: { fields: 'id,name,picture' },
    accessToken: accessToken(tokens),
    step: 'read',
    timeoutMs: TIMEOUTS.read,
  })
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

/** A Page as `/me/accounts` lists it. */
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
  ctx: PluginContext<FacebookSettings>,
  tokens: TokenSet
): Promise<PageEntry[]> {
  const pages: PageEntry[] = []
  let after: string | undefined
  for (let round = 0; round < 10; round++) {
    const params: Record<string, string> = {
      fields: 'id,name,access_token,picture,instagram_business_account,tasks',
      limit: '100',
    }
    if (after) params.after = after
    const { data } = await graphRequest<{
      data?: PageEntry[]
      paging?: { cursors?: { after?: string }; next?: string }
    }>(ctx, {
      method: 'GET',
      path: '/me/accounts',
      params,
      accessToken: accessToken(tokens),
      step: 'read',
      timeoutMs: TIMEOUTS.read,
    })
    pages.push(...(data?.data ?? []))
    after = data?.paging?.next ? data.paging.cursors?.after : undefined
    if (!after) break
  }
  return pages
}

/**
 * The Pages the user manages, each with its own Page token (`GET /me/accounts`). A Page token derived from
 * a long-lived user token does not expire, so it has no `expiresAt`.
 */
export async function fetchAccounts(
  ctx: PluginContext<FacebookSettings>,
  tokens: TokenSet
): Promise<AccountProfile[]> {
  ctx.signal.throwIfAborted()
  const pages = await listPages(ctx, await longLivedUserToken(ctx, tokens))
  return pages
    .filter((page) => page.id && page.access_token)
    .map((page) => {
      const profile: AccountProfile = {
        externalId: page.id!,
        handle: page.id!,
        displayName: page.name?.trim() || page.id!,
        tokens: { accessToken: page.access_token!, scopes: tokens.scopes ?? [...SCOPES] },
      }
      const avatar = page.picture?.data?.url
      if (avatar) profile.avatarUrl = avatar
      return profile
    })
}

/**
 * Meta has no refresh token: a still-valid user token is exchanged for a long-lived one (~60 days) with
 * `grant_type=fb_exchange_token`. An expired or revoked token cannot be exchanged (AuthExpired: reconnect).
 */
export async function refresh(
  ctx: PluginContext<FacebookSettings>,
  tokens: TokenSet
): Promise<TokenSet> {
  ctx.signal.throwIfAborted()
  const current = accessToken(tokens)
  const settings = resolveSettings(ctx.settings)
  const { data } = await graphRequest<{ access_token?: string; expires_in?: number }>(ctx, {
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
  })
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
async function longLivedUserToken(
  ctx: PluginContext<FacebookSettings>,
  tokens: TokenSet
): Promise<TokenSet> {
  const expiresAt = tokens.expiresAt
  if (
    !(expiresAt instanceof Date) ||
    expiresAt.getTime() - ctx.clock.now().getTime() > SHORT_LIVED_MS
  ) {
    return tokens
  }
  return refresh(ctx, tokens)
}
