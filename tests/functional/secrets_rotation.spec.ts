import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { spawn } from 'node:child_process'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import appKeyring, { SecretsKeyring } from '#services/secrets'
import { AccountTokens } from '#services/account_tokens'
import { PendingConnections } from '#services/pending_connections'
import { Publishers } from '#plugin_host/publishers'
import User from '#models/user'
import env from '#start/env'
import { PlatformFakes } from '#tests/helpers/platforms'
import { accountsOf, connectFlow, memberIn } from '#tests/helpers/accounts'
import { PluginSettingsStore } from '#plugin_host/settings_store'
import { RotateSecrets } from '#actions/system/rotate_secrets'
import { isolateDatabase, truncateAroundEach } from '#tests/helpers/database'

const appKey = () => env.get('APP_KEY').release()

/** AccountTokens reading and writing with another keyring */
function tokensWith(publishers: Publishers, keyring: SecretsKeyring) {
  const tokens = new AccountTokens(publishers)
  tokens.keyring = keyring
  return tokens
}

test.group('Secrets key rotation', (group) => {
  isolateDatabase(group)

  test('re-encrypts every secret under the new key; old and new keys read it meanwhile', async ({
    assert,
  }) => {
    const oldKey = randomBytes(32)
    const newKey = randomBytes(32)
    const before = new SecretsKeyring([oldKey])
    const context = PluginSettingsStore.context('cloudinary', 'apiSecret')
    const [{ id }] = await db
      .table('plugin_settings')
      .insert({
        plugin_id: 'cloudinary',
        name: 'apiSecret',
        is_secret: true,
        value: before.encrypt(JSON.stringify('s3cret-value-1234'), context),
      })
      .returning('id')
    await db.table('plugin_settings').insert({
      plugin_id: 'cloudinary',
      name: 'cloudName',
      is_secret: false,
      value: JSON.stringify('acme'),
    })

    const during = new SecretsKeyring([newKey, oldKey])
    const report = await new RotateSecrets(during).execute()
    assert.deepEqual(report, { rotated: 1, current: 0, failed: [] })

    const row = await db.from('plugin_settings').where('id', id).firstOrFail()
    assert.isTrue(row.value.startsWith(`v1:${during.primaryKeyId}:`))
    assert.notInclude(row.value, 's3cret')
    const after = new SecretsKeyring([newKey])
    assert.equal(JSON.parse(after.decrypt(row.value, context)), 's3cret-value-1234')

    const again = await new RotateSecrets(during).execute()
    assert.deepEqual(again, { rotated: 0, current: 1, failed: [] })
  })

  test('a secret no key can read is reported and left untouched', async ({ assert }) => {
    const stranger = new SecretsKeyring([randomBytes(32)])
    const context = PluginSettingsStore.context('openrouter', 'apiKey')
    const value = stranger.encrypt(JSON.stringify('sk-or-secret'), context)
    const [{ id }] = await db
      .table('plugin_settings')
      .insert({ plugin_id: 'openrouter', name: 'apiKey', is_secret: true, value })
      .returning('id')

    const report = await new RotateSecrets(new SecretsKeyring([randomBytes(32)])).execute()
    assert.equal(report.rotated, 0)
    assert.lengthOf(report.failed, 1)
    assert.equal(report.failed[0].id, id)
    assert.notInclude(report.failed[0].reason, 'sk-or-secret')
    const row = await db.from('plugin_settings').where('id', id).firstOrFail()
    assert.equal(row.value, value)
  })
})

test.group('Secrets key rotation: platform tokens', (group) => {
  isolateDatabase(group)
  const fakes = new PlatformFakes()
  fakes.useIn(group)

  test('re-encrypts account tokens and pending connections under the new key; a signed-in session survives', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    await connectFlow(agent, workspace, 'x')
    await connectFlow(agent, workspace, 'facebook')
    const [account] = await accountsOf(workspace, 'x')
    const publishers = await app.container.make(Publishers)
    const before = await tokensWith(publishers, appKeyring).read(account)

    const newKey = randomBytes(32)
    const during = SecretsKeyring.fromConfig(newKey.toString('base64'), appKey())
    assert.deepEqual(await tokensWith(publishers, during).read(account), before)

    const report = await new RotateSecrets(during).execute()
    assert.deepEqual(report.failed, [])
    assert.equal(report.rotated, 3, 'access token, refresh token, pending Pages')

    const [secret] = await db.from('account_secrets').where('social_account_id', account.id)
    for (const column of ['access_token', 'refresh_token']) {
      assert.isTrue(secret[column].startsWith(`v1:${during.primaryKeyId}:`), column)
    }
    const [pending] = await db.from('pending_account_connections')
    assert.isTrue(pending.candidates.startsWith(`v1:${during.primaryKeyId}:`))
    const onlyNew = new SecretsKeyring([newKey])
    assert.deepEqual(await tokensWith(publishers, onlyNew).read(account), before)
    assert.isNotNull(
      await new PendingConnections(onlyNew).find(
        pending.id,
        await User.findOrFail(pending.user_id),
        workspace
      )
    )
    await assert.rejects(() => tokensWith(publishers, appKeyring).read(account))

    const page = await agent.get(`/w/${workspace.slug}/accounts`)
    assert.equal(page.status, 200, 'still signed in: sessions do not use the secrets keyring')
    assert.include(page.body, 'Herald Studio')
  })
})

test.group('Secrets key rotation: node ace secrets:rotate', (group) => {
  // Real commits: the command runs in its own process.
  truncateAroundEach(group)
  const fakes = new PlatformFakes()
  fakes.useIn(group)

  test('moving from the APP_KEY-derived key to SECRETS_KEY: the command re-encrypts every token while Herald serves', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    await connectFlow(agent, workspace, 'linkedin')
    const [account] = await accountsOf(workspace)
    const publishers = await app.container.make(Publishers)
    const before = await tokensWith(publishers, appKeyring).read(account)

    const newKey = randomBytes(32)
    const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(process.execPath, ['ace.js', 'secrets:rotate'], {
        cwd: app.makePath(),
        env: { ...process.env, NODE_ENV: 'test', SECRETS_KEY: newKey.toString('base64') },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let text = ''
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
      child.once('exit', (code) => resolve({ code, text }))
    })
    assert.equal(output.code, 0, output.text)
    assert.match(output.text, /1 re-encrypted/)

    const onlyNew = new SecretsKeyring([newKey])
    assert.deepEqual(await tokensWith(publishers, onlyNew).read(account), before)
    const page = await agent.get(`/w/${workspace.slug}/accounts`)
    assert.equal(page.status, 200)
    assert.include(page.body, 'Jane Doe')
  }).timeout(60_000)
})
