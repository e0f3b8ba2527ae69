import { test } from '@japa/runner'
import Workspace from '#models/workspace'
import { isolateDatabase } from '#tests/helpers/database'
import { createUser } from '#tests/helpers/factories'

test.group('CSRF protection', (group) => {
  isolateDatabase(group)

  const body = { name: 'Forged Client', timezone: 'Europe/Berlin' }

  test('an htmx request without a valid token gets 403 and changes nothing', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const response = await client
      .post('/workspaces')
      .loginAs(admin)
      .header('hx-request', 'true')
      .header('x-csrf-token', 'forged')
      .form(body)
      .redirects(0)
    response.assertStatus(403)
    assert.isNull(await Workspace.findBy('name', 'Forged Client'))
  })

  test('a JSON request without a token gets 403', async ({ client, assert }) => {
    const admin = await createUser({ isAdmin: true })
    const response = await client
      .post('/workspaces')
      .loginAs(admin)
      .accept('json')
      .json(body)
      .redirects(0)
    response.assertStatus(403)
    assert.properties(response.body(), ['error'])
    assert.isNull(await Workspace.findBy('name', 'Forged Client'))
  })

  test('a plain form without a token is redirected back with no effect', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const response = await client.post('/workspaces').loginAs(admin).form(body).redirects(0)
    response.assertStatus(302)
    assert.isNull(await Workspace.findBy('name', 'Forged Client'))
  })

  test('the same request with the token works', async ({ client }) => {
    const admin = await createUser({ isAdmin: true })
    const response = await client
      .post('/workspaces')
      .loginAs(admin)
      .header('hx-request', 'true')
      .withCsrfToken()
      .form(body)
    response.assertStatus(204)
    const workspace = await Workspace.findByOrFail('name', 'Forged Client')
    response.assertHeader('hx-redirect', `/w/${workspace.slug}`)
  })
})
