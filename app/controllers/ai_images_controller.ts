import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import { imageGenerationValidator } from '#validators/ai'
import { RequestImage } from '#actions/ai/request_image'
import { AiRequestError } from '#ai/request_error'
import { BudgetReachedError } from '#ai/budget'
import { ComposerPageQuery } from '#queries/composer_page_query'
import { emptyDraft } from '#publishing/composer_draft'
import { ImageGenerationQuery } from '#queries/image_generation_query'

const PAGE = 'pages/compose/edit'
const PANEL = 'partials/ai/image_panel'

/**
 * AI images from the composer's image panel: the request queues a job and
 * answers the panel with the generation's status, which polls `show` until
 * the image is in the media library. Without JavaScript the composer page
 * shows the status (`?image=<id>`).
 */
@inject()
export default class AiImagesController {
  constructor(
    private requestImage: RequestImage,
    private page: ComposerPageQuery
  ) {}

  async store({ bouncer, access, auth, request, htmx, view }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const user = auth.getUserOrFail()
    const page = (generation?: Awaited<ReturnType<RequestImage['execute']>>) =>
      this.page.execute(access, user, emptyDraft(access.workspace.timezone), { generation })
    const [invalid, input] = await request.tryValidateUsing(imageGenerationValidator)
    if (invalid) return htmx.invalid(PAGE, PANEL, invalid, await page())
    try {
      const generation = await this.requestImage.execute({
        workspace: access.workspace,
        user,
        prompt: input.imagePrompt,
        model: input.imageModel,
        aspectRatio: input.aspectRatio,
      })
      if (!htmx.isRequest)
        return htmx.redirect(`/w/${access.workspace.slug}/compose?image=${generation.id}`)
      // The form keeps what was asked, to tweak and generate again.
      view.share({ formValues: request.only(['imagePrompt', 'imageModel', 'aspectRatio']) })
      return htmx.render(PAGE, PANEL, await page(generation))
    } catch (error) {
      if (!(error instanceof AiRequestError || error instanceof BudgetReachedError)) throw error
      const field =
        error instanceof AiRequestError && error.field === 'model' ? 'imageModel' : 'imagePrompt'
      const status = error instanceof AiRequestError ? error.status : 402
      return htmx.invalid(PAGE, PANEL, { [field]: [error.message] }, await page(), status)
    }
  }

  async show({ bouncer, access, params, view, response }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('view', access)
    const status = await new ImageGenerationQuery().execute(access.workspace, params.generation)
    response.header('Cache-Control', 'no-store')
    return view.render('partials/ai/image_status', { status, workspace: access.workspace })
  }
}
