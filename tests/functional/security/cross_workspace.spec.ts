import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import type { RouteJSON } from '@adonisjs/core/types/http'
import { DateTime } from 'luxon'
import Generation from '#models/generation'
import Membership from '#models/membership'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import { PendingConnections } from '#services/pending_connections'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { isolateQueue } from '#tests/helpers/queue'
import { connectAccount } from '#tests/helpers/publishing'
import { storeTestImage } from '#tests/helpers/media'

/**
 * Walks every workspace route that names a record (a post, a target, an
 * account, a media asset...) and asks for ANOTHER workspace's record under a
 * workspace the person owns: the answer must be 404, whatever the method. A
 * route with a parameter this suite has no record for fails the suite, so a
 * new route cannot slip through untested.
 */

/** Parameters that are not record ids (a plugin id names code, not data) */
const NOT_RECORDS = new Set(['workspace', 'plugin'])

type Records = Record<string, string>

/** One record of the other workspace per parameter name */
async function recordsOf(workspace: Workspace, owner: User): Promise<Records> {
  const account = await connectAccount(workspace, 'x', {
    accessToken: 'cross-workspace-token-value-0001',
    scopes: [],
  })
  const image = await storeTestImage(workspace)
  const post = await Post.create({
    workspaceId: workspace.id,
    authorId: owner.id,
    baseText: 'Their post',
    status: 'failed',
    approvalState: 'pending',
  })
  const target = await PostTarget.create({
    postId: post.id,
    workspaceId: workspace.id,
    socialAccountId: account.id,
    pluginId: 'x',
    status: 'failed',
    publishedParts: [],
    preflight: [],
  })
  const generation = await Generation.create({
    workspaceId: workspace.id,
    userId: owner.id,
    kind: 'image',
    pluginId: 'openrouter',
    model: 'google/gemini-2.5-flash-image',
    prompt: 'Their image',
    status: 'running',
  })
  const membership = await Membership.query().where('workspace_id', workspace.id).firstOrFail()
  const pending = await new PendingConnections().create({
    user: owner,
    workspace,
    pluginId: 'facebook',
    accounts: [{ externalId: '1', handle: '1', displayName: 'Their Page' }],
    tokens: { accessToken: 'cross-workspace-token-value-0002' },
  })
  return {
    id: String(account.id),
    media: String(image.id),
    post: String(post.id),
    target: String(target.id),
    generation: String(generation.id),
    membership: String(membership.id),
    pending: pending.id,
  }
}

function recordRoutes(): { method: string; pattern: string; params: string[] }[] {
  const routes: RouteJSON[] = Object.values(router.toJSON()).flat()
  return routes
    .filter((route) => route.pattern.startsWith('/w/:workspace'))
    .flatMap((route) => {
      const params = [...route.pattern.matchAll(/:([a-zA-Z_]+)/g)]
        .map((match) => match[1])
        .filter((name) => !NOT_RECORDS.has(name))
      return params.length === 0
        ? []
        : route.methods
            .filter((method) => method !== 'HEAD')
            .map((method) => ({ method, pattern: route.pattern, params }))
    })
}

test.group('Security: another workspace records are 404', (group) => {
  isolateDatabase(group)
  isolateQueue(group)

  test('every route with a record id refuses the record of another workspace', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const theirs = await createWorkspace(admin, { name: 'Their Client' })
    const mine = await createWorkspace(admin, { name: 'My Client' })
    const me = await createUser()
    await addMember(mine, me, 'owner')
    const records = await recordsOf(theirs, admin)

    const routes = recordRoutes()
    assert.isAbove(routes.length, 15, 'the walk finds the record routes')
    const missing = [...new Set(routes.flatMap((route) => route.params))].filter(
      (param) => records[param] === undefined
    )
    assert.deepEqual(missing, [], 'add a record of the other workspace for each new parameter')

    const failures: string[] = []
    for (const route of routes) {
      const url = route.pattern
        .replace(':workspace', mine.slug)
        .replace(/:([a-zA-Z_]+)/g, (_match, name: string) => records[name] ?? name)
      const request = (client as any)[route.method.toLowerCase()](url).loginAs(me).redirects(0)
      if (route.method !== 'GET') request.withCsrfToken()
      const response = await request
      if (response.status() !== 404) {
        failures.push(`${route.method} ${route.pattern} answered ${response.status()}`)
      }
    }
    assert.deepEqual(failures, [])

    // Nothing of theirs changed.
    const post = await Post.query().where('workspace_id', theirs.id).firstOrFail()
    assert.equal(post.approvalState, 'pending')
    assert.equal(post.baseText, 'Their post')
    const [target] = await PostTarget.query().where('post_id', post.id)
    assert.equal(target.status, 'failed')
    assert.isTrue(DateTime.isDateTime(post.createdAt))
  })
})
