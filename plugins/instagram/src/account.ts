import {
  type AccountProfile,
  type CredentialsCheck,
  type OAuthSpec,
  Permanent,
  type PluginContext,
  type TokenSet,
} from '@herald/plugin-sdk'
import {
  checkMetaCredentials,
  exchangeToken,
  fetchMetaProfile,
  grantedPermissions,
  graphRequest,
  listPages,
  longLivedUserToken,
  metaOAuth,
  TIMEOUTS,
} from '@herald/meta-graph'
import { INSTAGRAM, type InstagramSettings, resolveSettings } from './settings.js'

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
export const oauth: OAuthSpec = metaOAuth(SCOPES, [
  'pages_read_engagement',
  'instagram_basic',
  'instagram_content_publish',
])

/** Who the Facebook user token belongs to: `GET /me?fields=id,name,picture`. */
export function fetchProfile(
  ctx: PluginContext<InstagramSettings>,
  tokens: TokenSet
): Promise<AccountProfile> {
  return fetchMetaProfile(ctx, tokens, INSTAGRAM)
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
  const user = await longLivedUserToken(ctx, tokens, INSTAGRAM)
  const scopes = tokens.scopes ?? (await grantedPermissions(ctx, user, INSTAGRAM))
  const pages = await listPages(
    ctx,
    user,
    INSTAGRAM,
    'id,name,access_token,instagram_business_account'
  )
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
    const { data } = await graphRequest<IgUser>(
      ctx,
      {
        method: 'GET',
        path: `/${igId}`,
        params: { fields: 'id,username,name,profile_picture_url' },
        accessToken: page.access_token!,
        step: 'read',
        timeoutMs: TIMEOUTS.read,
      },
      INSTAGRAM
    )
    const account: AccountProfile = {
      externalId: igId,
      handle: data?.username || igId,
      displayName: data?.name?.trim() || data?.username || page.name || igId,
      tokens: { accessToken: page.access_token!, scopes },
    }
    if (data?.profile_picture_url) account.avatarUrl = data.profile_picture_url
    accounts.push(account)
  }
  return accounts
}

/** Exchanges a still-valid user token for a long-lived one (`grant_type=fb_exchange_token`); Meta has no refresh token. */
export function refresh(
  ctx: PluginContext<InstagramSettings>,
  tokens: TokenSet
): Promise<TokenSet> {
  return exchangeToken(ctx, tokens, INSTAGRAM)
}

/** Checks the app ID and secret with an app access token (`grant_type=client_credentials`). */
export function checkCredentials(ctx: PluginContext<InstagramSettings>): Promise<CredentialsCheck> {
  return checkMetaCredentials(ctx, INSTAGRAM)
}
