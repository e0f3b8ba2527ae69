import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { Infer } from '@vinejs/vine/types'
import WorkspacePolicy from '#policies/workspace_policy'
import type Post from '#models/post'
import PostTarget from '#models/post_target'
import { ComposePost, type ComposeInput } from '#actions/posts/compose_post'
import { ComposerQuery } from '#queries/composer_query'
import { composePostValidator } from '#validators/post'
import { draftFromForm, draftFromPost, emptyDraft } from '#publishing/composer_draft'
import type { ComposerDraft } from '#publishing/composer_draft'
import { parseScheduleTime } from '#publishing/schedule_time'
import { postOfWorkspace } from '#services/post_lookup'
import { scheduledMessage } from '#publishing/messages'
import { toFormErrors } from '#services/htmx'

const PAGE = 'pages/compose/edit'
const FORM = 'partials/compose/form'
const LIVE = 'partials/compose/live'

/**
 * The composer: write once, adapt per account, then save, ask for approval,
 * schedule or publish now. Its live parts (counters, previews, the publishers'
 * validation) re-render on the preview endpoint as the person types.
 */
@inject()
export default class ComposerController {
  constructor(
    private query: ComposerQuery,
    private compose: ComposePost
  ) {}

  async create({ bouncer, access, htmx }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const composer = await this.query.execute(
      access.workspace,
      emptyDraft(access.workspace.timezone)
    )
    return htmx.render(PAGE, FORM, { composer, post: null })
  }

  async edit({ bouncer, access, htmx, params, response, session }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const post = await postOfWorkspace(access.workspace, params.post)
    const targets = await PostTarget.query().where('post_id', post.id).orderBy('id')
    if (targets.some((target) => ['publishing', 'published', 'unknown'].includes(target.status))) {
      session.flash('error', 'This post went out (or is going out), so it cannot be edited.')
      return response.redirect(`/w/${access.workspace.slug}/posts/${post.id}`)
    }
    await post.load('media', (media) => media.orderBy('post_media.position'))
    const draft = draftFromPost(
      post,
      targets,
      post.media.map((asset) => asset.id),
      access.workspace.timezone
    )
    const composer = await this.query.execute(access.workspace, draft)
    return htmx.render(PAGE, FORM, { composer, post })
  }

  /** Re-renders the form (structural changes) or only its live parts (typing) */
  async preview({ bouncer, access, request, view, response }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const [error, form] = await request.tryValidateUsing(composePostValidator)
    if (error) return response.status(204)
    const post = request.input('postId')
      ? await postOfWorkspace(access.workspace, String(request.input('postId')))
      : null
    const composer = await this.query.execute(access.workspace, draftFromForm(form))
    response.append('Vary', 'HX-Request')
    return view.render(request.input('live') ? LIVE : FORM, { composer, post })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(WorkspacePolicy).authorize('editContent', ctx.access)
    return this.#save(ctx)
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with(WorkspacePolicy).authorize('editContent', ctx.access)
    return this.#save(ctx, await postOfWorkspace(ctx.access.workspace, ctx.params.post))
  }

  async #save({ access, auth, request, htmx, session }: HttpContext, post?: Post) {
    const invalid = async (errors: Record<string, string[]>, draft?: ComposerDraft) => {
      const composer = await this.query.execute(
        access.workspace,
        draft ?? emptyDraft(access.workspace.timezone)
      )
      return htmx.invalid(PAGE, FORM, errors, { composer, post: post ?? null })
    }
    const [error, form] = await request.tryValidateUsing(composePostValidator)
    if (error) return invalid(toFormErrors(error))
    const draft = draftFromForm(form)
    const input = toComposeInput(form, draft, access.workspace.timezone)
    if ('errors' in input) return invalid(input.errors, draft)

    const result = await this.compose.execute(access, auth.getUserOrFail(), input, post)
    if (!result.ok) return invalid(result.errors, draft)
    session.flash('success', scheduledMessage(result.post, input.intent, access.workspace))
    return htmx.redirect(`/w/${access.workspace.slug}/posts/${result.post.id}`)
  }
}

type ComposeForm = Infer<typeof composePostValidator>

function toComposeInput(
  form: ComposeForm,
  draft: ComposerDraft,
  zone: string
): ComposeInput | { errors: Record<string, string[]> } {
  const intent = form.intent ?? 'save'
  let scheduleAt: ComposeInput['scheduleAt']
  if (draft.scheduleDate && draft.scheduleTime) {
    const parsed = parseScheduleTime(draft.scheduleDate, draft.scheduleTime, zone)
    if (!parsed.ok && intent === 'schedule') return { errors: { scheduleAt: [parsed.message] } }
    if (parsed.ok) scheduleAt = parsed.at
  }
  return {
    baseText: draft.baseText,
    mediaIds: draft.mediaIds,
    targets: draft.accountIds.map((accountId) => ({
      accountId,
      parts: draft.variants.get(accountId) ?? null,
    })),
    intent,
    scheduleAt,
  }
}
