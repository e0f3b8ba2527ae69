import { SDK_VERSION } from '@herald/plugin-sdk'
import { test } from '@japa/runner'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import { describeProblem } from '#plugin_host/manifest_validator'
import { resolveEntry } from '#plugin_host/discovery'
import { PluginRegistry, PluginUnavailableError } from '#plugin_host/registry'

const fixtures = app.makePath('tests/fixtures/plugins')

function recordingLogger() {
  const lines: { level: string; data: any; message: string }[] = []
  return {
    lines,
    info: (data: any, message: string) => lines.push({ level: 'info', data, message }),
    warn: (data: any, message: string) => lines.push({ level: 'warn', data, message }),
  }
}

function fixtureRegistry(options: { disabled?: string[]; logger?: any } = {}) {
  return new PluginRegistry({
    folders: [fixtures],
    appRoot: app.makePath(),
    disabled: options.disabled ?? ['explodes-on-import'],
    logger: options.logger,
  })
}

test.group('Plugin discovery and registry', () => {
  test('a broken plugin is reported and disabled; the others load and boot never throws', async ({
    assert,
  }) => {
    const logger = recordingLogger()
    const registry = fixtureRegistry({ logger })
    const report = await registry.boot()

    assert.deepEqual(report.enabled, ['good-text'])
    assert.deepEqual(report.off, ['explodes-on-import'])
    const statuses = Object.fromEntries(registry.all().map((record) => [record.id, record.status]))
    assert.deepEqual(statuses, {
      'another-name': 'broken',
      'bad-code': 'broken',
      'broken-manifest': 'broken',
      'explodes-on-import': 'off',
      'good-text': 'enabled',
      'no-package-json': 'broken',
      'wrong-kinds': 'broken',
    })
    assert.notInclude(
      registry.all().map((record) => record.name),
      '_ignored',
      'underscore folders are skipped'
    )

    const lines = report.problems.map(describeProblem)
    const about = (id: string) => lines.filter((line) => line.startsWith(`Plugin "${id}"`))
    assert.includeMembers(about('broken-manifest'), [
      'Plugin "broken-manifest" (tests/fixtures/plugins/broken-manifest/package.json), herald.kinds[0]: is not a plugin kind. Fix: use one of ai-text, ai-image, publisher, media-storage.',
    ])
    assert.isTrue(
      about('broken-manifest').some((line) =>
        line.includes(`herald.sdk: "^2.0.0" does not accept SDK ${SDK_VERSION}`)
      )
    )
    assert.isTrue(about('broken-manifest').some((line) => line.includes('herald.network.hosts[0]')))
    assert.match(
      about('bad-code')[0],
      /src\/index\.ts\): the code fails to load: Cannot find the API client/
    )
    assert.isTrue(
      about('wrong-kinds').some((line) => line.includes("kinds['media-storage'].delete is missing"))
    )
    assert.isTrue(
      about('another-name').some((line) =>
        line.includes('is "another-name" but the folder is "wrong-folder"')
      )
    )
    assert.isTrue(
      about('another-name').some((line) => line.includes('"./src/missing.ts" does not exist'))
    )
    assert.match(about('no-package-json')[0], /has no package\.json/)

    assert.lengthOf(logger.lines, 1)
    assert.equal(logger.lines[0].level, 'warn')
    assert.match(logger.lines[0].message, /plugins: 1 enabled, 1 off, 5 broken/)
    await registry.boot()
    assert.lengthOf(logger.lines, 1, 'the boot report is logged once')
  })

  test('HERALD_PLUGINS_DISABLED leaves a plugin off without importing it', async ({ assert }) => {
    const registry = fixtureRegistry({ disabled: ['good-text', 'explodes-on-import', 'nope'] })
    const report = await registry.boot()
    assert.sameMembers(report.off, ['good-text', 'explodes-on-import'])
    assert.isUndefined(registry.get('good-text'))
    assert.equal(registry.find('good-text')?.status, 'off')
    assert.deepEqual(registry.find('explodes-on-import')?.problems, [])
    assert.include(report.warnings, 'HERALD_PLUGINS_DISABLED names "nope", which is not a plugin')
  })

  test('a turned-on plugin that throws on import is broken, not fatal', async ({ assert }) => {
    const registry = fixtureRegistry({ disabled: [] })
    await registry.boot()
    const record = registry.find('explodes-on-import')!
    assert.equal(record.status, 'broken')
    assert.match(record.problems[0].message, /imported although it is turned off/)
  })

  test('finds implementations by kind and the default media storage', async ({ assert }) => {
    const registry = new PluginRegistry({
      folders: [app.makePath('plugins'), fixtures],
      disabled: ['explodes-on-import'],
      appRoot: app.makePath(),
    })
    await registry.boot()
    assert.include(
      registry.textProviders().map((entry) => entry.plugin.id),
      'good-text'
    )
    assert.notInclude(
      registry.publishers().map((entry) => entry.plugin.id),
      'good-text'
    )
    assert.equal(registry.mediaStorage().plugin.id, 'local-media')
    assert.equal(registry.mediaStorage('cloudinary').implementation.contract, 'media-storage/1')
    assert.throws(
      () => registry.mediaStorage('good-text'),
      PluginUnavailableError,
      /not a media-storage plugin/
    )
    assert.throws(() => registry.mediaStorage('missing'), /no plugin has this id/)
    assert.throws(() => registry.mediaStorage('wrong-kinds'), /it is broken/)
  })

  test('warns when the default media storage is missing', async ({ assert }) => {
    const registry = fixtureRegistry()
    const report = await registry.boot()
    assert.include(
      report.warnings,
      'The default media storage "local-media" is not available; uploads will fail until it is fixed'
    )
  })

  test('loads npm packages from config and reports missing ones', async ({ assert }) => {
    const registry = new PluginRegistry({
      folders: [],
      packages: ['@herald-plugins/cloudinary', '@acme/not-installed'],
      appRoot: app.makePath(),
    })
    const report = await registry.boot()
    assert.deepEqual(report.enabled, ['cloudinary'])
    assert.equal(registry.get('cloudinary')?.source, 'package')
    const [problem] = report.problems
    assert.equal(problem.plugin, '@acme/not-installed')
    assert.equal(
      problem.fix,
      'run npm install @acme/not-installed, or remove it from plugins.packages'
    )
  })

  test('a TypeScript entry maps to its compiled .js twin in the production build', async ({
    assert,
  }) => {
    const dir = await mkdtemp(join(app.makePath('tmp'), 'entry-'))
    try {
      await mkdir(join(dir, 'src'))
      await writeFile(join(dir, 'src/index.js'), 'export default {}')
      assert.equal(resolveEntry(dir, { main: './src/index.ts' }).entry, join(dir, 'src/index.js'))
      assert.equal(
        resolveEntry(dir, { exports: { '.': { import: './src/index.js' } } }).entry,
        join(dir, 'src/index.js')
      )
      assert.match(
        resolveEntry(dir, { main: '../outside.js' }).message!,
        /outside the plugin folder/
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
