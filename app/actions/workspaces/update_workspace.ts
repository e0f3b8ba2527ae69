import type Workspace from '#models/workspace'
import type User from '#models/user'
import { type WorkspaceInput, workspaceAttributes } from '#actions/workspaces/create_workspace'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'

/**
 * Saves a workspace's settings (name, timezone, brand voice, AI defaults).
 */
export class UpdateWorkspace {
  async execute(workspace: Workspace, input: Omit<WorkspaceInput, 'slug'>, actor: User) {
    workspace.merge({
      ...workspaceAttributes(input),
      color: input.color ?? workspace.color,
    })
    const changed = Object.keys(workspace.$dirty)
    await workspace.save()
    await new RecordAuditEvent().execute({
      action: 'workspace.updated',
      userId: actor.id,
      workspaceId: workspace.id,
      subject: { type: 'workspace', id: workspace.id },
      meta: { changed },
    })
    return workspace
  }
}
