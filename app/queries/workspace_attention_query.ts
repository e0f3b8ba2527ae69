import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type Workspace from '#models/workspace'
import { AT_RISK_STATUSES } from '#queries/accounts_page_query'
import { RECONNECT_WARNING_DAYS } from '#actions/accounts/refresh_expiring_tokens'
import {
  ATTENTION_CAP,
  cappedCount,
  cappedStateCountSql,
  type CappedCount,
} from '#queries/capped_counts'

/**
 * One thing in a workspace that needs a person, shown as a banner under the
 * top bar with a link to the fix. `kind` lets each kind render its own way;
 * add kinds here and a branch in partials/layout/workspace_banners.edge.
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
  | {
      kind: 'posts_in_trouble'
      /** danger when some failed, warning when some may have gone out */
      tone: 'danger' | 'warning'
      /** Posts with a failed target ("99+" past the cap) */
      failed: CappedCount
      /** Posts with a target whose outcome is unknown */
      unknown: CappedCount
      failedHref: string
      unknownHref: string
    }

/**
 * What needs a person in a workspace, for the banners of every workspace
 * page: accounts to reconnect, accounts whose token ends soon with no way to
 * renew, and posts that failed or may have gone out (counted as the posts
 * list's filters count them). One statement: the counts come from the
 * (workspace_id, status, ...) index, the accounts from a small table; the
 * layout runs it once per request (start/view.ts caches it on the request's
 * workspace object).
 */
export class WorkspaceAttentionQuery {
  async execute(
    workspace: Workspace,
    displayName: (pluginId: string) => string
  ): Promise<AttentionItem[]> {
    const warnBefore = DateTime.now().plus({ days: RECONNECT_WARNING_DAYS }).toJSDate()
    const result = await db.rawQuery(
      // Counted up to the badges' cap ("99+"): a workspace with 10,000 failed posts costs
      // what one with 400 does, on every page.
      `SELECT c.failed, c.unknown, a.*
         FROM (
           SELECT ${cappedStateCountSql(':ws', 'failed', ATTENTION_CAP)} AS failed,
                  ${cappedStateCountSql(':ws', 'unknown', ATTENTION_CAP)} AS unknown
         ) c
         LEFT JOIN LATERAL (
           SELECT a.id, a.plugin_id, a.display_name, a.status, a.status_reason, a.token_expires_at,
                  (SELECT count(*) FROM post_targets t
                    WHERE t.social_account_id = a.id AND t.status = ANY(:atRisk::text[])) AS at_risk
             FROM social_accounts a
             LEFT JOIN account_secrets s ON s.social_account_id = a.id
            WHERE a.workspace_id = :ws
              AND (a.status = 'needs_reconnect'
                   OR (a.status = 'active' AND s.refresh_token IS NULL
                       AND a.token_expires_at IS NOT NULL AND a.token_expires_at < :warnBefore))
         ) a ON true
        ORDER BY a.display_name`,
      { ws: workspace.id, atRisk: [...AT_RISK_STATUSES], warnBefore }
    )
    const rows: Record<string, any>[] = result.rows
    const href = `/w/${workspace.slug}/accounts`
    const items = rows
      .filter((row) => row.id !== null)
      .map((row): AttentionItem => {
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
    const [failedPosts, failedRead] = rows[0]?.failed ?? [0, 0]
    const [unknownPosts, unknownRead] = rows[0]?.unknown ?? [0, 0]
    const failed = cappedCount(failedPosts, ATTENTION_CAP, failedRead)
    const unknown = cappedCount(unknownPosts, ATTENTION_CAP, unknownRead)
    if (failed.count > 0 || unknown.count > 0) {
      items.push({
        kind: 'posts_in_trouble',
        tone: failed.count > 0 ? 'danger' : 'warning',
        failed,
        unknown,
        failedHref: `/w/${workspace.slug}/posts?status=failed`,
        unknownHref: `/w/${workspace.slug}/posts?status=unknown`,
      })
    }
    return items
  }
}
