import type User from '#models/user'
import type Workspace from '#models/workspace'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'

/** Sets (or, with null, removes) a workspace's monthly AI budget; audited */
export class UpdateAiBudget {
  async execute(workspace: Workspace, budgetUsd: number | null, actor: User) {
    const previous = workspace.monthlyAiBudgetUsd ?? null
    workspace.monthlyAiBudgetUsd = budgetUsd as number
    await workspace.save()
    await new RecordAuditEvent().execute({
      action: 'workspace.ai_budget_changed',
      userId: actor.id,
      workspaceId: workspace.id,
      subject: { type: 'workspace', id: workspace.id },
      meta: { from: previous, to: budgetUsd },
    })
    return workspace
  }
}
