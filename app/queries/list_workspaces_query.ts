import Workspace from '#models/workspace'
import type User from '#models/user'
import type { Role } from '#models/membership'

export interface WorkspaceCard {
  workspace: Workspace
  role: Role
}

/**
 * Workspaces on the agency dashboard and in the sidebar switcher: the user's
 * memberships, or every workspace for an admin (as owner).
 */
export class ListWorkspacesQuery {
  async execute(user: User, options: { archived?: boolean } = {}): Promise<WorkspaceCard[]> {
    const query = Workspace.query()
      .select('workspaces.*', 'memberships.role as member_role')
      .orderByRaw('lower(workspaces.name)')
    if (user.isAdmin) {
      query.leftJoin('memberships', (join) => {
        join
          .on('memberships.workspace_id', 'workspaces.id')
          .andOnVal('memberships.user_id', user.id)
      })
    } else {
      query
        .join('memberships', 'memberships.workspace_id', 'workspaces.id')
        .where('memberships.user_id', user.id)
    }
    if (options.archived) {
      query.whereNotNull('workspaces.archived_at')
    } else {
      query.whereNull('workspaces.archived_at')
    }
    const rows = await query
    return rows.map((workspace) => ({
      workspace,
      role: (workspace.$extras.member_role as Role | null) ?? 'owner',
    }))
  }
}
