import SocialAccount from '#models/social_account'
import type Workspace from '#models/workspace'
import type { PendingConnection } from '#services/pending_connections'
import { handleLabel } from '#queries/accounts_page_query'

/** One account the person may add, as the picker shows it (never its token) */
export interface CandidateView {
  externalId: string
  displayName: string
  handle: string
  handleLabel: string
  avatarUrl: string | null
  /** Already in this workspace: picking it renews that account */
  existing: { id: number; status: SocialAccount['status'] } | null
}

/**
 * The picker after a sign-in that reached several accounts: each candidate
 * without its token, and whether the workspace already has it.
 */
export class PendingConnectionQuery {
  async execute(pending: PendingConnection, workspace: Workspace) {
    const existing = await SocialAccount.query()
      .where({ workspace_id: workspace.id, plugin_id: pending.row.pluginId })
      .whereIn(
        'external_id',
        pending.candidates.map((candidate) => candidate.externalId)
      )
    const byExternalId = new Map(existing.map((account) => [account.externalId, account]))
    const candidates: CandidateView[] = pending.candidates.map((candidate) => {
      const account = byExternalId.get(candidate.externalId)
      return {
        externalId: candidate.externalId,
        displayName: candidate.displayName,
        handle: candidate.handle,
        handleLabel: handleLabel(candidate.handle, candidate.externalId),
        avatarUrl: candidate.avatarUrl ?? null,
        existing: account ? { id: account.id, status: account.status } : null,
      }
    })
    return { pendingId: pending.row.id, pluginId: pending.row.pluginId, candidates }
  }
}
