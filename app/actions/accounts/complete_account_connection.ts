import { inject } from '@adonisjs/core'
import type { AccountProfile, PluginContext, TokenSet } from '@herald/plugin-sdk'
import SocialAccount from '#models/social_account'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import type { PublisherEntry } from '#plugin_host/publishers'
import { ConnectionProblem } from '#services/connection_problem'
import { PendingConnections } from '#services/pending_connections'
import { ConnectSocialAccount } from '#actions/accounts/connect_social_account'
import { connectionCall } from '#actions/accounts/plugin_call'

export interface CompleteInput {
  workspace: Workspace
  user: User
  entry: PublisherEntry
  context: PluginContext
  tokens: TokenSet
  /** Reconnect: the account the sign-in renews */
  accountId?: number
}

export type ConnectionOutcome =
  | { kind: 'connected'; account: SocialAccount; created: boolean }
  | { kind: 'pick'; pendingId: string; count: number }

/**
 * What a finished sign-in connects. A publisher with `fetchAccounts`
 * (Facebook Pages, Instagram business accounts) reached several accounts:
 * they wait, encrypted, for the person to pick (a reconnect renews its own
 * account at once). Others connect the signed-in profile. Either way the
 * permissions granted must cover those the plugin asks for.
 */
@inject()
export class CompleteAccountConnection {
  constructor(private connect: ConnectSocialAccount) {}

  async execute(input: CompleteInput): Promise<ConnectionOutcome> {
    const { entry, context, tokens, workspace } = input
    const platform = entry.plugin.manifest.displayName
    const what = { platform, workspaceSlug: workspace.slug }
    const reconnecting = await this.#accountToReconnect(input)

    if (!entry.publisher.fetchAccounts) {
      this.#assertScopes(platform, entry, tokens.scopes, workspace.slug)
      const profile = await connectionCall(() => entry.publisher.fetchProfile(context, tokens), {
        ...what,
        doing: `read the ${platform} profile`,
      })
      return this.#connect(input, profile, profile.tokens ?? tokens)
    }

    const accounts = await connectionCall(() => entry.publisher.fetchAccounts!(context, tokens), {
      ...what,
      doing: `list the ${platform} accounts you manage`,
    })
    if (accounts.length === 0) {
      throw new ConnectionProblem(
        `${platform} shared no account with Herald. When ${platform} asks which Pages Herald may use, select them, then connect again.`,
        workspace.slug
      )
    }
    this.#assertScopes(platform, entry, accounts[0].tokens?.scopes ?? tokens.scopes, workspace.slug)
    if (reconnecting) {
      const same = accounts.find((account) => account.externalId === reconnecting.externalId)
      if (!same) {
        throw new ConnectionProblem(
          `The ${platform} user you signed in with does not give Herald access to ${reconnecting.displayName} (it shared ${accounts.map((account) => account.displayName).join(', ')}). Nothing was changed: sign in as someone who manages ${reconnecting.displayName} and select it when ${platform} asks.`,
          workspace.slug
        )
      }
      return this.#connect(input, same, same.tokens ?? tokens)
    }
    const pending = await new PendingConnections().create({
      user: input.user,
      workspace,
      pluginId: entry.plugin.id,
      accounts,
      tokens,
    })
    return { kind: 'pick', pendingId: pending.id, count: accounts.length }
  }

  async #accountToReconnect(input: CompleteInput) {
    if (input.accountId === undefined) return null
    const account = await SocialAccount.query()
      .where({
        id: input.accountId,
        workspace_id: input.workspace.id,
        plugin_id: input.entry.plugin.id,
      })
      .first()
    if (!account) {
      throw new ConnectionProblem(
        'The account to reconnect is no longer in this workspace.',
        input.workspace.slug
      )
    }
    return account
  }

  async #connect(
    input: CompleteInput,
    profile: AccountProfile,
    tokens: TokenSet
  ): Promise<ConnectionOutcome> {
    const { account, created } = await this.connect.execute({
      workspace: input.workspace,
      user: input.user,
      pluginId: input.entry.plugin.id,
      platform: input.entry.plugin.manifest.displayName,
      profile,
      tokens,
      accountId: input.accountId,
    })
    return { kind: 'connected', account, created }
  }

  /** Refuses a sign-in that left out permissions the plugin needs (when the platform says which) */
  #assertScopes(
    platform: string,
    entry: PublisherEntry,
    granted: string[] | undefined,
    workspaceSlug: string
  ) {
    if (!granted) return
    const missing = entry.publisher.oauth.scopes.filter((scope) => !granted.includes(scope))
    if (missing.length === 0) return
    throw new ConnectionProblem(
      `${platform} did not grant every permission Herald needs (missing: ${missing.join(', ')}), so nothing was connected. Connect again and leave every permission selected.`,
      workspaceSlug
    )
  }
}
