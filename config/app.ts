import env from '#start/env'
import { defineConfig } from '@adonisjs/core/http'

/**
 * The public address of this Herald instance. OAuth callback URLs and public
 * media URLs are built from it.
 */
export const appUrl = env.get('APP_URL', `http://localhost:${env.get('PORT', 3333)}`)

export const http = defineConfig({
  /**
   * A request id on every request; the logger adds it to every line logged
   * while serving it (ctx.logger).
   */
  generateRequestId: true,

  /**
   * Plain HTML forms spoof PUT/DELETE with `_method`, so every core form works
   * without JavaScript.
   */
  allowMethodSpoofing: true,

  /**
   * AsyncLocalStorage lets actions log with the request id without receiving
   * the HttpContext.
   */
  useAsyncLocalStorage: true,

  /**
   * Behind a reverse proxy (Docker deployments), trust X-Forwarded-* from it.
   */
  trustProxy: () => true,

  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: appUrl.startsWith('https://'),
    sameSite: 'lax',
  },
})
