import Membership from '#models/membership'
import Workspace from '#models/workspace'
import type User from '#models/user'
import { WorkspaceAccess } from '#services/workspace_access'

/**
 * The user's access to the workspace with this slug, or null when they have
 * none (not a member, not an admin, or no such workspace).
 */
export class ResolveWorkspaceAccess {
  async execute(user: User, slug: string): Promise<WorkspaceAccess | null> {
    if (typeof slug !== 'string' || slug.length > 80) return null
    const workspace = await Workspace.findBy('slug', slug)
    if (!workspace) return null

    const membership = await Membership.query()
      .where('workspace_id', workspace.id)
      .where('user_id', user.id)
      .first()
    if (membership) return new WorkspaceAccess(workspace, membership.role, false)
    if (user.isAdmin) return new WorkspaceAccess(workspace, 'owner', true)
    return null
  }
}
