import env from '#start/env'

/** A response and the URL it answered */
export interface Visit {
  url: URL
  status: number
  headers: Headers
  body: string
}

/**
 * A small browser for functional tests: real HTTP with a cookie jar per
 * host, redirects followed by hand across origins (Herald -> a fake
 * platform's authorize page -> Herald's callback), forms posted with the
 * page's CSRF token. It sees what a browser sees: cookies, redirects, HTML.
 */
export class WebAgent {
  readonly base = `http://${env.get('HOST', '127.0.0.1')}:${env.get('PORT', 3334)}`
  readonly visits: Visit[] = []
  #jar = new Map<string, Map<string, string>>()

  /** One request, no redirect followed */
  async request(
    method: string,
    target: string | URL,
    options: { form?: Record<string, string | string[]>; headers?: Record<string, string> } = {}
  ): Promise<Visit> {
    const url = new URL(target, this.base)
    const headers: Record<string, string> = { ...options.headers }
    const cookies = this.#jar.get(url.host)
    if (cookies?.size) {
      headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    }
    let body: URLSearchParams | undefined
    if (options.form) {
      body = new URLSearchParams()
      for (const [name, value] of Object.entries(options.form)) {
        for (const item of Array.isArray(value) ? value : [value]) body.append(name, item)
      }
    }
    const response = await fetch(url, { method, headers, body, redirect: 'manual' })
    this.#store(url.host, response.headers.getSetCookie())
    const visit = {
      url,
      status: response.status,
      headers: response.headers,
      body: await response.text(),
    }
    this.visits.push(visit)
    return visit
  }

  /** Follows redirects from a visit (at most 10), across hosts */
  async follow(visit: Visit): Promise<Visit> {
    let current = visit
    for (let hop = 0; hop < 10 && current.status >= 300 && current.status < 400; hop++) {
      const location = current.headers.get('location')
      if (!location) break
      current = await this.request('GET', new URL(location, current.url))
    }
    return current
  }

  get(target: string | URL) {
    return this.request('GET', target)
  }

  /** GET, following redirects */
  async visit(target: string | URL) {
    return this.follow(await this.get(target))
  }

  /** Posts a form with the CSRF token of the page it was on (its HTML) */
  async submit(
    page: Visit,
    action: string,
    form: Record<string, string | string[]> = {},
    options: { follow?: boolean } = {}
  ) {
    const visit = await this.request('POST', action, {
      form: { _csrf: csrfOf(page.body), ...form },
    })
    return options.follow === false ? visit : this.follow(visit)
  }

  async signIn(email: string, password: string) {
    const page = await this.get('/login')
    const done = await this.submit(page, '/login', { email, password })
    if (done.url.pathname === '/login') throw new Error(`sign-in failed for ${email}`)
    return done
  }

  /** A cookie this agent holds for Herald's host */
  cookie(name: string) {
    return this.#jar.get(new URL(this.base).host)?.get(name)
  }

  #store(host: string, setCookies: string[]) {
    const jar = this.#jar.get(host) ?? new Map<string, string>()
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';')
      const split = pair.indexOf('=')
      const name = pair.slice(0, split).trim()
      const value = pair.slice(split + 1).trim()
      const expired = attributes.some((attribute) => {
        const [key, raw] = attribute.split('=').map((part) => part?.trim())
        if (/^max-age$/i.test(key)) return Number(raw) <= 0
        if (/^expires$/i.test(key)) return Date.parse(raw) <= Date.now()
        return false
      })
      if (expired || value === '') jar.delete(name)
      else jar.set(name, value)
    }
    this.#jar.set(host, jar)
  }
}

/** The CSRF token of a page's first form */
export function csrfOf(html: string) {
  const token = /name=['"]_csrf['"]\s+value=['"]([^'"]+)['"]/.exec(html)?.[1]
  if (!token) throw new Error('no CSRF token on the page')
  return token
}
