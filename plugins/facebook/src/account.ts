import {
  type AccountProfile,
  type CredentialsCheck,
  type OAuthSpec,
  type PluginContext,
  type TokenSet,
} from '@herald/plugin-sdk'
import {
  checkMetaCredentials,
  exchangeToken,
  fetchMetaProfile,
  grantedPermissions,
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
export const oauth: OAuthSpec = metaOAuth(SCOPES, ['pages_read_engagement', 'pages_manage_posts'])

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
 * a long-lived user token does not expire, so it has no `expiresAt`. Its `scopes` are the permissions the
 * person granted (`GET /me/permissions` when the tokens do not say), so the host sees a declined one.
 */
export async function fetchAccounts(
  ctx: PluginContext<FacebookSettings>,
  tokens: TokenSet
): Promise<AccountProfile[]> {
  ctx.signal.throwIfAborted()
  const user = await longLivedUserToken(ctx, tokens, FACEBOOK)
  const scopes = tokens.scopes ?? (await grantedPermissions(ctx, user, FACEBOOK))
  const pages = await listPages(ctx, user)
  return pages
    .filter((page) => page.id && page.access_token)
    .map((page) => {
      const profile: AccountProfile = {
        externalId: page.id!,
        handle: page.id!,
        displayName: page.name?.trim() || page.id!,
        tokens: { accessToken: page.access_token!, scopes },
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

/** Checks the app ID and secret with an app access token (`grant_type=client_credentials`). */
export function checkCredentials(ctx: PluginContext<FacebookSettings>): Promise<CredentialsCheck> {
  return checkMetaCredentials(ctx, FACEBOOK)
}
