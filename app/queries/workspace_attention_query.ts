import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type Workspace from '#models/workspace'
import { AT_RISK_STATUSES } from '#queries/accounts_page_query'
import { RECONNECT_WARNING_DAYS } from '#actions/accounts/refresh_expiring_tokens'

/**
 * One thing in a workspace that needs a person, shown as a banner under the
 * top bar with a link to the fix. `kind` lets each kind render its own way;
 * add kinds here (failed or unknown posts...) and a branch in
 * partials/layout/workspace_banners.edge.
 */
export type AttentionItem =
  | {
      kind: 'account_needs_reconnect'
      tone: 'danger'
      accountId: number
      accountName: string
      platform: string
      reason: string
      /** Scheduled posts of the account that would fail */
      postsAtRisk: number
      href: string
    }
  | {
      kind: 'account_expiring'
      tone: 'warning'
      accountId: number
      accountName: string
      platform: string
      expiresAt: DateTime
      href: string
    }

/**
 * What needs a person in a workspace (accounts to reconnect, accounts whose
 * token ends soon with no way to renew), for the banners of every workspace
 * page. One query; the layout calls it once per request (start/view.ts
 * caches it on the request's workspace object).
 */
export class WorkspaceAttentionQuery {
  async execute(
    workspace: Workspace,
    displayName: (pluginId: string) => string
  ): Promise<AttentionItem[]> {
    const warnBefore = DateTime.now().plus({ days: RECONNECT_WARNING_DAYS }).toSQL()!
    const rows = await db
      .from('social_accounts as a')
      .leftJoin('account_secrets as s', 's.social_account_id', 'a.id')
      .where('a.workspace_id', workspace.id)
      .where((query) => {
        query.where('a.status', 'needs_reconnect').orWhere((expiring) => {
          expiring
            .where('a.status', 'active')
            .whereNull('s.refresh_token')
            .whereNotNull('a.token_expires_at')
            .where('a.token_expires_at', '<', warnBefore)
        })
      })
      .orderBy('a.display_name')
      .select('a.id', 'a.plugin_id', 'a.display_name', 'a.status', 'a.status_reason')
      .select('a.token_expires_at')
      .select(
        db
          .from('post_targets as t')
          .whereColumn('t.social_account_id', 'a.id')
          .whereIn('t.status', [...AT_RISK_STATUSES])
          .count('*')
          .as('at_risk')
      )
    const href = `/w/${workspace.slug}/accounts`
    return rows.map((row): AttentionItem => {
      const common = {
        accountId: row.id as number,
        accountName: row.display_name as string,
        platform: displayName(row.plugin_id),
        href: `${href}#account-${row.id}`,
      }
      if (row.status === 'needs_reconnect') {
        return {
          kind: 'account_needs_reconnect',
          tone: 'danger',
          ...common,
          reason: row.status_reason ?? 'Its access no longer works.',
          postsAtRisk: Number(row.at_risk),
        }
      }
      return {
        kind: 'account_expiring',
        tone: 'warning',
        ...common,
        expiresAt: DateTime.fromJSDate(row.token_expires_at).setZone(workspace.timezone),
      }
    })
  }
}
