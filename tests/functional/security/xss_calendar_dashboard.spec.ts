import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import SocialAccount from '#models/social_account'
import { isolateDatabase } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { TEST_TOKENS, connectAccount } from '#tests/helpers/publishing'
import { createPost } from '#tests/helpers/posts'

/** Strings that would run or inject markup if rendered unescaped */
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "' autofocus onfocus='alert(1)",
  '" hx-get="/admin/users" hx-trigger="load',
]

function assertInert(assert: any, html: string, payload: string, where: string) {
  assert.notInclude(html, payload, `${where} rendered unescaped: ${payload}`)
  assert.notMatch(html, /<script>alert|<img src=x|<svg onload|onfocus='alert/, where)
}

test.group('Security: calendar and dashboards escape what they render', (group) => {
  isolateDatabase(group)

  test('post text, error text and account names: {$self}')
    .with(PAYLOADS)
    .run(async ({ client, assert }, payload) => {
      const admin = await createUser({ isAdmin: true })
      const workspace = await createWorkspace(admin, { name: `Client ${payload}` })
      const account = await connectAccount(workspace, 'x', TEST_TOKENS, { displayName: payload })
      const broken = await connectAccount(workspace, 'linkedin', TEST_TOKENS, {
        displayName: payload,
      })
      await SocialAccount.query()
        .where('id', broken.id)
        .update({ status: 'needs_reconnect', status_reason: payload })
      const now = DateTime.now().setZone(workspace.timezone)
      await createPost(workspace, {
        text: payload,
        at: now.plus({ hours: 2 }),
        targets: [{ account, status: 'scheduled' }],
      })
      await createPost(workspace, {
        text: `Failed ${payload}`,
        at: now.minus({ hours: 1 }),
        targets: [{ account, status: 'failed', lastError: payload }],
      })
      await createPost(workspace, {
        text: `Out ${payload}`,
        at: now.minus({ minutes: 30 }),
        targets: [
          {
            account,
            status: 'published',
            publishedAt: now.minus({ minutes: 30 }),
            url: `https://x.com/a/status/1?${payload}`,
          },
        ],
      })

      const date = now.toISODate()
      for (const url of [
        '/',
        `/w/${workspace.slug}`,
        `/w/${workspace.slug}/calendar?view=month&date=${date}`,
        `/w/${workspace.slug}/calendar?view=week&date=${date}`,
        `/w/${workspace.slug}/calendar?view=day&date=${date}`,
        `/w/${workspace.slug}/calendar?view=${encodeURIComponent(payload)}&date=${encodeURIComponent(payload)}`,
      ]) {
        const response = await client.get(url).loginAs(admin)
        response.assertStatus(200)
        assertInert(assert, response.text(), payload, url)
      }

      // A refused move re-renders what was typed, escaped
      const post = await createPost(workspace, {
        at: now.plus({ days: 3 }),
        targets: [{ account, status: 'scheduled' }],
      })
      const refused = await client
        .put(`/w/${workspace.slug}/calendar/posts/${post.id}`)
        .loginAs(admin)
        .withCsrfToken()
        .header('hx-request', 'true')
        .form({ scheduleDate: payload, scheduleTime: payload, view: payload, date: payload })
      refused.assertStatus(422)
      assertInert(assert, refused.text(), payload, 'refused move')
    })

  test('a live link that is not http(s) is not rendered as a link', async ({ client, assert }) => {
    const admin = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(admin)
    const account = await connectAccount(workspace, 'x', TEST_TOKENS)
    const at = DateTime.now().minus({ minutes: 5 })
    await createPost(workspace, {
      at,
      targets: [{ account, status: 'published', publishedAt: at, url: 'javascript:alert(1)' }],
    })
    const html = (await client.get(`/w/${workspace.slug}`).loginAs(admin)).text()
    assert.include(html, 'id="published-post-')
    assert.notInclude(html, 'javascript:alert(1)')
  })
})
