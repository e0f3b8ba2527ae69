import { test } from '@japa/runner'
import User from '#models/user'
import { isolateDatabase } from '#tests/helpers/database'
import { createUser } from '#tests/helpers/factories'

test.group('First-run setup', (group) => {
  isolateDatabase(group)

  test('a fresh install sends every page to the setup form', async ({ client }) => {
    const home = await client.get('/').redirects(0)
    home.assertStatus(302)
    home.assertHeader('location', '/setup')

    const login = await client.get('/login').redirects(0)
    login.assertHeader('location', '/setup')

    const setup = await client.get('/setup')
    setup.assertStatus(200)
    setup.assertTextIncludes('Create the first admin account')
  })

  test('invalid setup answers 422, names the fields and keeps what was typed', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/setup')
      .form({
        fullName: 'Ada Admin',
        email: 'not-an-email',
        password: 'short',
        passwordConfirmation: 'other',
      })
      .withCsrfToken()

    response.assertStatus(422)
    const html = response.text()
    assert.include(html, 'Enter a valid email address')
    assert.include(html, 'The password needs at least 12 characters')
    assert.include(html, 'value="Ada Admin"')
    assert.include(html, 'aria-describedby="field-email-error"')
    assert.notInclude(html, 'value="short"')
    assert.equal(
      await User.query()
        .count('* as total')
        .first()
        .then((row) => Number(row!.$extras.total)),
      0
    )
  })

  test('setup creates the first admin, signs them in, then disappears', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/setup')
      .form({
        fullName: 'Ada Admin',
        email: 'Ada@Agency.test',
        password: 'a long enough passphrase',
        passwordConfirmation: 'a long enough passphrase',
      })
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', '/workspaces/new')
    const admin = await User.findByOrFail('email', 'ada@agency.test')
    assert.isTrue(admin.isAdmin)
    assert.match(admin.password, /^\$argon2id\$v=19\$m=65536,t=3,p=1\$/)

    const again = await client.get('/setup')
    again.assertStatus(404)
  })

  test('setup is refused once an admin exists', async ({ client, assert }) => {
    await createUser({ isAdmin: true })
    const response = await client
      .post('/setup')
      .form({
        fullName: 'Eve',
        email: 'eve@x.test',
        password: 'another passphrase',
        passwordConfirmation: 'another passphrase',
      })
      .withCsrfToken()
    response.assertStatus(404)
    assert.isNull(await User.findBy('email', 'eve@x.test'))
  })
})
