import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { isPluginError } from '@herald/plugin-sdk'
import SocialAccount from '#models/social_account'
import { AccountTokens } from '#services/account_tokens'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'
import type { QueueLogger } from '#queue/types'

/** Tokens expiring sooner than this are renewed by the proactive job (it runs every 15 minutes) */
export const PROACTIVE_MARGIN_MS = 30 * 60_000
/** Accounts that cannot renew (LinkedIn without a refresh token) are flagged this long before expiry */
export const RECONNECT_WARNING_DAYS = 7

export interface RefreshReport {
  due: number
  refreshed: number
  /** Refresh refused for good: the account now needs a reconnect */
  needsReconnect: number
  /** Temporary failures: tried again on the next run */
  failed: number
  /** Accounts that cannot renew and expire within RECONNECT_WARNING_DAYS, flagged now */
  warned: number
}

/**
 * The proactive refresh (job `refresh_tokens`, every 15 minutes): renews
 * every active account whose token expires within the margin, through
 * AccountTokens.fresh (single-flight, so a publish job refreshing the same
 * account at the same moment causes no second refresh). One account's
 * failure never stops the others. A refusal marks the account
 * `needs_reconnect` (fresh does it). Accounts that cannot renew at all are
 * flagged once per expiry date, ahead of time, in the audit trail; the
 * Accounts page and the banner show the warning from the same rule.
 * Running it twice in a row does nothing more.
 */
@inject()
export class RefreshExpiringTokens {
  constructor(private tokens: AccountTokens) {}

  async execute(options: { marginMs?: number; logger?: QueueLogger } = {}): Promise<RefreshReport> {
    const marginMs = options.marginMs ?? PROACTIVE_MARGIN_MS
    const report: RefreshReport = { due: 0, refreshed: 0, needsReconnect: 0, failed: 0, warned: 0 }
    const due = await SocialAccount.query()
      .where('status', 'active')
      .whereNotNull('token_expires_at')
      .where('token_expires_at', '<', DateTime.now().plus({ milliseconds: marginMs }).toSQL()!)
      .orderBy('token_expires_at')
    report.due = due.length
    for (const account of due) {
      try {
        const before = account.tokenExpiresAt?.toMillis()
        await this.tokens.fresh(account, { marginMs })
        await account.refresh()
        if (account.tokenExpiresAt?.toMillis() !== before) report.refreshed++
      } catch (error) {
        if (isPluginError(error) && error.kind === 'AuthExpired') {
          report.needsReconnect++
        } else {
          report.failed++
          options.logger?.warn(
            {
              account: account.id,
              plugin: account.pluginId,
              error: isPluginError(error) ? error.kind : (error as Error).name,
              reason: (error as Error).message,
            },
            'token refresh failed; next run tries again'
          )
        }
      }
    }
    report.warned = await this.#flagExpiring()
    return report
  }

  /** Active accounts with no refresh token whose token ends within the warning window, once per expiry */
  async #flagExpiring() {
    const rows = await db
      .from('social_accounts as a')
      .join('account_secrets as s', 's.social_account_id', 'a.id')
      .whereNull('s.refresh_token')
      .where('a.status', 'active')
      .whereNotNull('a.token_expires_at')
      .where(
        'a.token_expires_at',
        '<',
        DateTime.now().plus({ days: RECONNECT_WARNING_DAYS }).toSQL()!
      )
      .select('a.id')
    let warned = 0
    for (const { id } of rows) {
      const flagged = await db.transaction(async (trx) => {
        const account = await SocialAccount.query({ client: trx })
          .where('id', id)
          .forUpdate()
          .first()
        if (!account?.tokenExpiresAt) return false
        const expiry = account.tokenExpiresAt.toUTC().toISO()
        if (account.meta.expiryWarningFor === expiry) return false
        account.meta = { ...account.meta, expiryWarningFor: expiry }
        await account.save()
        await new RecordAuditEvent().execute(
          {
            action: 'account.expiring',
            workspaceId: account.workspaceId,
            subject: { type: 'social_account', id: account.id },
            meta: { plugin: account.pluginId, expiresAt: expiry },
          },
          trx
        )
        return true
      })
      if (flagged) warned++
    }
    return warned
  }
}
