import {
  type AccountProfile,
  AuthExpired,
  type OAuthSpec,
  Permanent,
  type PluginContext,
  type TokenSet,
  Transient,
} from '@herald/plugin-sdk'
import { graphRequest, TIMEOUTS } from './graph.js'
import { type InstagramSettings, resolveSettings } from './settings.js'

/** Permissions for publishing to Instagram business accounts reached through Pages (platform-apis.md §4.1). */
export const SCOPES = [
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_posts',
  'instagram_basic',
  'instagram_content_publish',
  'business_management',
]

/** Facebook Login as data (Ally `facebook`), with the Instagram permissions. */
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
    throw new AuthExpired('The Instagram account has no access token; reconnect it.')
  return tokens.accessToken
}

/** Who the Facebook user token belongs to: `GET /me?fields=id,name,picture`. */
export async function fetchProfile(
  ctx: PluginContext<InstagramSettings>,
  tokens: TokenSet
): Promise<AccountProfile> {
  ctx.signal.throwIfAborted()
  const { data } = await graphRequest<{
    id?: string
    name?: string
    picture?: { data?: { url?: string } }
  }>(ctx, {
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
  if (data.picture?.data?.url) profile.avatarUrl = data.picture.data.url
  return profile
}

interface PageEntry {
  id?: string
  name?: string
  access_token?: string
  instagram_business_account?: { id?: string }
}

interface IgUser {
  id?: string
  username?: string
  name?: string
  profile_picture_url?: string
}

/**
 * The Instagram business accounts linked to the user's Pages: `GET /me/accounts` (with each Page's token and
 * `instagram_business_account`), then `GET /{ig-user-id}?fields=username,name,profile_picture_url`. Each
 * account publishes with its Page's token (non-expiring when derived from a long-lived user token). No
 * linked account is a Permanent error that says what to do.
 */
export async function fetchAccounts(
  ctx: PluginContext<InstagramSettings>,
  tokens: TokenSet
): Promise<AccountProfile[]> {
  ctx.signal.throwIfAborted()
  resolveSettings(ctx.settings)
  const user = await longLivedUserToken(ctx, tokens)
  const pages: PageEntry[] = []
  let after: string | undefined
  for (let round = 0; round < 10; round++) {
    const params: Record<string, string> = {
      fields: 'id,name,access_token,instagram_business_account',
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
      accessToken: accessToken(user),
      step: 'read',
      timeoutMs: TIMEOUTS.read,
    })
    pages.push(...(data?.data ?? []))
    after = data?.paging?.next ? data.paging.cursors?.after : undefined
    if (!after) break
  }
  const linked = pages.filter(
    (page) => page.id && page.access_token && page.instagram_business_account?.id
  )
  if (linked.length === 0) {
    const names = pages.map((page) => page.name).filter(Boolean)
    throw new Permanent(
      pages.length === 0
        ? 'No Facebook Page was shared with Herald, so no Instagram account can be reached. Instagram publishing needs an Instagram professional (Business or Creator) account linked to a Facebook Page you manage: link it in the Instagram app (Settings > Account type and tools) or in Meta Business Suite, then reconnect and select that Page.'
        : `None of your Facebook Pages (${names.join(', ')}) has an Instagram professional account linked. Link your Instagram Business or Creator account to one of them (Meta Business Suite > Settings > Instagram accounts), then reconnect.`,
      { code: 'no_instagram_business_account' }
    )
  }
  const accounts: AccountProfile[] = []
  for (const page of linked) {
    const igId = page.instagram_business_account!.id!
    const { data } = await graphRequest<IgUser>(ctx, {
      method: 'GET',
      path: `/${igId}`,
      params: { fields: 'id,username,name,profile_picture_url' },
      accessToken: page.access_token!,
      step: 'read',
      timeoutMs: TIMEOUTS.read,
    })
    const account: AccountProfile = {
      externalId: igId,
      handle: data?.username || igId,
      displayName: data?.name?.trim() || data?.username || page.name || igId,
      tokens: { accessToken: page.access_token!, scopes: tokens.scopes ?? [...SCOPES] },
    }
    if (data?.profile_picture_url) account.avatarUrl = data.profile_picture_url
    accounts.push(account)
  }
  return accounts
}

/** Exchanges a still-valid user token for a long-lived one (`grant_type=fb_exchange_token`); Meta has no refresh token. */
export async function refresh(
  ctx: PluginContext<InstagramSettings>,
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
  ctx: PluginContext<InstagramSettings>,
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
