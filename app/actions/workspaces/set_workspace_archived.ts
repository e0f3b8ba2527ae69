import { DateTime } from 'luxon'
import type Workspace from '#models/workspace'
import type User from '#models/user'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'

/**
 * Archives a client workspace (hidden from the dashboard, history kept) or
 * restores it.
 */
export class SetWorkspaceArchived {
  async execute(workspace: Workspace, archived: boolean, actor: User) {
    workspace.archivedAt = archived ? DateTime.now() : null
    await workspace.save()
    await new RecordAuditEvent().execute({
      action: archived ? 'workspace.archived' : 'workspace.restored',
      userId: actor.id,
      workspaceId: workspace.id,
      subject: { type: 'workspace', id: workspace.id },
    })
  }
}
