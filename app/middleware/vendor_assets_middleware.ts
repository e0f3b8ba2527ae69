import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Browser libraries served from their pinned npm packages (no CDN, no copy
 * step): /vendor/<name> maps to one file in node_modules. Runs before the
 * router, so these requests touch no session.
 */
const VENDOR_FILES: Record<string, string> = {
  'htmx.js': 'node_modules/htmx.org/dist/htmx.min.js',
}

export default class VendorAssetsMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const url = ctx.request.url()
    if (!url.startsWith('/vendor/') || !['GET', 'HEAD'].includes(ctx.request.method())) {
      return next()
    }
    const file = VENDOR_FILES[url.slice('/vendor/'.length)]
    if (!file) return next()

    const path = app.makePath(file)
    const info = await stat(path)
    ctx.response.header('content-type', 'text/javascript; charset=utf-8')
    ctx.response.header('content-length', String(info.size))
    ctx.response.header('cache-control', 'public, max-age=86400')
    ctx.response.stream(createReadStream(path))
  }
}
