import db from '@adonisjs/lucid/services/db'
import Membership, { type Role } from '#models/membership'
import User from '#models/user'
import type Workspace from '#models/workspace'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'

export type MemberResult = { ok: true } | { ok: false; field?: string; message: string }

/**
 * Adds people to a workspace, changes their role, removes them. A workspace
 * always keeps at least one owner.
 */
export class ManageMembers {
  async add(workspace: Workspace, email: string, role: Role, actor: User): Promise<MemberResult> {
    const user = await User.findBy('email', email)
    if (!user) {
      return {
        ok: false,
        field: 'email',
        message:
          'No Herald user has this email address. An admin can create them on the Users page.',
      }
    }
    const existing = await Membership.query()
      .where('workspace_id', workspace.id)
      .where('user_id', user.id)
      .first()
    if (existing) {
      return { ok: false, field: 'email', message: `${user.fullName} is already a member.` }
    }
    await Membership.create({ workspaceId: workspace.id, userId: user.id, role })
    await this.#audit('member.added', workspace, actor, user.id, { role })
    return { ok: true }
  }

  async changeRole(membership: Membership, role: Role, actor: User): Promise<MemberResult> {
    return db.transaction(async (trx) => {
      const locked = await Membership.query({ client: trx })
        .where('workspace_id', membership.workspaceId)
        .forUpdate()
      if (membership.role === 'owner' && role !== 'owner' && this.#owners(locked) <= 1) {
        return {
          ok: false,
          message: 'A workspace needs at least one owner. Make someone else owner first.',
        }
      }
      membership.useTransaction(trx)
      membership.role = role
      await membership.save()
      await this.#audit(
        'member.role_changed',
        { id: membership.workspaceId },
        actor,
        membership.userId,
        { role }
      )
      return { ok: true } as const
    })
  }

  async remove(membership: Membership, actor: User): Promise<MemberResult> {
    return db.transaction(async (trx) => {
      const locked = await Membership.query({ client: trx })
        .where('workspace_id', membership.workspaceId)
        .forUpdate()
      if (membership.role === 'owner' && this.#owners(locked) <= 1) {
        return {
          ok: false,
          message: 'The last owner cannot be removed. Make someone else owner first.',
        }
      }
      membership.useTransaction(trx)
      await membership.delete()
      await this.#audit('member.removed', { id: membership.workspaceId }, actor, membership.userId)
      return { ok: true } as const
    })
  }

  #owners(memberships: Membership[]) {
    return memberships.filter((row) => row.role === 'owner').length
  }

  #audit(
    action: string,
    workspace: { id: number },
    actor: User,
    memberUserId: number,
    meta: Record<string, unknown> = {}
  ) {
    return new RecordAuditEvent().execute({
      action,
      userId: actor.id,
      workspaceId: workspace.id,
      subject: { type: 'user', id: memberUserId },
      meta,
    })
  }
}
