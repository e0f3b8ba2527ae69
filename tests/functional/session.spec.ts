import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { isolateDatabase } from '#tests/helpers/database'
import { createUser, PASSWORD } from '#tests/helpers/factories'

test.group('Sign-in', (group) => {
  isolateDatabase(group)
  group.each.setup(async () => {
    await createUser({ isAdmin: true })
  })

  test('signs in with the right password and out again', async ({ client }) => {
    const user = await createUser({ email: 'sam@agency.test' })
    const response = await client
      .post('/login')
      .form({ email: 'SAM@agency.test', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/')

    const home = await client.get('/').loginAs(user)
    home.assertStatus(200)
    home.assertTextIncludes('All clients')

    const out = await client.post('/logout').loginAs(user).withCsrfToken().redirects(0)
    out.assertHeader('location', '/login')
  })

  test('a wrong password re-renders the form with 422', async ({ client, assert }) => {
    await createUser({ email: 'sam@agency.test' })
    const response = await client
      .post('/login')
      .form({ email: 'sam@agency.test', password: 'wrong password!' })
      .withCsrfToken()
    response.assertStatus(422)
    assert.include(response.text(), 'The email address or password is not right.')
    assert.include(response.text(), 'value="sam@agency.test"')
  })

  test('only same-site paths are followed after sign-in', async ({ client }) => {
    await createUser({ email: 'sam@agency.test' })
    const response = await client
      .post('/login')
      .form({ email: 'sam@agency.test', password: PASSWORD, next: '//evil.example/steal' })
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/')
  })

  test('five failed attempts block the email for 15 minutes, even with the right password', async ({
    client,
    assert,
  }) => {
    await createUser({ email: 'target@agency.test' })
    for (let attempt = 1; attempt <= 5; attempt++) {
      const failed = await client
        .post('/login')
        .form({ email: 'target@agency.test', password: `guess number ${attempt}` })
        .withCsrfToken()
      failed.assertStatus(422)
    }
    const blocked = await client
      .post('/login')
      .form({ email: 'target@agency.test', password: PASSWORD })
      .withCsrfToken()
    blocked.assertStatus(429)
    assert.include(blocked.text(), 'Too many failed attempts')
    assert.isAbove(Number(blocked.header('retry-after')), 800)
  })

  test('a deactivated user cannot sign in and is signed out', async ({ client, assert }) => {
    const user = await createUser({ email: 'gone@agency.test' })
    user.deactivatedAt = DateTime.now()
    await user.save()

    const response = await client
      .post('/login')
      .form({ email: 'gone@agency.test', password: PASSWORD })
      .withCsrfToken()
    response.assertStatus(422)
    assert.include(response.text(), 'deactivated')

    const page = await client.get('/').loginAs(user).redirects(0)
    page.assertStatus(302)
    page.assertHeader('location', '/login')
  })

  test('signed-out visitors are sent to sign-in; htmx gets HX-Redirect', async ({ client }) => {
    const page = await client.get('/').redirects(0)
    page.assertStatus(302)
    page.assertHeader('location', '/login')

    const fragment = await client.get('/').header('hx-request', 'true').redirects(0)
    fragment.assertStatus(401)
    fragment.assertHeader('hx-redirect', '/login')
  })
})
