import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import { ApprovePost } from '#actions/posts/approve_post'
import { RejectPost } from '#actions/posts/reject_post'
import { approvalValidator, rejectionValidator } from '#validators/post'
import { postOfWorkspace } from '#services/post_lookup'
import { refusalTo } from '#services/transition_response'

/**
 * Approvers approve a post (held targets go out at once) or send it back
 * with a comment.
 */
export default class ApprovalsController {
  async approve(ctx: HttpContext) {
    const { bouncer, access, params, request, session, htmx, auth } = ctx
    await bouncer.with(WorkspacePolicy).authorize('approve', access)
    const post = await postOfWorkspace(access.workspace, params.post)
    const { comment } = await request.validateUsing(approvalValidator)
    const refused = await refusalTo(ctx, async () => {
      const { released } = await new ApprovePost().execute(
        post,
        auth.getUserOrFail(),
        comment ?? null
      )
      session.flash(
        'success',
        released > 0 ? 'Approved. It was held past its time, so it goes out now.' : 'Approved.'
      )
    })
    if (refused) return
    return htmx.redirect(`/w/${access.workspace.slug}/posts/${post.id}`)
  }

  async reject(ctx: HttpContext) {
    const { bouncer, access, params, request, session, htmx, auth } = ctx
    await bouncer.with(WorkspacePolicy).authorize('approve', access)
    const post = await postOfWorkspace(access.workspace, params.post)
    const [error, input] = await request.tryValidateUsing(rejectionValidator)
    if (error) {
      session.flash(
        'error',
        'Say what needs to change (at least a few words) when sending a post back.'
      )
      return htmx.redirect(`/w/${access.workspace.slug}/posts/${post.id}`)
    }
    const refused = await refusalTo(ctx, async () => {
      await new RejectPost().execute(post, auth.getUserOrFail(), input.comment)
      session.flash('success', 'Sent back to the author with your comment.')
    })
    if (refused) return
    return htmx.redirect(`/w/${access.workspace.slug}/posts/${post.id}`)
  }
}
