import { test } from '@japa/runner'
import {
  CONTRACT_VERSIONS,
  definePlugin,
  inspectPlugin,
  OPTIONAL_METHODS,
  REQUIRED_METHODS,
  resolveOAuthSpec,
  SDK_VERSION,
} from '@herald/plugin-sdk'
import { checkManifest, satisfiesRange } from '@herald/plugin-sdk/testing'
import { toyPackageJson, toyPlugin, toyPublisher } from './fixtures/toy_plugin.js'

test.group('plugin sdk / definition and shape', () => {
  test('constants describe the contracts', ({ assert }) => {
    assert.equal(SDK_VERSION, '1.4.0')
    assert.equal(CONTRACT_VERSIONS.publisher, 'publisher/1')
    assert.deepEqual(REQUIRED_METHODS['ai-text'], ['listModels', 'generateText'])
    assert.deepEqual(OPTIONAL_METHODS['ai-text'], ['streamText'])
    assert.include(OPTIONAL_METHODS.publisher, 'checkCredentials')
  })

  test('a publisher whose checkCredentials is not a function is refused', ({ assert }) => {
    const plugin = toyPlugin()
    const publisher = plugin.kinds.publisher as unknown as Record<string, unknown>
    publisher.checkCredentials = 'yes'
    assert.isNotEmpty(
      inspectPlugin(plugin, ['publisher'], 'toy').filter((problem) =>
        problem.includes('checkCredentials')
      )
    )
  })

  test('definePlugin returns its argument', ({ assert }) => {
    const definition = { kinds: {} }
    assert.strictEqual(definePlugin(definition), definition)
  })

  test('a complete plugin has no shape problems', ({ assert }) => {
    assert.deepEqual(inspectPlugin(toyPlugin(), ['publisher'], 'toy'), [])
  })

  test('shape problems name the field and the fix', ({ assert }) => {
    const withoutPublish: Partial<ReturnType<typeof toyPublisher>> = toyPublisher()
    delete withoutPublish.publish
    const broken = {
      id: 'other',
      kinds: {
        'publisher': { ...withoutPublish, contract: 'publisher/2', findPublished: 'yes' },
        'ai-text': {
          contract: 'ai-text/1',
          listModels: async () => [],
          generateText: async () => ({}),
        },
      },
    }
    const problems = inspectPlugin(broken, ['publisher', 'media-storage'], 'toy')
    assert.includeMembers(problems, [
      "definition id 'other' differs from manifest id 'toy'",
      "kinds['ai-text'] is implemented but not declared; add 'ai-text' to the manifest kinds",
      "kinds['publisher'].contract is \"publisher/2\"; set it to 'publisher/1'",
      "kinds['publisher'].publish is missing; publisher/1 requires it to be a function",
      "kinds['publisher'].findPublished must be a function or left out",
      "the manifest declares 'media-storage' but kinds['media-storage'] is not implemented",
    ])
  })

  test('publisher limits and oauth are checked', ({ assert }) => {
    const publisher = {
      ...toyPublisher(),
      limits: { ...toyPublisher().limits, maxChars: 0, mediaTypes: ['png'] },
    }
    const problems = inspectPlugin({ kinds: { publisher } }, ['publisher'])
    assert.includeMembers(problems, [
      "kinds['publisher'].limits.maxChars must be an integer >= 1",
      "kinds['publisher'].limits.mediaTypes must be a list of MIME types such as 'image/jpeg'",
    ])
  })

  test('oauth URL placeholders are filled from settings', ({ assert }) => {
    const spec = resolveOAuthSpec(toyPublisher().oauth, { baseUrl: 'http://127.0.0.1:4000/' })
    assert.equal(spec.authorizeUrl, 'http://127.0.0.1:4000/oauth/authorize')
    assert.equal(spec.tokenUrl, 'http://127.0.0.1:4000/oauth/token')
    assert.throws(() => resolveOAuthSpec(toyPublisher().oauth, {}), /Setting 'baseUrl' is empty/)
  })
})

test.group('plugin sdk / manifest check', () => {
  test('a valid manifest has no problems', ({ assert }) => {
    assert.deepEqual(checkManifest(toyPackageJson, 'toy'), [])
  })

  test('problems name the field and the fix', ({ assert }) => {
    const problems = checkManifest(
      {
        herald: {
          id: 'Toy_Plugin',
          displayName: '',
          kinds: ['publisher', 'video'],
          sdk: '^2.0.0',
          network: { hosts: ['https://api.toy.example/v1'] },
          settings: [
            { name: 'apiKey', type: 'password', label: 'Key', secret: true, default: 'abc' },
            { name: 'apiKey', type: 'select', label: 'Mode', options: [] },
          ],
        },
      },
      'toy'
    )
    assert.includeMembers(problems, [
      "herald.id must be kebab-case, e.g. 'my-plugin'",
      'herald.displayName must be a non-empty string',
      'herald.kinds must list one or more of ai-text, ai-image, publisher, media-storage',
      "herald.sdk '^2.0.0' does not accept SDK 1.4.0",
      "herald.network.hosts must list bare host names such as 'api.example.com' (may be empty)",
      'herald.settings[0].type must be one of string, url, number, boolean, select',
      'herald.settings[0] is secret and must not have a default',
      "herald.settings[1].name 'apiKey' is declared twice",
      'herald.settings[1].options must list { value, label } choices for a select',
    ])
    assert.deepEqual(checkManifest({ name: 'x' }), [
      'package.json has no "herald" object; add the plugin manifest under it',
    ])
  })

  test('the id must equal the folder name', ({ assert }) => {
    assert.deepEqual(checkManifest(toyPackageJson, 'toys'), [
      "herald.id 'toy' must equal the folder name 'toys'",
    ])
  })

  test('semver ranges are evaluated against the SDK version', ({ assert }) => {
    for (const range of [
      '^1.0.0',
      '~1.0',
      '1.x',
      '*',
      '>=1.0.0 <2.0.0',
      '^0.9.0 || ^1.0.0',
      '1',
      '>= 0.5',
      '<=1.0.0',
    ]) {
      assert.isTrue(satisfiesRange('1.0.0', range), range)
    }
    for (const range of ['^1.2.0', '^2.0.0', '~0.9.0', '>1.0.0', '<1.0.0', '0.x', '^0.1.0']) {
      assert.isFalse(satisfiesRange('1.0.0', range), range)
    }
    assert.isTrue(satisfiesRange('1.4.2', '^1.2'))
    assert.isFalse(satisfiesRange('0.3.0', '^0.2.3'))
    assert.isUndefined(satisfiesRange('1.0.0', 'latest'))
  })
})
