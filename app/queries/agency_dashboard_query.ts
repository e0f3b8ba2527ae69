import db from '@adonisjs/lucid/services/db'
import { ATTENTION_STATUSES } from '#queries/workspace_dashboard_query'

/**
 * Target states counted on each workspace card of the agency dashboard, in
 * their order: the same as the workspace dashboard's "Needs attention", so a
 * card and the dashboard it opens never disagree.
 */
export const AGENCY_ATTENTION_STATUSES = ATTENTION_STATUSES
export type AgencyAttentionStatus = (typeof AGENCY_ATTENTION_STATUSES)[number]

/** What needs a person in one workspace: posts per target state, accounts to reconnect */
export interface WorkspaceAttentionCounts {
  posts: Record<AgencyAttentionStatus, number>
  accountsToReconnect: number
  total: number
}

/**
 * The attention counts of every workspace on the agency dashboard, in one
 * statement grouped by workspace (never one query per card). Posts are
 * counted as the posts list's filters count them: posts with a target in
 * the state.
 */
export class AgencyDashboardQuery {
  async execute(workspaceIds: number[]): Promise<Record<number, WorkspaceAttentionCounts>> {
    const counts: Record<number, WorkspaceAttentionCounts> = {}
    for (const id of workspaceIds) {
      counts[id] = {
        posts: Object.fromEntries(AGENCY_ATTENTION_STATUSES.map((status) => [status, 0])) as Record<
          AgencyAttentionStatus,
          number
        >,
        accountsToReconnect: 0,
        total: 0,
      }
    }
    if (workspaceIds.length === 0) return counts
    const result = await db.rawQuery(
      `SELECT workspace_id, status AS kind, count(DISTINCT post_id)::int AS total
         FROM post_targets
        WHERE workspace_id = ANY(?::int[]) AND status = ANY(?::text[])
        GROUP BY workspace_id, status
       UNION ALL
       SELECT workspace_id, 'accounts' AS kind, count(*)::int AS total
         FROM social_accounts
        WHERE workspace_id = ANY(?::int[]) AND status = 'needs_reconnect'
        GROUP BY workspace_id`,
      [workspaceIds, [...AGENCY_ATTENTION_STATUSES], workspaceIds]
    )
    for (const row of result.rows as { workspace_id: number; kind: string; total: number }[]) {
      const entry = counts[row.workspace_id]
      if (row.kind === 'accounts') entry.accountsToReconnect = row.total
      else entry.posts[row.kind as AgencyAttentionStatus] = row.total
      entry.total += row.total
    }
    return counts
  }
}
