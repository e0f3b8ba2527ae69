import Membership from '#models/membership'
import type Workspace from '#models/workspace'

/**
 * Members of a workspace with their user, owners first.
 */
export class ListMembersQuery {
  async execute(workspace: Workspace) {
    return Membership.query()
      .where('workspace_id', workspace.id)
      .preload('user')
      .orderByRaw(
        `array_position(array['owner','editor','approver','viewer']::membership_role[], role)`
      )
      .orderBy('created_at')
  }
}
