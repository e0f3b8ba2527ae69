import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import NotFoundException from '#exceptions/not_found_exception'
import { CreateWorkspace } from '#actions/workspaces/create_workspace'
import { UpdateWorkspace } from '#actions/workspaces/update_workspace'
import { SetWorkspaceArchived } from '#actions/workspaces/set_workspace_archived'
import { createWorkspaceValidator, updateWorkspaceValidator } from '#validators/workspace'
import { TIMEZONES } from '#validators/rules'
import { WorkspaceDashboardQuery } from '#queries/workspace_dashboard_query'

/**
 * Client workspaces: create (admins), the workspace dashboard, settings, archive.
 */
export default class WorkspacesController {
  async create({ auth, htmx }: HttpContext) {
    if (!auth.getUserOrFail().isAdmin) throw new NotFoundException()
    return htmx.render('pages/workspaces/create', 'partials/workspaces/form', {
      timezones: TIMEZONES,
    })
  }

  async store({ auth, request, htmx }: HttpContext) {
    const user = auth.getUserOrFail()
    if (!user.isAdmin) throw new NotFoundException()

    const [error, input] = await request.tryValidateUsing(createWorkspaceValidator)
    if (error) {
      return htmx.invalid('pages/workspaces/create', 'partials/workspaces/form', error, {
        timezones: TIMEZONES,
      })
    }
    const workspace = await new CreateWorkspace().execute(input, user)
    return htmx.redirect(`/w/${workspace.slug}`)
  }

  @inject()
  async show({ bouncer, access, htmx }: HttpContext, query: WorkspaceDashboardQuery) {
    await bouncer.with(WorkspacePolicy).authorize('view', access)
    const dashboard = await query.execute(access.workspace)
    return htmx.render('pages/workspaces/show', 'partials/dashboard/sections', { dashboard })
  }

  async edit({ bouncer, access, htmx, session }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('manage', access)
    return htmx.render('pages/workspaces/settings', 'partials/workspaces/settings_form', {
      timezones: TIMEZONES,
      saved: session.flashMessages.get('saved'),
    })
  }

  async update({ bouncer, access, request, htmx, auth, session }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('manage', access)
    const [error, input] = await request.tryValidateUsing(updateWorkspaceValidator)
    if (error) {
      return htmx.invalid('pages/workspaces/settings', 'partials/workspaces/settings_form', error, {
        timezones: TIMEZONES,
      })
    }
    await new UpdateWorkspace().execute(access.workspace, input, auth.getUserOrFail())
    session.flash('saved', true)
    return htmx.redirect(`/w/${access.workspace.slug}/settings`)
  }

  async archive({ bouncer, access, auth, response, session }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('manage', access)
    await new SetWorkspaceArchived().execute(access.workspace, true, auth.getUserOrFail())
    session.flash('success', `${access.workspace.name} was archived. Its history is kept.`)
    return response.redirect('/')
  }

  async restore({ bouncer, access, auth, response, session }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('manage', access)
    await new SetWorkspaceArchived().execute(access.workspace, false, auth.getUserOrFail())
    session.flash('success', `${access.workspace.name} is active again.`)
    return response.redirect(`/w/${access.workspace.slug}`)
  }
}
