import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { DateTime } from 'luxon'
import { isPluginError } from '@herald/plugin-sdk'
import type SocialAccount from '#models/social_account'
import type User from '#models/user'
import { Publishers } from '#plugin_host/publishers'
import { AccountTokens } from '#services/account_tokens'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'

export interface DisconnectResult {
  /** `revoked` at the platform, `unsupported` (the platform offers no revocation), or `failed` */
  revocation: 'revoked' | 'unsupported' | 'failed'
  /** What to tell the person when the platform could not be told */
  note?: string
}

/**
 * Disconnects an account: asks the platform to revoke Herald's tokens where
 * it allows (X, LinkedIn), deletes them, and keeps the row (`disabled`) so
 * its past posts stay readable and a later connect renews the same row. A
 * revocation that fails does not keep the tokens: they are deleted anyway.
 */
@inject()
export class DisconnectSocialAccount {
  constructor(
    private publishers: Publishers,
    private tokens: AccountTokens
  ) {}

  async execute(account: SocialAccount, user: User): Promise<DisconnectResult> {
    const result = await this.#revoke(account)
    await db.transaction(async (trx) => {
      await this.tokens.forget(account, trx)
      account.useTransaction(trx)
      account.merge({
        status: 'disabled',
        statusReason: `Disconnected by ${user.fullName}.`,
        disconnectedAt: DateTime.now(),
        tokenExpiresAt: null,
      })
      await account.save()
      await new RecordAuditEvent().execute(
        {
          action: 'account.disconnected',
          userId: user.id,
          workspaceId: account.workspaceId,
          subject: { type: 'social_account', id: account.id },
          meta: { plugin: account.pluginId, revocation: result.revocation },
        },
        trx
      )
    })
    return result
  }

  async #revoke(account: SocialAccount): Promise<DisconnectResult> {
    const entry = this.publishers.find(account.pluginId)
    const platform = this.publishers.displayName(account.pluginId)
    if (!entry?.publisher.revoke) return { revocation: 'unsupported' }
    try {
      const stored = await this.tokens.read(account)
      if (!stored) return { revocation: 'revoked' }
      const context = await this.publishers.context(entry, { timeoutMs: 30_000 })
      await entry.publisher.revoke(context, stored)
      return { revocation: 'revoked' }
    } catch (error) {
      const reason = isPluginError(error) ? error.message : (error as Error).message
      logger.warn({ plugin: account.pluginId, account: account.id, reason }, 'revocation failed')
      return {
        revocation: 'failed',
        note: `${platform} could not be asked to revoke Herald's access (${reason.replace(/\.$/, '')}). Herald deleted its tokens anyway; to be sure, remove Herald from the connected apps in the ${platform} account's settings.`,
      }
    }
  }
}
