import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { SecretsKeyring } from '#services/secrets'
import { PluginSettingsStore } from '#plugin_host/settings_store'
import { RotateSecrets } from '#actions/system/rotate_secrets'
import { isolateDatabase } from '#tests/helpers/database'

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
