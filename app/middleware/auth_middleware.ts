import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'
import { ListWorkspacesQuery } from '#queries/list_workspaces_query'

/**
 * Signed-in users only; others go to the sign-in page (htmx requests get an
 * HX-Redirect through the exception handler). A deactivated user is signed out.
 */
export default class AuthMiddleware {
  redirectTo = '/login'

  async handle(
    ctx: HttpContext,
    next: NextFn,
    options: { guards?: (keyof Authenticators)[] } = {}
  ) {
    await ctx.auth.authenticateUsing(options.guards, { loginRoute: this.redirectTo })
    if (ctx.auth.user && !ctx.auth.user.isActive) {
      await ctx.auth.use('web').logout()
      ctx.session.flash('error', 'Your account has been deactivated.')
      return ctx.response.redirect(this.redirectTo)
    }
    /** The sidebar's workspace switcher, on every signed-in full page (fragments have no sidebar) */
    if (ctx.auth.user && !ctx.htmx.isRequest) {
      ctx.view.share({ switcher: await new ListWorkspacesQuery().execute(ctx.auth.user) })
    }
    return next()
  }
}
