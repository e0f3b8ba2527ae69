import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import { CalendarQuery } from '#queries/calendar_query'
import { calendarHref, calendarPeriod } from '#queries/calendar_period'
import { calendarAfterMove, moveOnCalendar, movePage } from '#services/calendar_move'
import { postOfWorkspace } from '#services/post_lookup'

/**
 * The calendar of a workspace (month, week, day in its timezone), a post's
 * "Move" form, and moving a post from it (drag and drop, or "Move") for
 * htmx: the calendar comes back re-rendered with the outcome in words. The
 * Move page's plain form comes here too: redirected to the calendar, or the
 * page again with what was typed when it is refused (422).
 */
export default class CalendarController {
  @inject()
  async show({ bouncer, access, request, htmx }: HttpContext, calendarQuery: CalendarQuery) {
    await bouncer.with(WorkspacePolicy).authorize('view', access)
    const period = calendarPeriod(request.qs(), access.workspace.timezone)
    const calendar = await calendarQuery.execute(access.workspace, period)
    return htmx.render('pages/calendar/show', 'partials/calendar/calendar', { calendar })
  }

  /** The "Move" form of one post: into its chip for htmx, its own small page otherwise */
  async edit({ bouncer, access, params, request, htmx }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const post = await postOfWorkspace(access.workspace, params.post)
    const state = movePage(access.workspace, post, request.qs())
    return htmx.render('pages/calendar/move', 'partials/calendar/move_form', state)
  }

  @inject()
  async move(
    { bouncer, access, params, request, htmx, auth, response, session }: HttpContext,
    calendarQuery: CalendarQuery
  ) {
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const workspace = access.workspace
    const post = await postOfWorkspace(workspace, params.post)
    // The period on screen when the person moved it: the calendar comes back there.
    const shown = { view: request.input('view'), date: request.input('date') }
    const outcome = await moveOnCalendar(post, auth.getUserOrFail(), request.all(), workspace)
    if (!htmx.isRequest) {
      // The Move page's plain form: bad input comes back on it, as typed
      if (outcome.status === 422) {
        response.status(422)
        const page = { ...movePage(workspace, post, shown), form: outcome.form }
        return htmx.render('pages/calendar/move', 'partials/calendar/move_form', page)
      }
      session.flash(outcome.notice.tone, outcome.notice.text)
      const date = outcome.status === 200 ? outcome.date : shown.date
      return response.redirect(calendarHref(workspace.slug, { view: shown.view, date }))
    }
    response.status(outcome.status)
    return htmx.render(
      'pages/calendar/show',
      'partials/calendar/calendar',
      await calendarAfterMove(calendarQuery, workspace, shown, post.id, outcome)
    )
  }
}
