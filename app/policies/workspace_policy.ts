import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import { AuthorizationResponse } from '@adonisjs/bouncer'
import type User from '#models/user'
import type { WorkspaceAccess } from '#services/workspace_access'

/**
 * What a member may do in a workspace, by role. The workspace middleware has
 * already turned non-members away with a 404; members without the right role
 * get a 403 with a sentence saying why.
 */
export default class WorkspacePolicy extends BasePolicy {
  view(_user: User, _access: WorkspaceAccess): AuthorizerResponse {
    return true
  }

  editContent(_user: User, access: WorkspaceAccess): AuthorizerResponse {
    return access.canEditContent || denied('Viewers and approvers cannot edit posts.')
  }

  approve(_user: User, access: WorkspaceAccess): AuthorizerResponse {
    return access.canApprove || denied('Only owners and approvers can approve posts.')
  }

  /** Connect, reconnect and disconnect social accounts, check a platform's setup */
  manageAccounts(_user: User, access: WorkspaceAccess): AuthorizerResponse {
    return (
      access.canEditContent ||
      denied('Only owners and editors can connect, reconnect or disconnect accounts.')
    )
  }

  manage(_user: User, access: WorkspaceAccess): AuthorizerResponse {
    return access.canManage || denied('Only the workspace owner can change its settings.')
  }
}

function denied(message: string) {
  return AuthorizationResponse.deny(message, 403)
}
