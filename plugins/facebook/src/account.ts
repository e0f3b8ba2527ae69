import {
  type AccountProfile,
  type OAuthSpec,
  type PluginContext,
  type TokenSet,
} from '@herald/plugin-sdk'
import {
  exchangeToken,
  fetchMetaProfile,
  listPages as listMetaPages,
  longLivedUserToken,
  metaOAuth,
  type PageEntry,
} from '@herald/meta-graph'
import { FACEBOOK, type FacebookSettings } from './settings.js'

export type { PageEntry } from '@herald/meta-graph'

/** Permissions for posting to Pages (platform-apis.md §4.1). */
export const SCOPES = ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts']

/** Facebook Login as data (Ally `facebook`): comma-separated scopes, secret in the body, no PKCE. */
export const oauth: OAuthSpec = metaOAuth(SCOPES)

/** Who the user token belongs to: `GET /me?fields=id,name,picture`. */
export function fetchProfile(
  ctx: PluginContext<FacebookSettings>,
  tokens: TokenSet
): Promise<AccountProfile> {
  return fetchMetaProfile(ctx, tokens, FACEBOOK)
}

/** Every Page the user manages, following the `after` cursor (at most 10 pages of 100). */
export function listPages(
  ctx: PluginContext<FacebookSettings>,
  tokens: TokenSet
): Promise<PageEntry[]> {
  return listMetaPages(
    ctx,
    tokens,
    FACEBOOK,
    'id,name,access_token,picture,instagram_business_account,tasks'
  )
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
  const pages = await listPages(ctx, await longLivedUserToken(ctx, tokens, FACEBOOK))
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

/** Meta has no refresh token: a still-valid user token is exchanged for a long-lived one (~60 days). */
export function refresh(ctx: PluginContext<FacebookSettings>, tokens: TokenSet): Promise<TokenSet> {
  return exchangeToken(ctx, tokens, FACEBOOK)
}
