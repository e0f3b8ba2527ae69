import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import { ReschedulePost } from '#actions/posts/reschedule_post'
import { UnschedulePost } from '#actions/posts/unschedule_post'
import { rescheduleValidator } from '#validators/post'
import { parseScheduleTime } from '#publishing/schedule_time'
import { postOfWorkspace } from '#services/post_lookup'
import { refusalTo } from '#services/transition_response'
import { calendarHref } from '#queries/calendar_period'

/**
 * A post's time: move it (post page, calendar) or take it off the schedule.
 */
export default class PostScheduleController {
  async update(ctx: HttpContext) {
    const { bouncer, access, params, request, session, htmx, auth } = ctx
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const post = await postOfWorkspace(access.workspace, params.post)
    const back = backTo(ctx, post.id)
    const [error, input] = await request.tryValidateUsing(rescheduleValidator)
    const zone = access.workspace.timezone
    const parsed = error
      ? undefined
      : parseScheduleTime(input.scheduleDate, input.scheduleTime, zone)
    if (!parsed || !parsed.ok) {
      session.flash('error', parsed && !parsed.ok ? parsed.message : 'Enter a date and a time.')
      return htmx.redirect(back)
    }
    const refused = await refusalTo(
      ctx,
      async () => {
        await new ReschedulePost().execute(post, auth.getUserOrFail(), parsed.at, zone)
        session.flash(
          'success',
          `Moved to ${parsed.at.toFormat('ccc d LLL yyyy, HH:mm')} (${zone}, UTC${parsed.at.toFormat('ZZ')}).`
        )
      },
      back
    )
    if (refused) return
    return htmx.redirect(backTo(ctx, post.id, parsed.at.toISODate()!))
  }

  async destroy(ctx: HttpContext) {
    const { bouncer, access, params, session, htmx, auth } = ctx
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const post = await postOfWorkspace(access.workspace, params.post)
    const refused = await refusalTo(ctx, async () => {
      await new UnschedulePost().execute(post, auth.getUserOrFail())
      session.flash('success', 'Taken off the schedule; it is a draft again.')
    })
    if (refused) return
    return htmx.redirect(`/w/${access.workspace.slug}/posts/${post.id}`)
  }
}

/**
 * Where a move returns: the post, or with back=calendar the calendar's period
 * on screen (view, date), at the post's new day once it moved.
 */
function backTo({ request, access }: HttpContext, postId: number, movedTo?: string) {
  const slug = access.workspace.slug
  if (request.input('back') !== 'calendar') return `/w/${slug}/posts/${postId}`
  return calendarHref(slug, { view: request.input('view'), date: movedTo ?? request.input('date') })
}
