import type { HttpContext } from '@adonisjs/core/http'
import { ListWorkspacesQuery } from '#queries/list_workspaces_query'
import { AGENCY_ATTENTION_STATUSES, AgencyDashboardQuery } from '#queries/agency_dashboard_query'

/**
 * The agency dashboard: the client workspaces this person works on, each
 * with what needs attention there.
 */
export default class DashboardController {
  async index({ auth, request, htmx }: HttpContext) {
    const archived = request.input('archived') === '1'
    const cards = await new ListWorkspacesQuery().execute(auth.getUserOrFail(), { archived })
    const attention = await new AgencyDashboardQuery().execute(
      cards.map((card) => card.workspace.id)
    )
    return htmx.render('pages/dashboard/index', 'partials/workspaces/list', {
      cards,
      archived,
      attention,
      attentionStatuses: AGENCY_ATTENTION_STATUSES,
    })
  }
}
