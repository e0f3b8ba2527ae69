import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * One JSON line per request (method, path, status, duration), written with
 * the request's logger so it carries the same request_id as every other line
 * logged while serving it. Health probes are left out.
 */
export default class RequestLoggerMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const url = ctx.request.url()
    if (url === '/health' || url === '/ready') return next()

    const started = process.hrtime.bigint()
    try {
      await next()
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      ctx.logger.info(
        {
          method: ctx.request.method(),
          path: url,
          status: ctx.response.getStatus(),
          ms: Math.round(ms * 10) / 10,
        },
        'request'
      )
    }
  }
}
