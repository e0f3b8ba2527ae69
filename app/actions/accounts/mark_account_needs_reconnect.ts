import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type SocialAccount from '#models/social_account'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'

/**
 * The account's tokens no longer work (refused refresh, revoked access,
 * expired with no way to renew): it needs a person to reconnect it. The
 * reason is shown on the Accounts page and in the workspace banner, with the
 * scheduled posts it puts at risk. Posts are kept; reconnecting resumes them.
 */
export class MarkAccountNeedsReconnect {
  async execute(account: SocialAccount, reason: string, client?: TransactionClientContract) {
    if (client) account.useTransaction(client)
    if (account.status === 'disabled') return
    const changed = account.status !== 'needs_reconnect' || account.statusReason !== reason
    account.status = 'needs_reconnect'
    account.statusReason = reason
    await account.save()
    if (changed) {
      await new RecordAuditEvent().execute(
        {
          action: 'account.needs_reconnect',
          workspaceId: account.workspaceId,
          subject: { type: 'social_account', id: account.id },
          meta: { reason, plugin: account.pluginId },
        },
        client
      )
    }
  }
}
