import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import ejs from 'ejs'
import type { HttpContext } from '@adonisjs/core/http'
import type {
  AppControllerRoute,
  AppViewRoute,
  BullBoardQueues,
  ControllerHandlerReturnType,
  HTTPMethod,
  IServerAdapter,
  UIConfig,
} from '@bull-board/api/typings/app'

/**
 * bull-board behind AdonisJS: an `IServerAdapter` (@bull-board/api 9) that
 * serves the UI page (index.ejs of @bull-board/ui, rendered with ejs), its static
 * files and its JSON API from one catch-all route. Authentication, the admin
 * check and CSRF stay with the route's middleware (Shield checks the
 * X-XSRF-TOKEN header bull-board's axios sends on PUT/POST/PATCH).
 */

interface CompiledRoute {
  methods: HTTPMethod[]
  pattern: RegExp
  params: string[]
  handler: AppControllerRoute['handler']
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
}

/**
 * Herald's CSP forbids inline styles; the bull-board page has inline style
 * attributes, a <style> element and React components that insert <style> at run
 * time. Its routes alone allow inline styles. Scripts stay 'self' only (its
 * config travels in a JSON <script>, which is not executed), and no third-party
 * origin is allowed (the Google Fonts link is dropped from the page).
 */
export const BULL_BOARD_CSP = [
  `default-src 'self'`,
  `script-src 'self'`,
  `style-src 'self' 'unsafe-inline'`,
  `img-src 'self' data: blob:`,
  `font-src 'self' data:`,
  `connect-src 'self'`,
  `worker-src 'self' blob:`,
  `object-src 'none'`,
  `base-uri 'self'`,
  `form-action 'self'`,
  `frame-ancestors 'none'`,
].join('; ')

export class AdonisBullBoardAdapter implements IServerAdapter {
  readonly basePath: string
  #queues?: BullBoardQueues
  #viewsPath = ''
  #staticRoute = '/static'
  #staticPath = ''
  #entry?: { route: AppViewRoute; patterns: RegExp[] }
  #errorHandler: (error: Error) => ControllerHandlerReturnType = (error) => ({
    status: 500,
    body: { error: error.message },
  })
  #api: CompiledRoute[] = []
  #uiConfig: UIConfig = {}

  constructor(basePath: string) {
    this.basePath = basePath.replace(/\/+$/, '')
  }

  setQueues(queues: BullBoardQueues) {
    this.#queues = queues
    return this
  }

  setViewsPath(viewPath: string) {
    this.#viewsPath = viewPath
    return this
  }

  setStaticPath(staticsRoute: string, staticsPath: string) {
    this.#staticRoute = `/${staticsRoute.replace(/^\/+|\/+$/g, '')}`
    this.#staticPath = resolve(staticsPath)
    return this
  }

  setEntryRoute(route: AppViewRoute) {
    const paths = Array.isArray(route.route) ? route.route : [route.route]
    this.#entry = { route, patterns: paths.map((path) => compile(path).pattern) }
    return this
  }

  setErrorHandler(handler: (error: Error) => ControllerHandlerReturnType) {
    this.#errorHandler = handler
    return this
  }

  setApiRoutes(routes: AppControllerRoute[]) {
    /** Kept in bull-board's order: `/api/queues/:queueName/metrics` before `/:jobId` */
    this.#api = routes.flatMap((route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method]
      const paths = Array.isArray(route.route) ? route.route : [route.route]
      return paths.map((path) => ({ methods, ...compile(path), handler: route.handler }))
    })
    return this
  }

  setUIConfig(config: UIConfig) {
    this.#uiConfig = config
    return this
  }

  /** Answers any request under the base path */
  async handle(ctx: HttpContext) {
    const { request, response } = ctx
    const method = request.method().toLowerCase()
    const url = request.url()
    const path = url === this.basePath ? '/' : url.slice(this.basePath.length) || '/'
    const isRead = method === 'get' || method === 'head'

    if (isRead && path.startsWith(`${this.#staticRoute}/`)) {
      return this.#serveStatic(ctx, path.slice(this.#staticRoute.length + 1))
    }

    for (const route of this.#api) {
      const match = route.pattern.exec(path)
      if (!match) continue
      if (!route.methods.includes(method as HTTPMethod)) continue
      const params = Object.fromEntries(
        route.params.map((name, index) => [name, safeDecode(match[index + 1])])
      )
      let result: ControllerHandlerReturnType
      try {
        result = await route.handler({
          queues: this.#queues!,
          uiConfig: this.#uiConfig,
          query: request.qs(),
          params,
          body: request.body(),
          headers: flattenHeaders(request.headers()),
        })
      } catch (error) {
        result = this.#errorHandler(error as Error)
      }
      response.header('cache-control', 'no-store')
      const status = result.status ?? 200
      if (status === 204) return response.noContent()
      return response.status(status).json(result.body)
    }

    if (isRead && this.#entry?.patterns.some((pattern) => pattern.test(path))) {
      return this.#renderPage(ctx)
    }

    if (path.startsWith('/api/')) {
      return response.status(404).json({ error: 'Not found' })
    }
    return response.status(404).send('Not found')
  }

  async #renderPage({ response }: HttpContext) {
    const { name, params } = this.#entry!.route.handler({
      basePath: this.basePath,
      uiConfig: this.#uiConfig,
    })
    const html = await ejs.renderFile(join(this.#viewsPath, name), params, { async: true })
    response.header('content-security-policy', BULL_BOARD_CSP)
    response.header('content-type', 'text/html; charset=utf-8')
    response.header('cache-control', 'no-store')
    return response.send(html.replace(/<link[^>]+fonts\.googleapis\.com[^>]*>/g, ''))
  }

  async #serveStatic({ response }: HttpContext, relative: string) {
    const file = resolve(this.#staticPath, safeDecode(relative))
    if (!file.startsWith(this.#staticPath + sep)) {
      return response.status(404).send('Not found')
    }
    const info = await stat(file).catch(() => undefined)
    if (!info?.isFile()) {
      return response.status(404).send('Not found')
    }
    response.header('content-type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream')
    response.header('content-length', String(info.size))
    /** File names carry a content hash, except the locales */
    response.header(
      'cache-control',
      relative.startsWith('locales/')
        ? 'private, max-age=3600'
        : 'private, max-age=604800, immutable'
    )
    response.stream(createReadStream(file))
  }
}

/** `/api/queues/:queueName/:jobId` -> a regexp and its parameter names */
function compile(path: string) {
  const params: string[] = []
  const source = path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        params.push(segment.slice(1))
        return '([^/]+)'
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  return { pattern: new RegExp(`^${source === '' ? '/' : source}/?$`), params }
}

function safeDecode(value: string) {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>) {
  return Object.fromEntries(
    Object.entries(headers).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.join(', ') : value,
    ])
  ) as Record<string, string | undefined>
}
