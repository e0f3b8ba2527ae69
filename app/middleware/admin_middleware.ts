import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import NotFoundException from '#exceptions/not_found_exception'

/**
 * Admin pages: other users get a 404 (they need not know the page exists).
 * Runs after `auth`.
 */
export default class AdminMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!ctx.auth.user?.isAdmin) {
      throw new NotFoundException()
    }
    return next()
  }
}
