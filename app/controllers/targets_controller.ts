import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import { RetryTarget } from '#actions/posts/retry_target'
import { ResolveUnknownByPerson } from '#actions/posts/resolve_unknown_by_person'
import { resolveTargetValidator } from '#validators/post'
import { postOfWorkspace, targetOfPost } from '#services/post_lookup'
import { refusalTo } from '#services/transition_response'

/**
 * What a person does with one account of a post: retry it after a failure,
 * or settle an unknown outcome after checking the account.
 */
export default class TargetsController {
  async retry(ctx: HttpContext) {
    const { bouncer, access, params, session, htmx, auth } = ctx
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const post = await postOfWorkspace(access.workspace, params.post)
    const target = await targetOfPost(post, params.target)
    const refused = await refusalTo(ctx, async () => {
      await new RetryTarget().execute(target, auth.getUserOrFail())
      session.flash('success', 'Queued again: it goes out now.')
    })
    if (refused) return
    return htmx.redirect(`/w/${access.workspace.slug}/posts/${post.id}`)
  }

  async resolve(ctx: HttpContext) {
    const { bouncer, access, params, request, session, htmx, auth } = ctx
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const post = await postOfWorkspace(access.workspace, params.post)
    const target = await targetOfPost(post, params.target)
    const [error, input] = await request.tryValidateUsing(resolveTargetValidator)
    if (error) {
      session.flash(
        'error',
        'Paste the link of the live post (starting with https://) to mark it published.'
      )
      return htmx.redirect(`/w/${access.workspace.slug}/posts/${post.id}`)
    }
    const refused = await refusalTo(ctx, async () => {
      await new ResolveUnknownByPerson().execute(
        target,
        auth.getUserOrFail(),
        input.resolution === 'published'
          ? { kind: 'published', url: input.url! }
          : { kind: 'publish_again' }
      )
      session.flash(
        'success',
        input.resolution === 'published' ? 'Marked as published.' : 'Publishing it again now.'
      )
    })
    if (refused) return
    return htmx.redirect(`/w/${access.workspace.slug}/posts/${post.id}`)
  }
}
