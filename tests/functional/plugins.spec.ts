import { test } from '@japa/runner'
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { appUrl } from '#config/app'
import { PluginRegistry } from '#plugin_host/registry'
import { PluginSettingsStore } from '#plugin_host/settings_store'
import { PluginContextFactory } from '#plugin_host/context_factory'
import AuditEvent from '#models/audit_event'
import { isolateDatabase } from '#tests/helpers/database'
import { createUser } from '#tests/helpers/factories'

const SECRET = 'cloudinary-secret-value-7781'

async function cloudinaryRows() {
  return db.from('plugin_settings').where('plugin_id', 'cloudinary').orderBy('name')
}

test.group('Admin: plugins page', (group) => {
  isolateDatabase(group)

  test('an admin sees every plugin with kinds, version, SDK range and state', async ({
    client,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const response = await client.get('/admin/plugins').loginAs(admin)
    response.assertStatus(200)
    response.assertTextIncludes('Local disk')
    response.assertTextIncludes('<code>local-media</code>')
    response.assertTextIncludes('Cloudinary')
    response.assertTextIncludes('<code>cloudinary</code>')
    response.assertTextIncludes('default storage')
    response.assertTextIncludes('media-storage')
    response.assertTextIncludes('<code>^1.0.0</code>')
    response.assertTextIncludes('needs settings')
  })

  test('non-admins get 404', async ({ client }) => {
    await createUser({ isAdmin: true })
    const staff = await createUser()
    ;(await client.get('/admin/plugins').loginAs(staff)).assertStatus(404)
    ;(await client.get('/admin/plugins/cloudinary').loginAs(staff)).assertStatus(404)
    const put = await client
      .put('/admin/plugins/cloudinary/settings')
      .loginAs(staff)
      .withCsrfToken()
      .form({ cloudName: 'x' })
    put.assertStatus(404)
    assertEmpty(await cloudinaryRows())
  })

  test('a bad URL setting is a 422 naming the field; nothing is saved', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const response = await client
      .put('/admin/plugins/cloudinary/settings')
      .loginAs(admin)
      .withCsrfToken()
      .form({ cloudName: 'acme', apiKey: '1234', apiSecret: SECRET, apiBaseUrl: 'not a url' })
    response.assertStatus(422)
    response.assertTextIncludes('id="field-apiBaseUrl-error"')
    response.assertTextIncludes(
      'Enter the upload API base URL as a full address, like https://api.example.com.'
    )
    assert.notInclude(response.text(), SECRET, 'a typed secret is not echoed back')
    assert.include(response.text(), 'value="acme"', 'other typed values are kept')
    assertEmpty(await cloudinaryRows())

    const htmx = await client
      .put('/admin/plugins/cloudinary/settings')
      .loginAs(admin)
      .withCsrfToken()
      .header('hx-request', 'true')
      .form({ apiBaseUrl: 'ftp://files.example.com' })
    htmx.assertStatus(422)
    assert.notInclude(htmx.text(), '<html')
    assert.include(htmx.text(), 'id="plugin-settings-form"')
    assert.include(htmx.text(), 'Enter the cloud name.')
  })

  test('saves settings, encrypts the secret and never renders it back in full', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const save = await client
      .put('/admin/plugins/cloudinary/settings')
      .loginAs(admin)
      .withCsrfToken()
      .form({ cloudName: 'acme', apiKey: '1234', apiSecret: SECRET, folder: '', apiBaseUrl: '' })
      .redirects(0)
    save.assertStatus(302)
    save.assertHeader('location', '/admin/plugins/cloudinary')

    const rows = await cloudinaryRows()
    assert.deepEqual(
      rows.map((row) => row.name),
      ['apiKey', 'apiSecret', 'cloudName']
    )
    const secretRow = rows.find((row) => row.name === 'apiSecret')!
    assert.isTrue(secretRow.is_secret)
    assert.notInclude(secretRow.value, SECRET)
    assert.equal(secretRow.updated_by_id, admin.id)
    const audit = await AuditEvent.findByOrFail('action', 'plugin.settings.updated')
    assert.deepEqual(audit.meta, { set: ['cloudName', 'apiKey', 'apiSecret'], cleared: [] })
    assert.notInclude(JSON.stringify(audit.meta), SECRET)

    const page = await client.get('/admin/plugins/cloudinary').loginAs(admin)
    page.assertStatus(200)
    assert.notInclude(page.text(), SECRET)
    assert.include(page.text(), 'Set, ends in …7781')
    assert.include(page.text(), 'value="acme"')
    assert.include(page.text(), 'placeholder="https://api.cloudinary.com"')

    // An empty secret field keeps the saved secret.
    await client
      .put('/admin/plugins/cloudinary/settings')
      .loginAs(admin)
      .withCsrfToken()
      .form({ cloudName: 'acme-2', apiKey: '1234', apiSecret: '' })
    const store = await app.container.make(PluginSettingsStore)
    const registry = await app.container.make(PluginRegistry)
    const resolved = await store.resolve(registry.get('cloudinary')!.manifest)
    assert.equal(resolved.values.apiSecret, SECRET)
    assert.equal(resolved.values.cloudName, 'acme-2')
    assert.isTrue(resolved.configured)

    const list = await client.get('/admin/plugins').loginAs(admin)
    assert.include(list.text(), 'configured')

    // Ticking "remove" deletes it.
    await client
      .put('/admin/plugins/cloudinary/settings')
      .loginAs(admin)
      .withCsrfToken()
      .form({ 'cloudName': 'acme-2', 'apiKey': '1234', 'apiSecret': '', '_clear[]': 'apiSecret' })
    assert.notInclude(
      (await cloudinaryRows()).map((row) => row.name),
      'apiSecret'
    )
  })

  test('settings from the environment are shown read-only and win over the page', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    process.env.CLOUDINARY_CLOUD_NAME = 'from-env'
    try {
      const page = await client.get('/admin/plugins/cloudinary').loginAs(admin)
      assert.include(
        page.text(),
        'Set by the environment variable CLOUDINARY_CLOUD_NAME; change it there.'
      )
      assert.match(page.text(), /<input[^>]*name="cloudName"[^>]*disabled/)
      await client
        .put('/admin/plugins/cloudinary/settings')
        .loginAs(admin)
        .withCsrfToken()
        .form({ cloudName: 'from-page', apiKey: '1', apiSecret: SECRET })
      assert.notInclude(
        (await cloudinaryRows()).map((row) => row.name),
        'cloudName'
      )
    } finally {
      delete process.env.CLOUDINARY_CLOUD_NAME
    }
  })

  test('an unknown plugin is a 404', async ({ client }) => {
    const admin = await createUser({ isAdmin: true })
    ;(await client.get('/admin/plugins/nope').loginAs(admin)).assertStatus(404)
  })

  test('broken plugins are shown with their errors while the app keeps running', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const registry = new PluginRegistry({
      folders: [app.makePath('plugins'), app.makePath('tests/fixtures/plugins')],
      disabled: ['explodes-on-import'],
      appRoot: app.makePath(),
    })
    await registry.boot()
    app.container.swap(PluginRegistry, () => registry)
    try {
      const page = await client.get('/admin/plugins').loginAs(admin)
      page.assertStatus(200)
      page.assertTextIncludes('id="plugin-problems"')
      page.assertTextIncludes('Some plugins were turned off at startup')
      page.assertTextIncludes(
        '<strong>broken-manifest</strong> (tests/fixtures/plugins/broken-manifest/package.json, herald.kinds[0]): is not a plugin kind.'
      )
      page.assertTextIncludes('Fix: use one of ai-text, ai-image, publisher, media-storage')
      page.assertTextIncludes('turned off')
      assert.include(page.text(), 'Cloudinary', 'healthy plugins are still listed')

      const detail = await client.get('/admin/plugins/bad-code').loginAs(admin)
      detail.assertStatus(200)
      detail.assertTextIncludes(
        'the code fails to load: Cannot find the API client this plugin expected'
      )
      ;(await client.get('/').loginAs(admin)).assertStatus(200)
    } finally {
      app.container.restore(PluginRegistry)
    }
  })
})

test.group('Media files of the local disk storage', (group) => {
  isolateDatabase(group)
  let directory = ''

  group.each.setup(async () => {
    directory = await mkdtemp(join(tmpdir(), 'herald-media-'))
    const registry = await app.container.make(PluginRegistry)
    const store = await app.container.make(PluginSettingsStore)
    await store.save(registry.get('local-media')!.manifest, { set: { directory }, clear: [] })
    return () => rm(directory, { recursive: true, force: true })
  })

  async function put(key: string, bytes: Uint8Array, mime = 'image/png') {
    const registry = await app.container.make(PluginRegistry)
    const contexts = await app.container.make(PluginContextFactory)
    const { plugin, implementation } = registry.mediaStorage()
    return implementation.put(await contexts.create(plugin), { bytes, mime, key })
  }

  test('serves a stored file with its type and long private cache headers to a signed-in user', async ({
    client,
    assert,
  }) => {
    const bytes = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 2, 0, 0, 0, 1,
    ])
    const stored = await put('2026/11/abc123.png', bytes)
    assert.equal(stored.url, `${appUrl}/media/2026/11/abc123.png`)
    assert.deepEqual([stored.width, stored.height], [2, 1])

    const user = await createUser()
    const response = await client.get('/media/2026/11/abc123.png').loginAs(user)
    response.assertStatus(200)
    response.assertHeader('content-type', 'image/png')
    response.assertHeader('cache-control', 'private, max-age=31536000, immutable')
    response.assertHeader('x-content-type-options', 'nosniff')

    const anonymous = await fetch(stored.url, { redirect: 'manual' })
    assert.equal(anonymous.status, 302, 'without sign-in: to the sign-in page')
    assert.notEqual(anonymous.headers.get('content-type'), 'image/png')
  })

  test('path traversal, hidden files, other types and symlinks out of the folder are 404', async ({
    client,
  }) => {
    const user = await createUser()
    const outside = await mkdtemp(join(tmpdir(), 'herald-outside-'))
    try {
      await writeFile(join(outside, 'secret.png'), 'not for you')
      await mkdir(join(directory, 'links'))
      await symlink(join(outside, 'secret.png'), join(directory, 'links/escape.png'))
      await writeFile(join(directory, 'page.html'), '<script>alert(1)</script>')
      await writeFile(join(directory, '.hidden.png'), 'x')
      for (const url of [
        '/media/..%2F..%2Fetc%2Fpasswd',
        '/media/%2e%2e/%2e%2e/etc/passwd.png',
        '/media/a/../../secret.png',
        '/media/links/escape.png',
        '/media/page.html',
        '/media/.hidden.png',
        '/media/missing.png',
        '/media/',
      ]) {
        ;(await client.get(url).loginAs(user)).assertStatus(404)
      }
    } finally {
      await rm(outside, { recursive: true, force: true })
    }
  })
})

function assertEmpty(rows: unknown[]) {
  if (rows.length > 0) throw new Error(`expected no plugin settings, found ${rows.length}`)
}
