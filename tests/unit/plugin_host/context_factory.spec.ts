import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import type { Logger } from '@adonisjs/core/logger'
import type { PluginSettings } from '@herald/plugin-sdk'
import { SecretsKeyring } from '#services/secrets'
import { PluginRegistry, type LoadedPlugin } from '#plugin_host/registry'
import { PluginSettingsStore } from '#plugin_host/settings_store'
import {
  PluginContextFactory,
  PluginNotConfiguredError,
  redact,
} from '#plugin_host/context_factory'
import { HostNotAllowedError } from '#plugin_host/safe_http_client'
import { isolateDatabase } from '#tests/helpers/database'
import { FakeCloudinary } from '#tests/fakes/cloudinary'

/** Captures what the plugin logger writes. */
function capture() {
  const lines: unknown[] = []
  const at =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push([level, ...args])
  const logger = {
    lines,
    child: () => logger,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  }
  return logger
}

test.group('Plugin context factory', (group) => {
  isolateDatabase(group)
  const fake = new FakeCloudinary()
  const registry = new PluginRegistry({
    folders: [app.makePath('plugins')],
    appRoot: app.makePath(),
  })
  let cloudinary: LoadedPlugin

  group.setup(async () => {
    await fake.start()
    await registry.boot()
    cloudinary = registry.get('cloudinary')!
    return () => fake.stop()
  })
  group.each.setup(() => fake.reset())

  function factory(env: Record<string, string>) {
    const logger = capture()
    const store = new PluginSettingsStore({ keyring: new SecretsKeyring([randomBytes(32)]), env })
    const contexts = new PluginContextFactory({ store, logger: logger as unknown as Logger })
    return { contexts, logger, store }
  }

  const configured = {
    CLOUDINARY_CLOUD_NAME: fake.cloudName,
    CLOUDINARY_API_KEY: fake.apiKey,
    CLOUDINARY_API_SECRET: fake.apiSecret,
  }

  test('builds a context whose storage call reaches the fake through the URL setting', async ({
    assert,
  }) => {
    const { contexts } = factory({ ...configured, CLOUDINARY_API_BASE_URL: fake.url })
    const ctx = await contexts.create(cloudinary)
    assert.equal(ctx.settings.cloudName, fake.cloudName)
    assert.isTrue(Object.isFrozen(ctx.settings))
    const stored = await registry.mediaStorage('cloudinary').implementation.put(ctx, {
      bytes: new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 2, 0, 3, 0, 0, 0, 0]),
      mime: 'image/gif',
      key: '2026/11/ctx.gif',
    })
    assert.equal(stored.key, 'image/herald/2026/11/ctx')
    assert.deepEqual([stored.width, stored.height], [2, 3])
  })

  test('the HTTP client refuses hosts outside the manifest and URL settings', async ({
    assert,
  }) => {
    const { contexts } = factory(configured)
    const ctx = await contexts.create(cloudinary)
    const error = await ctx.http
      .request({ method: 'GET', url: `${fake.url}/v1_1/x/image/upload` })
      .catch((caught: unknown) => caught)
    assert.instanceOf(error, HostNotAllowedError)
    assert.match((error as Error).message, /^plugin "cloudinary" may not call 127\.0\.0\.1:\d+/)
    assert.lengthOf(fake.requests, 0)
  })

  test('the logger redacts secret setting values', async ({ assert }) => {
    const { contexts, logger } = factory(configured)
    const ctx = await contexts.create<PluginSettings>(cloudinary)
    ctx.logger.info(
      { nested: { header: `signed with ${fake.apiSecret}` } },
      `secret ${fake.apiSecret}`
    )
    ctx.logger.error(`oops ${fake.apiSecret}`)
    const written = JSON.stringify(logger.lines)
    assert.notInclude(written, fake.apiSecret)
    assert.include(written, 'signed with [redacted]')
    const error = redact(new Error(`x ${fake.apiSecret}`), [fake.apiSecret]) as Record<
      string,
      string
    >
    assert.equal(error.message, 'x [redacted]')
    assert.notInclude(error.stack, fake.apiSecret)
  })

  test('a plugin missing required settings cannot be called', async ({ assert }) => {
    const { contexts } = factory({})
    const error = await contexts.create(cloudinary).catch((caught: unknown) => caught)
    assert.instanceOf(error, PluginNotConfiguredError)
    assert.equal(
      (error as Error).message,
      'Plugin "cloudinary" is not configured: set Cloud name (CLOUDINARY_CLOUD_NAME), API key (CLOUDINARY_API_KEY), API secret (CLOUDINARY_API_SECRET) on the Plugins page (Admin > Plugins) or in the environment'
    )
  })

  test('the signal aborts with the caller and carries a deadline', async ({ assert }) => {
    const { contexts } = factory(configured)
    const controller = new AbortController()
    const ctx = await contexts.create(cloudinary, { signal: controller.signal })
    assert.isFalse(ctx.signal.aborted)
    controller.abort()
    assert.isTrue(ctx.signal.aborted)
    const short = await contexts.create(cloudinary, { timeoutMs: 10 })
    await new Promise((resolve) => setTimeout(resolve, 30))
    assert.isTrue(short.signal.aborted)
  })
})
