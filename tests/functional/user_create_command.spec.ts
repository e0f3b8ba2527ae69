import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import hash from '@adonisjs/core/services/hash'
import User from '#models/user'
import UserCreate from '#commands/user_create'
import { isolateDatabase } from '#tests/helpers/database'

test.group('node ace user:create', (group) => {
  isolateDatabase(group)

  test('creates an admin with the given password', async ({ assert }) => {
    const ace = await app.container.make('ace')
    ace.ui.switchMode('raw')
    const command = await ace.create(UserCreate, [
      '--email=Ops@Agency.test',
      '--name=Ops Person',
      '--password=a long enough passphrase',
      '--admin',
    ])
    await command.exec()
    command.assertSucceeded()

    const user = await User.findByOrFail('email', 'ops@agency.test')
    assert.isTrue(user.isAdmin)
    assert.isTrue(await hash.verify(user.password, 'a long enough passphrase'))
    command.assertLogMatches(/Created admin ops@agency.test/)
  })

  test('explains bad input in words and exits with 1', async ({ assert }) => {
    const ace = await app.container.make('ace')
    ace.ui.switchMode('raw')
    const command = await ace.create(UserCreate, ['--email=nope', '--name=X', '--password=short'])
    await command.exec()
    assert.equal(command.exitCode, 1)
    command.assertLogMatches(/Enter a valid email address/)
    command.assertLogMatches(/The password needs at least 12 characters/)
    assert.isNull(await User.findBy('email', 'nope'))
  })
})
