import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { PluginManifest } from '@herald/plugin-sdk'
import { SecretsKeyring } from '#services/secrets'
import { PluginSettingsStore } from '#plugin_host/settings_store'
import { isolateDatabase } from '#tests/helpers/database'

const manifest: PluginManifest = {
  id: 'demo',
  displayName: 'Demo',
  kinds: ['ai-text'],
  sdk: '^1.0.0',
  network: { hosts: ['api.demo.example'] },
  settings: [
    {
      name: 'baseUrl',
      type: 'url',
      label: 'Base URL',
      env: 'DEMO_BASE_URL',
      default: 'https://api.demo.example',
    },
    {
      name: 'apiKey',
      type: 'string',
      label: 'API key',
      required: true,
      secret: true,
      env: 'DEMO_API_KEY',
    },
    {
      name: 'maxTokens',
      type: 'number',
      label: 'Max tokens',
      env: 'DEMO_MAX_TOKENS',
      default: 100,
    },
    {
      name: 'region',
      type: 'select',
      label: 'Region',
      options: [
        { value: 'eu', label: 'EU' },
        { value: 'us', label: 'US' },
      ],
    },
  ],
}

function store(env: Record<string, string> = {}, config = {}) {
  return new PluginSettingsStore({ keyring: new SecretsKeyring([randomBytes(32)]), env, config })
}

test.group('Plugin settings store', (group) => {
  isolateDatabase(group)

  test('env wins over the admin value, which wins over config, which wins over the default', async ({
    assert,
  }) => {
    const base = store({}, { demo: { region: 'us', maxTokens: 300 } })
    let resolved = await base.resolve(manifest)
    assert.deepEqual(resolved.values, {
      baseUrl: 'https://api.demo.example',
      apiKey: undefined,
      maxTokens: 300,
      region: 'us',
    })
    assert.deepEqual(
      resolved.fields.map((field) => field.source),
      ['default', 'unset', 'config', 'config']
    )
    assert.isFalse(resolved.configured)
    assert.deepEqual(
      resolved.missing.map((field) => field.name),
      ['apiKey']
    )

    await base.save(manifest, {
      set: { maxTokens: 500, apiKey: 'admin-key-1234567890' },
      clear: [],
    })
    resolved = await base.resolve(manifest)
    assert.equal(resolved.values.maxTokens, 500)
    assert.equal(resolved.fields[2].source, 'admin')
    assert.isTrue(resolved.configured)

    const withEnv = store({ DEMO_MAX_TOKENS: '42', DEMO_API_KEY: 'env-key-abcdefghijkl' })
    resolved = await withEnv.resolve(manifest)
    assert.equal(resolved.values.maxTokens, 42)
    assert.equal(resolved.fields[2].source, 'env')
    assert.isTrue(resolved.fields[2].stored, 'the admin value stays stored under the env value')
    assert.equal(resolved.values.apiKey, 'env-key-abcdefghijkl')
    assert.equal(resolved.fields[1].lastFour, 'ijkl')

    await base.save(manifest, { set: {}, clear: ['maxTokens'] })
    assert.equal((await base.resolve(manifest)).values.maxTokens, 300, 'back to the config value')
    assert.equal((await store().resolve(manifest)).values.maxTokens, 100, 'or the manifest default')
  })

  test('secret values are encrypted at rest, bound to their row', async ({ assert }) => {
    const settings = store()
    await settings.save(manifest, { set: { apiKey: 'sk-plaintext-never-stored-9876' }, clear: [] })
    const row = await db
      .from('plugin_settings')
      .where({ plugin_id: 'demo', name: 'apiKey' })
      .firstOrFail()
    assert.isTrue(row.is_secret)
    assert.match(row.value, /^v1:[0-9a-f]{8}:[A-Za-z0-9_-]+$/)
    assert.notInclude(row.value, 'sk-plaintext')
    assert.notInclude(JSON.stringify(await db.from('plugin_settings')), 'sk-plaintext')
    assert.equal((await settings.resolve(manifest)).values.apiKey, 'sk-plaintext-never-stored-9876')
    assert.deepEqual((await settings.resolve(manifest)).secrets, ['sk-plaintext-never-stored-9876'])

    // The same ciphertext copied to another plugin's row does not decrypt there.
    await db
      .table('plugin_settings')
      .insert({ plugin_id: 'other', name: 'apiKey', value: row.value, is_secret: true })
    const other = await settings.resolve({ ...manifest, id: 'other' })
    assert.isUndefined(other.values.apiKey)
    assert.match(other.fields[1].problem!, /cannot be read/)

    const plain = await db
      .from('plugin_settings')
      .where({ plugin_id: 'demo', name: 'region' })
      .first()
    assert.isNull(plain)
  })

  test('non-secret values are stored as JSON and keep their type', async ({ assert }) => {
    const settings = store()
    await settings.save(manifest, { set: { maxTokens: 7, region: 'eu' }, clear: [] })
    const rows = await db.from('plugin_settings').where('plugin_id', 'demo').orderBy('name')
    assert.deepEqual(
      rows.map((row) => [row.name, row.value, row.is_secret]),
      [
        ['maxTokens', '7', false],
        ['region', '"eu"', false],
      ]
    )
    assert.strictEqual((await settings.resolve(manifest)).values.maxTokens, 7)
  })

  test('a bad environment value is reported, not silently replaced', async ({ assert }) => {
    const resolved = await store({ DEMO_MAX_TOKENS: 'lots', DEMO_BASE_URL: 'ftp://x' }).resolve(
      manifest
    )
    assert.isUndefined(resolved.values.maxTokens)
    assert.equal(resolved.fields[2].problem, 'DEMO_MAX_TOKENS "lots" is not a number')
    assert.equal(resolved.fields[0].problem, 'DEMO_BASE_URL is not an http(s) URL')
  })
})
