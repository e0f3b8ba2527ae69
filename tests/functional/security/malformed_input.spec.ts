import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import type { RouteJSON } from '@adonisjs/core/types/http'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import Membership from '#models/membership'
import { isolateDatabase } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { isolateQueue } from '#tests/helpers/queue'
import { connectAccount } from '#tests/helpers/publishing'
import { storeTestImage } from '#tests/helpers/media'

/**
 * Every mutation, signed in with every right, fed input no form would send:
 * wrong types, nested junk, huge strings, broken JSON. Each must answer 4xx
 * (or a redirect with the problem flashed), never 5xx.
 */

/** Every field name the validators know, plus a few that none does */
const FIELDS = [
  'accounts',
  'altText',
  'aspectRatio',
  'baseText',
  'brandAudience',
  'brandTone',
  'color',
  'comment',
  'customize',
  'defaultImageModel',
  'defaultTextModel',
  'email',
  'file',
  'imageModel',
  'imagePrompt',
  'intent',
  'isAdmin',
  'model',
  'monthlyAiBudgetUsd',
  'name',
  'networks',
  'parts',
  'password',
  'passwordConfirmation',
  'prompt',
  'purpose',
  'removePart',
  'addPart',
  'requiresApproval',
  'resolution',
  'role',
  'scheduleDate',
  'scheduleTime',
  'source',
  'text',
  'uploadAltText',
  'url',
  'variants',
  'mediaIds',
  'accountIds',
  'postId',
  'timezone',
  'slug',
  'fullName',
  'back',
  'live',
  '__proto__',
]

const JUNK: unknown[] = [
  { nested: { deep: [1, { x: 'y' }], again: [[[]]] } },
  ['a', ['b', ['c']], { d: null }],
  '9'.repeat(40),
  -1e308,
  true,
  'x'.repeat(100_000),
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '\u0000\uFFFF\uD800',
]

function bodies(): { label: string; body: unknown }[] {
  return JUNK.map((value, index) => ({
    label: `junk #${index}`,
    body: Object.fromEntries(FIELDS.map((field) => [field, value])),
  }))
}

test.group('Security: malformed input never makes a 5xx', (group) => {
  isolateDatabase(group)
  isolateQueue(group)

  test('every mutation answers junk with 4xx or a redirect', async ({ client, assert }) => {
    const admin = await createUser({ isAdmin: true })
    const other = await createUser()
    const workspace = await createWorkspace(admin, { name: 'Junk Client' })
    const account = await connectAccount(workspace, 'x', {
      accessToken: 'malformed-input-token-value-0001',
      scopes: [],
    })
    const image = await storeTestImage(workspace)
    const post = await Post.create({
      workspaceId: workspace.id,
      authorId: admin.id,
      baseText: 'A post',
      status: 'draft',
      approvalState: 'pending',
    })
    const target = await PostTarget.create({
      postId: post.id,
      workspaceId: workspace.id,
      socialAccountId: account.id,
      pluginId: 'x',
      status: 'unknown',
      publishedParts: [],
      preflight: [],
    })
    const membership = await Membership.query().where('workspace_id', workspace.id).firstOrFail()
    const values: Record<string, string> = {
      workspace: workspace.slug,
      id: String(account.id),
      media: String(image.id),
      post: String(post.id),
      target: String(target.id),
      membership: String(membership.id),
      generation: '1',
      pending: '00000000-0000-4000-8000-000000000000',
      plugin: 'x',
    }
    const routes = (Object.values(router.toJSON()).flat() as RouteJSON[]).flatMap((route) =>
      route.methods
        .filter((method) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method))
        .map((method) => ({ method, pattern: route.pattern }))
    )
    assert.isAbove(routes.length, 25)

    const failures: string[] = []
    for (const route of routes) {
      if (route.pattern === '/logout' || route.pattern.startsWith('/admin/queues')) continue
      const url = route.pattern
        .replace(/:([a-zA-Z_]+)/g, (_match, name: string) => values[name] ?? '1')
        .replace('/admin/users/1', `/admin/users/${other.id}`)
        .replace(/\*/g, 'x')
      const send = (label: string, configure: (request: any) => any) =>
        configure(
          (client as any)[route.method.toLowerCase()](url).loginAs(admin).redirects(0)
        ).then((response: any) => {
          if (response.status() >= 500) {
            failures.push(
              `${route.method} ${route.pattern} (${label}) answered ${response.status()}`
            )
          }
        })
      for (const { label, body } of bodies()) {
        await send(`json ${label}`, (request) => request.withCsrfToken().json(body))
        await send(`htmx form ${label}`, (request) =>
          request.withCsrfToken().header('hx-request', 'true').form(body)
        )
      }
      await send('broken json', (request) =>
        request.withCsrfToken().header('content-type', 'application/json').send('{"baseText": [')
      )
      await send('empty', (request) => request.withCsrfToken())
    }
    assert.deepEqual(failures, [])
  }).timeout(180_000)
})
