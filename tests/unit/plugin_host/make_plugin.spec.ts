import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdir, rm, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import MakePlugin from '#commands/make_plugin'
import { PluginRegistry } from '#plugin_host/registry'

const KINDS = ['publisher', 'ai-text', 'ai-image', 'media-storage'] as const

/** Files the app registers plugins in, in other products; make:plugin must not touch them. */
const SHARED = [
  'adonisrc.ts',
  'package.json',
  'package-lock.json',
  'start/env.ts',
  'start/routes.ts',
  'config/plugins.ts',
  'tsconfig.json',
]

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort()
}

async function makePlugin(argv: string[]) {
  const ace = await app.container.make('ace')
  ace.ui.switchMode('raw')
  const command = await ace.create(MakePlugin, argv)
  await command.exec()
  return command
}

test.group('node ace make:plugin', (group) => {
  const root = app.makePath('tmp', `make-plugin-${randomBytes(4).toString('hex')}`)
  const plugins = join(root, 'plugins')
  const dirFlag = `--dir=${relative(app.makePath(), plugins)}`
  group.teardown(() => rm(root, { recursive: true, force: true }))

  test('scaffolds every kind inside its own folder and nothing else', async ({ assert }) => {
    const before = await Promise.all(
      SHARED.map((file) => stat(app.makePath(file)).then((info) => info.mtimeMs))
    )
    for (const kind of KINDS) {
      const command = await makePlugin([`acme-${kind}`, `--kind=${kind}`, dirFlag])
      command.assertSucceeded()
      command.assertLogMatches(new RegExp(`create .*plugins/acme-${kind}/src/index\\.ts`))
      assert.deepEqual(await files(join(plugins, `acme-${kind}`)), [
        'README.md',
        'package.json',
        'src/index.ts',
        'tests/contract.spec.ts',
        'tests/fake_server.ts',
      ])
    }
    assert.deepEqual(await readdir(root), ['plugins'])
    const after = await Promise.all(
      SHARED.map((file) => stat(app.makePath(file)).then((info) => info.mtimeMs))
    )
    assert.deepEqual(after, before, 'no shared file was written')
  }).timeout(30_000)

  test('Herald loads the scaffolds as they are', async ({ assert }) => {
    const registry = new PluginRegistry({ folders: [plugins], appRoot: app.makePath() })
    const report = await registry.boot()
    assert.deepEqual(report.problems, [])
    assert.sameMembers(
      report.enabled,
      KINDS.map((kind) => `acme-${kind}`)
    )
  })

  test('the scaffolds pass their contract tests without edits, outside Herald', async ({
    assert,
  }) => {
    const run = promisify(execFile)
    const { stdout } = await run(
      process.execPath,
      [
        '--import=@poppinss/ts-exec',
        'tests/helpers/run_plugin_specs.ts',
        `${relative(app.makePath(), plugins)}/*/tests/**/*.spec.ts`,
      ],
      { cwd: app.makePath(), env: { ...process.env, FORCE_COLOR: '0' }, timeout: 60_000 }
    )
    assert.match(stdout, /PASSED/)
    assert.notMatch(stdout, /failed/)
    for (const kind of KINDS) assert.include(stdout, `plugin contract: acme-${kind}`)
    assert.include(
      stdout,
      'publisher: connection dropped after the create is Unknown, never retryable'
    )
  }).timeout(60_000)

  test('refuses a bad id, an unknown kind and an existing folder', async ({ assert }) => {
    const badId = await makePlugin(['Acme_Social', '--kind=publisher', dirFlag])
    assert.equal(badId.exitCode, 1)
    badId.assertLogMatches(/kebab-case/)
    const badKind = await makePlugin(['acme-social', '--kind=blog', dirFlag])
    assert.equal(badKind.exitCode, 1)
    badKind.assertLogMatches(/--kind must be one of publisher, ai-text, ai-image, media-storage/)
    const exists = await makePlugin(['acme-publisher', '--kind=publisher', dirFlag])
    assert.equal(exists.exitCode, 1)
    exists.assertLogMatches(/already exists/)
  })
})
