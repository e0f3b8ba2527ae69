import app from '@adonisjs/core/services/app'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'

export default class HttpExceptionHandler extends ExceptionHandler {
  /**
   * Stack traces (youch) only while developing.
   */
  protected debug = app.inDev

  /**
   * Friendly pages for HTML requests everywhere else.
   */
  protected renderStatusPages = true

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': (error, { view }) => view.render('pages/errors/forbidden', { error }),
    '404': (error, { view }) => view.render('pages/errors/not_found', { error }),
    '500..599': (error, { view }) => view.render('pages/errors/server_error', { error }),
  }

  async handle(error: unknown, ctx: HttpContext) {
    const code = (error as { code?: string }).code
    const wantsFragment = ctx.request.header('hx-request') === 'true'
    const wantsJson = ctx.request.accepts(['html', 'json']) === 'json'

    /**
     * Shield redirects back on a bad CSRF token. A redirect means nothing to
     * htmx or a JSON client (htmx would follow it and swap the page in), so
     * they get a plain 403.
     */
    if (code === 'E_BAD_CSRF_TOKEN' && (wantsFragment || wantsJson)) {
      return ctx.response
        .status(403)
        .send(
          wantsJson
            ? { error: 'The form expired (CSRF token mismatch). Reload the page and try again.' }
            : 'The form expired. Reload the page and try again.'
        )
    }

    /**
     * A member without the role for an action: plain forms are sent back with
     * the reason flashed (Bouncer's default); htmx gets the 403 and its words.
     */
    if (code === 'E_AUTHORIZATION_FAILURE' && wantsFragment) {
      const denial = error as { response?: { message?: string }; message: string }
      return ctx.response.status(403).send(denial.response?.message ?? denial.message)
    }

    /**
     * A session that ended while a page was open: send htmx to sign-in.
     */
    if (code === 'E_UNAUTHORIZED_ACCESS' && wantsFragment) {
      ctx.response.header('HX-Redirect', '/login')
      return ctx.response.status(401).send('Sign in again to continue.')
    }

    return super.handle(error, ctx)
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }
}
