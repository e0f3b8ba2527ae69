import { type HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Htmx } from '#services/htmx'

/**
 * Adds `ctx.htmx`: one place for every HX-* header rule (fragments,
 * redirects, 422 re-renders, Vary).
 */
export default class HtmxMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    ctx.htmx = new Htmx(ctx)
    ctx.view.share({ isHtmx: ctx.htmx.isRequest })
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    htmx: Htmx
  }
}
