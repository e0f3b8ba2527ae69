import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import { ComposePageQuery } from '#queries/compose_page_query'
import { ImageGenerationQuery } from '#queries/image_generation_query'

/**
 * The composer, minimal for now: the post text, the networks it is for and
 * the AI panels (text streamed into the text, images into the media
 * library). The publishing work replaces this page and keeps the panels.
 */
@inject()
export default class ComposeController {
  constructor(private page: ComposePageQuery) {}

  async show({ bouncer, access, auth, request, view }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('view', access)
    const imageId = request.input('image')
    const image = imageId
      ? await new ImageGenerationQuery().execute(access.workspace, imageId)
      : undefined
    const generation = image?.generation
    const state = await this.page.execute(access, auth.getUserOrFail(), { generation })
    return view.render('pages/compose/show', state)
  }
}
