import type Workspace from '#models/workspace'
import type { Role } from '#models/membership'

/**
 * What the signed-in user may do in one workspace: resolved once per request
 * by the workspace middleware and handed to WorkspacePolicy.
 * Agency admins act as owners of every workspace.
 */
export class WorkspaceAccess {
  constructor(
    readonly workspace: Workspace,
    readonly role: Role,
    readonly viaAdmin: boolean
  ) {}

  get canEditContent() {
    return this.role === 'owner' || this.role === 'editor'
  }

  get canApprove() {
    return this.role === 'owner' || this.role === 'approver'
  }

  get canManage() {
    return this.role === 'owner'
  }
}
