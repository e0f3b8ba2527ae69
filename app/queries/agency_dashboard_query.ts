import db from '@adonisjs/lucid/services/db'
import { ATTENTION_STATUSES } from '#queries/workspace_dashboard_query'
import { countAttention, type CappedCount } from '#queries/capped_counts'

/**
 * Target states counted on each workspace card of the agency dashboard, in
 * their order: the same as the workspace dashboard's "Needs attention", so a
 * card and the dashboard it opens never disagree.
 */
export const AGENCY_ATTENTION_STATUSES = ATTENTION_STATUSES
export type AgencyAttentionStatus = (typeof AGENCY_ATTENTION_STATUSES)[number]

/** What needs a person in one workspace: posts per target state, accounts to reconnect */
export interface WorkspaceCappedCounts {
  /** Posts with a target in each state, up to "99+" (states with none are absent) */
  posts: Partial<Record<AgencyAttentionStatus, CappedCount>>
  accountsToReconnect: number
  total: number
}

/**
 * The attention counts of every workspace on the agency dashboard, in two
 * statements whatever the number of cards (never one query per card). Posts
 * are counted as the workspace dashboard counts them, up to its "99+".
 */
export class AgencyDashboardQuery {
  async execute(workspaceIds: number[]): Promise<Record<number, WorkspaceCappedCounts>> {
    const counts: Record<number, WorkspaceCappedCounts> = {}
    if (workspaceIds.length === 0) return counts
    const [posts, accounts] = await Promise.all([
      countAttention(workspaceIds, AGENCY_ATTENTION_STATUSES),
      db
        .from('social_accounts')
        .whereIn('workspace_id', workspaceIds)
        .where('status', 'needs_reconnect')
        .groupBy('workspace_id')
        .select('workspace_id')
        .count('* as total'),
    ])
    const reconnect = new Map(accounts.map((row) => [row.workspace_id, Number(row.total)]))
    for (const id of workspaceIds) {
      const entry = posts.get(id) ?? {}
      const accountsToReconnect = reconnect.get(id) ?? 0
      counts[id] = {
        posts: entry,
        accountsToReconnect,
        total: Object.values(entry).reduce((sum, count) => sum + count.count, accountsToReconnect),
      }
    }
    return counts
  }
}
