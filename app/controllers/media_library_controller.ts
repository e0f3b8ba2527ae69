import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import WorkspacePolicy from '#policies/workspace_policy'
import { updateMediaValidator, uploadMediaValidator } from '#validators/media'
import { MediaLibraryQuery } from '#queries/media_library_query'
import { UploadMedia, UploadRefusedError } from '#actions/media/upload_media'
import { UpdateMedia } from '#actions/media/update_media'
import { DeleteMedia, MediaInUseError } from '#actions/media/delete_media'

const PAGE = 'pages/media/index'
const LIBRARY = 'partials/media/library'
const TILE = 'partials/media/tile'

/**
 * The media library of a workspace: uploads and AI images, alt text,
 * delete (refused while a scheduled post uses the image). Viewers look only.
 */
@inject()
export default class MediaLibraryController {
  async index({ bouncer, access, request, htmx }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('view', access)
    const library = await new MediaLibraryQuery().execute(access.workspace, {
      page: Number(request.input('page', 1)),
      source: request.input('source'),
    })
    return htmx.render(PAGE, LIBRARY, { library })
  }

  @inject()
  async store({ bouncer, access, auth, request, htmx, session }: HttpContext, upload: UploadMedia) {
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const library = () => new MediaLibraryQuery().execute(access.workspace)
    const [invalid, input] = await request.tryValidateUsing(uploadMediaValidator)
    if (invalid) return htmx.invalid(PAGE, LIBRARY, invalid, { library: await library() })
    try {
      await upload.execute(access.workspace, auth.getUserOrFail(), input.file, input.uploadAltText)
    } catch (error) {
      if (!(error instanceof UploadRefusedError)) throw error
      return htmx.invalid(PAGE, LIBRARY, { file: [error.message] }, { library: await library() })
    }
    if (!htmx.isRequest) session.flash('success', 'The image was added to the library.')
    return htmx.isRequest
      ? htmx.render(PAGE, LIBRARY, { library: await library(), uploaded: true })
      : htmx.redirect(`/w/${access.workspace.slug}/media`)
  }

  async update({ bouncer, access, params, request, htmx }: HttpContext) {
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const asset = await MediaLibraryQuery.find(access.workspace, params.media)
    const [invalid, input] = await request.tryValidateUsing(updateMediaValidator)
    if (invalid) {
      return htmx.invalid(PAGE, TILE, invalid, { tile: await MediaLibraryQuery.tile(asset) })
    }
    await new UpdateMedia().execute(asset, input)
    if (!htmx.isRequest) return htmx.redirect(`/w/${access.workspace.slug}/media`)
    return htmx.render(PAGE, TILE, { tile: await MediaLibraryQuery.tile(asset), saved: true })
  }

  @inject()
  async destroy(
    { bouncer, access, params, htmx, session, view }: HttpContext,
    remove: DeleteMedia
  ) {
    await bouncer.with(WorkspacePolicy).authorize('editContent', access)
    const asset = await MediaLibraryQuery.find(access.workspace, params.media)
    try {
      await remove.execute(asset)
    } catch (error) {
      if (!(error instanceof MediaInUseError)) throw error
      if (!htmx.isRequest) {
        session.flash('error', error.message)
        return htmx.redirect(`/w/${access.workspace.slug}/media`)
      }
      const tile = await MediaLibraryQuery.tile(asset)
      return htmx.invalid(PAGE, TILE, {}, { tile, deleteError: error.message }, 409)
    }
    if (!htmx.isRequest) session.flash('success', 'The image was deleted.')
    return htmx.isRequest
      ? view.render('partials/media/deleted')
      : htmx.redirect(`/w/${access.workspace.slug}/media`)
  }
}
