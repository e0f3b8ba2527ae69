import User from '#models/user'
import type Workspace from '#models/workspace'
import Membership, { type Role } from '#models/membership'
import { CreateWorkspace } from '#actions/workspaces/create_workspace'

let sequence = 0

/** A user with a known password ("correct horse battery") */
export async function createUser(
  overrides: Partial<{ fullName: string; email: string; isAdmin: boolean }> = {}
) {
  sequence++
  return User.create({
    fullName: overrides.fullName ?? `Person ${sequence}`,
    email: overrides.email ?? `person${sequence}-${Date.now()}@agency.test`,
    password: PASSWORD,
    isAdmin: overrides.isAdmin ?? false,
  })
}

export const PASSWORD = 'correct horse battery'

/** A workspace owned by the given user (created as admin would) */
export async function createWorkspace(
  owner: User,
  overrides: Partial<{ name: string; timezone: string }> = {}
) {
  sequence++
  return new CreateWorkspace().execute(
    {
      name: overrides.name ?? `Client ${sequence}`,
      timezone: overrides.timezone ?? 'Europe/Berlin',
    },
    owner
  )
}

export async function addMember(workspace: Workspace, user: User, role: Role) {
  return Membership.create({ workspaceId: workspace.id, userId: user.id, role })
}
