import { test } from '@japa/runner'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import Workspace from '#models/workspace'

/** Strings that would run or inject markup if rendered unescaped */
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "' autofocus onfocus='alert(1)",
  '" hx-get="/admin/users" hx-trigger="load',
]

function assertInert(assert: any, html: string, payload: string) {
  assert.notInclude(html, payload, `rendered unescaped: ${payload}`)
  assert.notMatch(html, /<script>alert|<img src=x|<svg onload|onfocus='alert/)
}

test.group('Security: user text is always escaped', (group) => {
  isolateDatabase(group)

  test('workspace name, brand voice and member names: {$self}')
    .with(PAYLOADS)
    .run(async ({ client, assert }, payload) => {
      const admin = await createUser({ isAdmin: true, fullName: payload })
      const workspace = await createWorkspace(admin, { name: `Client ${payload}` })
      await Workspace.query()
        .where('id', workspace.id)
        .update({
          brand_tone: payload,
          brand_audience: payload,
          banned_words: JSON.stringify([payload]),
        })
      const member = await createUser({ fullName: payload })
      await addMember(workspace, member, 'editor')

      for (const url of [
        '/',
        `/w/${workspace.slug}`,
        `/w/${workspace.slug}/settings`,
        `/w/${workspace.slug}/members`,
        '/admin/users',
      ]) {
        const response = await client.get(url).loginAs(admin)
        response.assertStatus(200)
        assertInert(assert, response.text(), payload)
      }

      const invalid = await client
        .post('/workspaces')
        .loginAs(admin)
        .withCsrfToken()
        .form({ name: payload, timezone: payload })
      invalid.assertStatus(422)
      assertInert(assert, invalid.text(), payload)
    })
})
