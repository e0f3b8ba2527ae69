import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import { PostsListQuery, POST_FILTERS, type PostFilter } from '#queries/posts_list_query'
import { PostDetailQuery } from '#queries/post_detail_query'
import { DeletePost } from '#actions/posts/delete_post'
import { postOfWorkspace } from '#services/post_lookup'
import { refusalTo } from '#services/transition_response'

/**
 * The posts of a workspace: the list with a filter per state, and one post
 * with each account's status, live link, attempts and the actions that fit.
 */
export default class PostsController {
  @inject()
  async index({ bouncer, access, request, htmx }: HttpContext, list: PostsListQuery) {
    await bouncer.with(WorkspacePolicy).authorize('view', access)
    const requested = String(request.input('status', 'all'))
    const filter: PostFilter = (POST_FILTERS as readonly string[]).includes(requested)
      ? (requested as PostFilter)
      : 'all'
    const page = Math.max(1, Number.parseInt(String(request.input('page', 1)), 10) || 1)
    const result = await list.execute(access.workspace, filter, page)
    return htmx.render('pages/posts/index', 'partials/posts/list', { ...result, filter })
  }

  @inject()
  async show({ bouncer, access, params, htmx }: HttpContext, query: PostDetailQuery) {
    await bouncer.with(WorkspacePolicy).authorize('view', access)
    const post = await postOfWorkspace(access.workspace, params.post)
    return htmx.render('pages/posts/show', 'partials/posts/detail', await query.execute(post))
  }

  async destroy(ctx: HttpContext) {
    const { bouncer, access, params, htmx, session, auth } = ctx
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const post = await postOfWorkspace(access.workspace, params.post)
    const refused = await refusalTo(ctx, () => new DeletePost().execute(post, auth.getUserOrFail()))
    if (refused) return
    session.flash('success', 'The post was deleted.')
    return htmx.redirect(`/w/${access.workspace.slug}/posts`)
  }
}
