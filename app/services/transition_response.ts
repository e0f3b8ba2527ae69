import type { HttpContext } from '@adonisjs/core/http'
import { TransitionRefused } from '#actions/posts/post_transition'

/**
 * Runs a post transition for a controller: a refusal (the post is not in a
 * state that allows it) goes back to the post with the reason flashed, or as
 * a 409 with the reason for htmx. True when it was refused (the response is set).
 */
export async function refusalTo(
  ctx: HttpContext,
  run: () => Promise<unknown>,
  back?: string
): Promise<boolean> {
  try {
    await run()
    return false
  } catch (error) {
    if (!(error instanceof TransitionRefused)) throw error
    if (ctx.htmx.isRequest) {
      ctx.response.status(409).send(error.message)
    } else {
      ctx.session.flash('error', error.message)
      ctx.response.redirect(back ?? `/w/${ctx.access.workspace.slug}/posts/${ctx.params.post}`)
    }
    return true
  }
}
