import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { FirstRunState } from '#services/first_run_state'

/**
 * Until the first admin exists, every page leads to /setup; afterwards /setup
 * is gone (404), so nobody can create a second "first" admin.
 */
export default class SetupMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { expect: 'pending' | 'done' }) {
    const done = await FirstRunState.isDone()
    if (options.expect === 'pending' && done) {
      return ctx.response.notFound('Not found')
    }
    if (options.expect === 'done' && !done) {
      return ctx.htmx.redirect('/setup')
    }
    return next()
  }
}
