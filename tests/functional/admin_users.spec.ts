import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import User from '#models/user'
import { isolateDatabase } from '#tests/helpers/database'
import { createUser } from '#tests/helpers/factories'

test.group('Admin: users', (group) => {
  isolateDatabase(group)

  test('non-admins get 404 on admin pages', async ({ client }) => {
    await createUser({ isAdmin: true })
    const user = await createUser()
    ;(await client.get('/admin/users').loginAs(user)).assertStatus(404)
    ;(await client.get(`/admin/users/${user.id}`).loginAs(user)).assertStatus(404)
  })

  test('an admin creates a user who can then sign in', async ({ client, assert }) => {
    const admin = await createUser({ isAdmin: true })
    const response = await client
      .post('/admin/users')
      .loginAs(admin)
      .withCsrfToken()
      .form({ fullName: 'New Person', email: 'new@agency.test', password: 'initial passphrase' })
      .redirects(0)
    response.assertStatus(302)
    const created = await User.findByOrFail('email', 'new@agency.test')
    assert.isFalse(created.isAdmin)

    const duplicate = await client
      .post('/admin/users')
      .loginAs(admin)
      .withCsrfToken()
      .form({ fullName: 'Again', email: 'new@agency.test', password: 'initial passphrase' })
    duplicate.assertStatus(422)
    assert.include(duplicate.text(), 'already taken')
  })

  test('an admin deactivates, reactivates and resets the password of a user', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const user = await createUser()
    await client.post(`/admin/users/${user.id}/deactivate`).loginAs(admin).withCsrfToken()
    await user.refresh()
    assert.isFalse(user.isActive)

    await client.post(`/admin/users/${user.id}/activate`).loginAs(admin).withCsrfToken()
    await user.refresh()
    assert.isTrue(user.isActive)

    const tooShort = await client
      .put(`/admin/users/${user.id}/password`)
      .loginAs(admin)
      .withCsrfToken()
      .form({ password: 'short' })
    tooShort.assertStatus(422)

    await client
      .put(`/admin/users/${user.id}/password`)
      .loginAs(admin)
      .withCsrfToken()
      .form({ password: 'a brand new passphrase' })
    await user.refresh()
    assert.isTrue(await hash.verify(user.password, 'a brand new passphrase'))
  })

  test('an admin cannot deactivate themselves', async ({ client, assert }) => {
    const admin = await createUser({ isAdmin: true })
    await client.post(`/admin/users/${admin.id}/deactivate`).loginAs(admin).withCsrfToken()
    await admin.refresh()
    assert.isTrue(admin.isActive)
  })

  test('an unknown or malformed user id is a 404', async ({ client }) => {
    const admin = await createUser({ isAdmin: true })
    ;(await client.get('/admin/users/999999').loginAs(admin)).assertStatus(404)
    ;(await client.get('/admin/users/abc').loginAs(admin)).assertStatus(404)
  })
})
