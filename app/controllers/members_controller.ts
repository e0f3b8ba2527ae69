import type { HttpContext } from '@adonisjs/core/http'
import Membership from '#models/membership'
import WorkspacePolicy from '#policies/workspace_policy'
import NotFoundException from '#exceptions/not_found_exception'
import { ManageMembers } from '#actions/workspaces/manage_members'
import { ListMembersQuery } from '#queries/list_members_query'
import { addMemberValidator, changeRoleValidator } from '#validators/workspace'

const PAGE = 'pages/workspaces/members'
const PARTIAL = 'partials/members/panel'

/**
 * Who works on a workspace, and in which role.
 */
export default class MembersController {
  async index({ bouncer, access, htmx }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('view', access)
    const members = await new ListMembersQuery().execute(access.workspace)
    return htmx.render(PAGE, PARTIAL, { members })
  }

  async store({ bouncer, access, request, htmx, auth }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('manage', access)
    const [error, input] = await request.tryValidateUsing(addMemberValidator)
    const members = () => new ListMembersQuery().execute(access.workspace)
    if (error) return htmx.invalid(PAGE, PARTIAL, error, { members: await members() })

    const result = await new ManageMembers().add(
      access.workspace,
      input.email,
      input.role,
      auth.getUserOrFail()
    )
    if (!result.ok) {
      return htmx.invalid(
        PAGE,
        PARTIAL,
        { [result.field ?? 'email']: [result.message] },
        { members: await members() }
      )
    }
    return htmx.redirect(`/w/${access.workspace.slug}/members`)
  }

  async update({ bouncer, access, request, htmx, auth, params, session }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('manage', access)
    const membership = await this.#find(access.workspace.id, params.membership)
    const [error, input] = await request.tryValidateUsing(changeRoleValidator)
    const members = () => new ListMembersQuery().execute(access.workspace)
    if (error) return htmx.invalid(PAGE, PARTIAL, error, { members: await members() })

    const result = await new ManageMembers().changeRole(
      membership,
      input.role,
      auth.getUserOrFail()
    )
    if (!result.ok) session.flash('error', result.message)
    return htmx.redirect(`/w/${access.workspace.slug}/members`)
  }

  async destroy({ bouncer, access, htmx, auth, params, session }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('manage', access)
    const membership = await this.#find(access.workspace.id, params.membership)
    const result = await new ManageMembers().remove(membership, auth.getUserOrFail())
    if (!result.ok) session.flash('error', result.message)
    return htmx.redirect(`/w/${access.workspace.slug}/members`)
  }

  /** Memberships of this workspace only: another workspace's id is a 404 */
  async #find(workspaceId: number, id: string) {
    const membership = /^\d{1,9}$/.test(id)
      ? await Membership.query().where('workspace_id', workspaceId).where('id', id).first()
      : null
    if (!membership) throw new NotFoundException()
    return membership
  }
}
