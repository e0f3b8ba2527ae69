import { SDK_VERSION } from '@herald/plugin-sdk'
import { test } from '@japa/runner'
import { describeProblem, validateManifest } from '#plugin_host/manifest_validator'

const valid = {
  id: 'example',
  displayName: 'Example',
  kinds: ['publisher'],
  sdk: '^1.0.0',
  network: { hosts: ['api.example.com', '*.cdn.example.com'] },
  settings: [
    { name: 'baseUrl', type: 'url', label: 'API base URL', default: 'https://api.example.com' },
    {
      name: 'clientSecret',
      type: 'string',
      label: 'Client secret',
      required: true,
      secret: true,
      env: 'EXAMPLE_CLIENT_SECRET',
    },
    {
      name: 'tier',
      type: 'select',
      label: 'Tier',
      default: 'free',
      options: [
        { value: 'free', label: 'Free' },
        { value: 'pro', label: 'Pro' },
      ],
    },
  ],
}
const source = { file: 'plugins/example/package.json', folder: 'example', name: 'example' }
const check = (herald: unknown, where = source) => validateManifest({ name: 'x', herald }, where)

async function problemsOf(herald: unknown) {
  const result = await check(herald)
  if (result.ok) throw new Error('expected problems')
  return result.problems
}

test.group('Manifest validation', () => {
  test('accepts a valid manifest and keeps only known keys', async ({ assert }) => {
    const result = await check({ ...valid, extra: true })
    assert.isTrue(result.ok)
    if (result.ok) {
      assert.equal(result.manifest.id, 'example')
      assert.notProperty(result.manifest, 'extra')
      assert.lengthOf(result.manifest.settings, 3)
    }
  })

  test('every problem names the plugin, the file, the field and the fix', async ({ assert }) => {
    const [problem] = await problemsOf({ ...valid, kinds: ['publishr'] })
    assert.deepInclude(problem, {
      plugin: 'example',
      file: 'plugins/example/package.json',
      field: 'herald.kinds[0]',
      message: 'is not a plugin kind',
    })
    assert.equal(
      describeProblem(problem),
      'Plugin "example" (plugins/example/package.json), herald.kinds[0]: is not a plugin kind. Fix: use one of ai-text, ai-image, publisher, media-storage.'
    )
  })

  test('the id must be kebab-case and equal the folder name', async ({ assert }) => {
    const [casing] = await problemsOf({ ...valid, id: 'My_Plugin' })
    assert.equal(casing.field, 'herald.id')
    assert.match(casing.fix!, /my-plugin/)

    const [folder] = await problemsOf({ ...valid, id: 'other' })
    assert.equal(folder.message, 'is "other" but the folder is "example"')
    assert.equal(folder.fix, 'rename the folder or the id so they are equal')

    const fromNpm = await check(
      { ...valid, id: 'other' },
      { ...source, folder: undefined as never }
    )
    assert.isTrue(fromNpm.ok)
  })

  test('the SDK range must be valid and accept this SDK', async ({ assert }) => {
    const [future] = await problemsOf({ ...valid, sdk: '^2.0.0' })
    assert.equal(future.field, 'herald.sdk')
    assert.equal(future.message, `"^2.0.0" does not accept SDK ${SDK_VERSION}`)
    assert.match(future.fix!, /\^1\.0\.0/)
    const [nonsense] = await problemsOf({ ...valid, sdk: 'banana' })
    assert.equal(nonsense.message, '"banana" is not a semver range')
    assert.isTrue((await check({ ...valid, sdk: '>=1.0.0 <3' })).ok)
  })

  test('hosts are bare host names', async ({ assert }) => {
    const [problem] = await problemsOf({
      ...valid,
      network: { hosts: ['https://api.example.com/v1'] },
    })
    assert.equal(problem.field, 'herald.network.hosts[0]')
    assert.match(problem.fix!, /without scheme or path/)
    const [missing] = await problemsOf({ ...valid, network: undefined })
    assert.equal(missing.field, 'herald.network')
    assert.equal(missing.message, 'is missing')
  })

  test('settings are checked field by field', async ({ assert }) => {
    const problems = await problemsOf({
      ...valid,
      settings: [
        { name: 'apiKey', type: 'password', label: 'API key' },
        { name: 'apiKey', type: 'string', label: 'Again' },
        { name: 'region', type: 'string', label: 'Region', env: 'lower_case' },
      ],
    })
    const fields = problems.map((problem) => problem.field)
    assert.sameMembers(fields, [
      'herald.settings[0].type',
      'herald.settings[2].env',
      'herald.settings[1].name',
    ])
    const twice = problems.find((problem) => problem.field === 'herald.settings[1].name')!
    assert.equal(twice.message, 'repeats the setting name "apiKey"')
    const type = problems.find((problem) => problem.field === 'herald.settings[0].type')!
    assert.match(type.fix!, /"secret": true/)
  })

  test('select options, secret defaults and default types are checked', async ({ assert }) => {
    const problems = await problemsOf({
      ...valid,
      settings: [
        { name: 'tier', type: 'select', label: 'Tier' },
        { name: 'token', type: 'string', label: 'Token', secret: true, default: 'abc' },
        { name: 'limit', type: 'number', label: 'Limit', default: '10' },
        {
          name: 'mode',
          type: 'select',
          label: 'Mode',
          default: 'x',
          options: [{ value: 'a', label: 'A' }],
        },
      ],
    })
    assert.deepEqual(
      problems.map((problem) => `${problem.field}: ${problem.message}`),
      [
        'herald.settings[0].options: is missing for a select',
        'herald.settings[1].default: is set on a secret',
        'herald.settings[2].default: must be a number for a number setting',
        'herald.settings[3].default: "x" is not one of the options',
      ]
    )
  })

  test('a package.json without a herald key says what to add', async ({ assert }) => {
    const result = await validateManifest({ name: 'x' }, source)
    assert.isFalse(result.ok)
    if (!result.ok) {
      assert.equal(result.problems[0].field, 'herald')
      assert.match(result.problems[0].fix!, /add a "herald" object/)
    }
  })
})
