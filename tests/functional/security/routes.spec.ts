import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import type { RouteJSON } from '@adonisjs/core/types/http'
import { isolateDatabase } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'

/**
 * Walks every route the router knows, so a route added later is checked
 * without anyone remembering to write a test for it.
 */

/** Routes anyone may call, each with the reason */
const PUBLIC: Record<string, string> = {
  'GET /health': 'liveness probe',
  'GET /ready': 'readiness probe',
  'GET /setup': 'first run (404 once an admin exists)',
  'POST /setup': 'first run (404 once an admin exists)',
  'GET /login': 'sign-in page',
  'POST /login': 'sign-in',
  'GET /media/s/:expires/:signature/*':
    'signed, expiring URLs of local media files (Meta downloads them; a bad signature is a 404)',
}

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

interface Endpoint {
  method: string
  pattern: string
  key: string
}

function endpoints(): Endpoint[] {
  const routes: RouteJSON[] = Object.values(router.toJSON()).flat()
  return routes.flatMap((route) =>
    route.methods
      .filter((method) => method !== 'HEAD')
      .map((method) => ({ method, pattern: route.pattern, key: `${method} ${route.pattern}` }))
  )
}

/** A concrete URL for a pattern: the given workspace slug, "1" for other params */
function urlFor(pattern: string, workspaceSlug: string) {
  return pattern
    .replace(':workspace', workspaceSlug)
    .replace(/:[a-zA-Z_]+\??/g, '1')
    .replace(/\*/g, 'x')
}

function send(client: any, method: string, url: string) {
  return client[method.toLowerCase()](url).redirects(0)
}

test.group('Security: every route', (group) => {
  isolateDatabase(group)

  test('the router has the routes this suite expects to walk', ({ assert }) => {
    const keys = endpoints().map((endpoint) => endpoint.key)
    assert.isAbove(keys.length, 15)
    for (const key of Object.keys(PUBLIC)) assert.include(keys, key)
  })

  test('every non-public route requires a signed-in user', async ({ client, assert }) => {
    await createUser({ isAdmin: true })
    const failures: string[] = []
    for (const endpoint of endpoints()) {
      if (PUBLIC[endpoint.key]) continue
      const request = send(client, endpoint.method, urlFor(endpoint.pattern, 'any-client'))
      if (MUTATIONS.has(endpoint.method)) request.withCsrfToken()
      const response = await request
      const location = response.header('location') ?? ''
      if (response.status() !== 302 || !location.startsWith('/login')) {
        failures.push(`${endpoint.key} answered ${response.status()} ${location}`)
      }
    }
    assert.deepEqual(failures, [], 'signed-out requests must be sent to /login')
  })

  test('every mutation refuses an htmx or JSON request without a CSRF token (403)', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(admin)
    const failures: string[] = []
    for (const endpoint of endpoints()) {
      if (!MUTATIONS.has(endpoint.method)) continue
      const url = urlFor(endpoint.pattern, workspace.slug)
      const htmx = await send(client, endpoint.method, url)
        .loginAs(admin)
        .header('hx-request', 'true')
      const json = await send(client, endpoint.method, url).loginAs(admin).accept('json').json({})
      if (htmx.status() !== 403) failures.push(`${endpoint.key} (htmx) answered ${htmx.status()}`)
      if (json.status() !== 403) failures.push(`${endpoint.key} (json) answered ${json.status()}`)
    }
    assert.deepEqual(failures, [])
  })

  test('every mutation sends a plain form without a CSRF token back, with an error', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(admin)
    const failures: string[] = []
    for (const endpoint of endpoints()) {
      if (!MUTATIONS.has(endpoint.method)) continue
      const url = urlFor(endpoint.pattern, workspace.slug)
      const response = await send(client, endpoint.method, url).loginAs(admin).form({})
      const flashed = response.flashMessages()?.error ?? response.flashMessages()?.errorsBag
      if (response.status() !== 302 || !flashed) {
        failures.push(`${endpoint.key} answered ${response.status()} without an error flashed`)
      }
    }
    assert.deepEqual(failures, [])
  })

  test('every workspace route answers 404 to a signed-in non-member', async ({
    client,
    assert,
  }) => {
    await createUser({ isAdmin: true })
    const owner = await createUser()
    const outsider = await createUser()
    const theirs = await createWorkspace(owner, { name: 'Not Yours' })
    const failures: string[] = []
    const workspaceRoutes = endpoints().filter((endpoint) =>
      endpoint.pattern.includes(':workspace')
    )
    assert.isAbove(workspaceRoutes.length, 5)
    for (const endpoint of workspaceRoutes) {
      const request = send(client, endpoint.method, urlFor(endpoint.pattern, theirs.slug)).loginAs(
        outsider
      )
      if (MUTATIONS.has(endpoint.method)) request.withCsrfToken()
      const response = await request
      if (response.status() !== 404) failures.push(`${endpoint.key} answered ${response.status()}`)
    }
    assert.deepEqual(failures, [])
  })

  test('every admin route answers 404 to a signed-in non-admin', async ({ client, assert }) => {
    await createUser({ isAdmin: true })
    const staff = await createUser()
    const failures: string[] = []
    for (const endpoint of endpoints().filter((entry) => entry.pattern.startsWith('/admin'))) {
      const request = send(client, endpoint.method, urlFor(endpoint.pattern, 'x')).loginAs(staff)
      if (MUTATIONS.has(endpoint.method)) request.withCsrfToken()
      const response = await request
      if (response.status() !== 404) failures.push(`${endpoint.key} answered ${response.status()}`)
    }
    assert.deepEqual(failures, [])
  })
})
