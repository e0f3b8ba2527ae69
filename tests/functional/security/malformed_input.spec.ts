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
import { createPost } from '#tests/helpers/posts'
import { DateTime } from 'luxon'

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
  'view',
  'date',
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

/** Dates and times no date picker sends: impossible, out of range, hostile, nested */
const JUNK_DATES: unknown[] = [
  '2026-02-30',
  '2026-13-01',
  '0000-01-01',
  '1066-10-14',
  '9999-12-31',
  '+275760-09-13',
  '2026-1-1',
  '24/12/2026',
  '2026-12-24T09:00',
  'x'.repeat(10_000),
  '\u0000',
  ['2026-12-24', '2026-12-25'],
  { year: 2026 },
  '',
]
const JUNK_TIMES: unknown[] = [
  '25:00',
  '24:00',
  '23:60',
  '9:00',
  '09:00:00',
  '-1:00',
  '',
  ['09:00'],
]

test.group('Security: the calendar refuses junk dates in words, never with a 5xx', (group) => {
  isolateDatabase(group)
  isolateQueue(group)

  test('navigation falls back to this month; a junk move is a 422 (a past date a 409), never a 5xx', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(admin, {
      name: 'Junk Dates',
      timezone: 'Europe/Berlin',
    })
    const account = await connectAccount(workspace, 'x', {
      accessToken: 'malformed-input-token-value-0002',
      scopes: [],
    })
    const at = DateTime.now()
      .setZone(workspace.timezone)
      .plus({ days: 5 })
      .set({ hour: 10, minute: 0 })
    const post = await createPost(workspace, { at, targets: [{ account, status: 'scheduled' }] })
    const base = `/w/${workspace.slug}`
    const failures: string[] = []
    const check = (label: string, status: number, allowed: (status: number) => boolean) => {
      if (!allowed(status)) failures.push(`${label} answered ${status}`)
    }

    // Real dates in odd dress: a padded date is trimmed, year 9999 is far but real
    const padded = ` ${at.plus({ days: 1 }).toISODate()} `
    const future = new Set<unknown>([padded, '9999-12-31'])
    /** Real dates gone by: the action refuses them in words (409) */
    const past = new Set<unknown>(['0000-01-01', '1066-10-14'])
    for (const date of [...JUNK_DATES, padded]) {
      for (const view of ['month', 'week', 'day', 'year', ['week']]) {
        const qs = { view, date }
        for (const url of [`${base}/calendar`, `${base}/calendar/posts/${post.id}/move`]) {
          const page = await client.get(url).qs(qs).loginAs(admin)
          check(`GET ${url} ${JSON.stringify(qs).slice(0, 80)}`, page.status(), (s) => s === 200)
        }
      }
      for (const time of ['10:00', ...JUNK_TIMES]) {
        const fields = { scheduleDate: date, scheduleTime: time, view: 'week', date }
        const label = JSON.stringify(fields).slice(0, 120)
        const htmx = await client
          .put(`${base}/calendar/posts/${post.id}`)
          .loginAs(admin)
          .withCsrfToken()
          .header('hx-request', 'true')
          .form(fields)
        // A one-item list arrives as its item (a browser would send the key once)
        const realTime = time === '10:00' || JSON.stringify(time) === '["09:00"]'
        const expected = !realTime ? 422 : future.has(date) ? 200 : past.has(date) ? 409 : 422
        check(`htmx move ${label}`, htmx.status(), (s) => s === expected)
        const form = await client
          .put(`${base}/posts/${post.id}/schedule`)
          .loginAs(admin)
          .withCsrfToken()
          .redirects(0)
          .form({ ...fields, back: 'calendar' })
        check(`form move ${label}`, form.status(), (s) => s < 500)
      }
    }
    assert.deepEqual(failures, [])

    // Junk moved nothing: the last real date sent is where the post is
    await post.refresh()
    assert.equal(
      post.scheduledAt!.toUTC().toISO(),
      DateTime.fromISO(`${padded.trim()}T09:00`, { zone: workspace.timezone }).toUTC().toISO()
    )
  }).timeout(180_000)
})
