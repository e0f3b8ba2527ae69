import { inject } from '@adonisjs/core'
import type SocialAccount from '#models/social_account'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import type { PendingConnection } from '#services/pending_connections'
import { PendingConnections } from '#services/pending_connections'
import { Publishers } from '#plugin_host/publishers'
import { ConnectSocialAccount } from '#actions/accounts/connect_social_account'

/**
 * Adds the accounts a person picked after a sign-in that reached several
 * (Facebook Pages, Instagram business accounts), each with its own token.
 * One already in the workspace is renewed, never duplicated. The pending
 * list is deleted afterwards.
 */
@inject()
export class AddPickedAccounts {
  constructor(
    private connect: ConnectSocialAccount,
    private publishers: Publishers
  ) {}

  async execute(input: {
    pending: PendingConnection
    externalIds: string[]
    workspace: Workspace
    user: User
  }): Promise<SocialAccount[]> {
    const { pending, workspace, user } = input
    const pluginId = pending.row.pluginId
    const platform = this.publishers.displayName(pluginId)
    const picked = pending.candidates.filter((candidate) =>
      input.externalIds.includes(candidate.externalId)
    )
    const accounts: SocialAccount[] = []
    for (const { tokens, ...profile } of picked) {
      const { account } = await this.connect.execute({
        workspace,
        user,
        pluginId,
        platform,
        profile,
        tokens,
      })
      accounts.push(account)
    }
    await new PendingConnections().delete(pending.row)
    return accounts
  }
}
