import { test } from '@japa/runner'
import type { PluginContext, PublishInput } from '@herald/plugin-sdk'
import {
  checkCancellation,
  checkErrorScenario,
  checkFindPublished,
  checkHosts,
  checkSecretsNotLogged,
  checkUnknownOutcome,
  checkValidate,
  createCapturingLogger,
  createTestContext,
  createTestMedia,
  pluginContractSuite,
  type ContextFactory,
} from '@herald/plugin-sdk/testing'
import { ToyFake } from './fixtures/toy_fake.js'
import { toyPackageJson, toyPlugin, toyPublisher, type ToySettings } from './fixtures/toy_plugin.js'

const API_KEY = 'toy-secret-key-123'
const fake = new ToyFake()
const settings = (): ToySettings => ({ baseUrl: fake.baseUrl, apiKey: API_KEY })
const account = { externalId: 'u1', handle: 'acme', displayName: 'Acme' }
const tokens = { accessToken: 'access-token' }
const input: PublishInput = {
  account,
  tokens,
  idempotencyKey: 'attempt-1',
  parts: [
    {
      text: 'Hello from Herald',
      media: [createTestMedia({ bytes: new Uint8Array([1, 2]), mime: 'image/png' })],
    },
  ],
}
const publish = (ctx: PluginContext<ToySettings>) => toyPublisher().publish(ctx, input)

/** The whole kit, through Japa, against a correct plugin: every test must pass. */
pluginContractSuite<ToySettings>({
  plugin: toyPlugin(),
  packageJson: toyPackageJson,
  settings,
  setup: () => fake.start(),
  teardown: () => fake.stop(),
  beforeEach: async () => fake.reset(),
  timeoutMs: 500,
  errors: [
    {
      name: '429 maps to RateLimited',
      arrange: async () => void (fake.fault = 'rate-limit'),
      act: publish,
      expect: 'RateLimited',
    },
    {
      name: '401 maps to AuthExpired',
      arrange: async () => void (fake.fault = 'unauthorized'),
      act: publish,
      expect: 'AuthExpired',
    },
    {
      name: '503 maps to Transient',
      arrange: async () => void (fake.fault = 'unavailable'),
      act: publish,
      expect: 'Transient',
    },
    {
      name: '400 maps to Permanent',
      arrange: async () => void (fake.fault = 'invalid'),
      act: publish,
      expect: 'Permanent',
    },
  ],
  cancellation: { arrange: async () => void (fake.fault = 'hang'), act: publish },
  publisher: {
    input,
    unknownOutcome: [
      { name: 'hang after create', arrange: async () => void (fake.fault = 'hang') },
      { name: 'drop after create', arrange: async () => void (fake.fault = 'drop') },
    ],
    findPublished: {
      arrange: async () => {
        fake.posts.push({
          id: 'p9',
          text: 'Hello from Herald',
          createdAt: new Date().toISOString(),
        })
      },
      input: { account, tokens, text: 'Hello from Herald', after: new Date(Date.now() - 60_000) },
      expect: { externalId: 'p9' },
    },
  },
})

test.group('plugin sdk / contract kit detects broken plugins', (group) => {
  const log = createCapturingLogger()
  const context: ContextFactory<ToySettings> = (signal) =>
    createTestContext({ settings: settings(), signal, log, timeoutMs: 300 })
  group.setup(async () => {
    await fake.start()
    return () => fake.stop()
  })
  group.each.setup(() => {
    fake.reset()
    log.clear()
  })

  test('a publisher mapping a hang or a drop after the request left to Transient is caught', async ({
    assert,
  }) => {
    const naive = toyPublisher({ transportAlwaysTransient: true })
    for (const fault of ['hang', 'drop'] as const) {
      const problems = await checkUnknownOutcome(
        naive,
        input,
        { name: fault, arrange: async () => void (fake.fault = fault) },
        context
      )
      assert.lengthOf(problems, 1)
      assert.match(problems[0], /rejected with Transient .*retryable.*must be Unknown/)
    }
  })

  test('a correct publisher reports an unknown outcome as Unknown', async ({ assert }) => {
    for (const fault of ['hang', 'drop'] as const) {
      const scenario = { name: fault, arrange: async () => void (fake.fault = fault) }
      assert.deepEqual(await checkUnknownOutcome(toyPublisher(), input, scenario, context), [])
    }
  })

  test('a wrong error kind, a raw error and a leaked secret are caught', async ({ assert }) => {
    const wrongKind = await checkErrorScenario(
      {
        name: '429',
        arrange: async () => void (fake.fault = 'rate-limit'),
        act: publish,
        expect: 'Transient',
      },
      context
    )
    assert.match(wrongKind[0], /\[429\] rejected with RateLimited .*expected Transient/)

    const raw = await checkErrorScenario(
      {
        name: 'raw',
        arrange: async () => {},
        act: async () => Promise.reject(new Error('boom')),
        expect: 'Permanent',
      },
      context
    )
    assert.deepEqual(raw, ['[raw] rejected with Error: boom; map it to the SDK error Permanent'])

    const { Permanent } = await import('@herald/plugin-sdk')
    const leaky = await checkErrorScenario(
      {
        name: 'leak',
        arrange: async () => {},
        act: async () => Promise.reject(new Permanent(`bad key ${API_KEY}`)),
        expect: 'Permanent',
      },
      context,
      { secrets: [API_KEY] }
    )
    assert.lengthOf(leaky, 1)
    assert.include(leaky[0], 'contains a secret setting value')
  })

  test('a call that ignores cancellation is caught', async ({ assert }) => {
    const stubborn = await checkCancellation(
      { act: () => new Promise((resolve) => setTimeout(resolve, 1500)) },
      context,
      { withinMs: 300 }
    )
    assert.deepEqual(stubborn, [
      'the call did not reject within 300 ms of the abort; pass ctx.signal along',
    ])

    const tooFast = await checkCancellation({ act: publish }, context)
    assert.match(tooFast[0], /resolved before it was aborted/)

    const honest = await checkCancellation(
      { arrange: async () => void (fake.fault = 'hang'), act: publish },
      context
    )
    assert.deepEqual(honest, [])
  })

  test('a secret in the logs is caught', async ({ assert }) => {
    await toyPublisher({ logsSecret: true }).publish(context(), input)
    assert.lengthOf(checkSecretsNotLogged(log, [API_KEY]), 1)
    log.clear()
    await toyPublisher().publish(context(), input)
    assert.deepEqual(checkSecretsNotLogged(log, [API_KEY]), [])
  })

  test('findPublished returning the wrong post is caught', async ({ assert }) => {
    const scenario = {
      arrange: async () =>
        void fake.posts.push({ id: 'p1', text: 'Other', createdAt: new Date().toISOString() }),
      input: { account, tokens, text: 'Hello', after: new Date(0) },
      expect: { externalId: 'p1' },
    }
    assert.deepEqual(await checkFindPublished(toyPublisher(), scenario, context), [
      'findPublished returned nothing; expected post p1',
    ])
  })

  test('a validate that ignores the limits is caught', ({ assert }) => {
    assert.deepEqual(checkValidate(toyPublisher()), [])
    assert.deepEqual(checkValidate(toyPublisher({ lenientValidate: true })), [
      'validate accepts 101 characters (maxChars is 100)',
      'validate accepts 2 media (maxMedia is 1)',
      'validate accepts 2 parts (maxThreadParts is 1)',
    ])
  })

  test('a call to an undeclared host is caught', ({ assert }) => {
    const requests = [
      { method: 'GET', url: 'https://api.toy.example/me' },
      { method: 'GET', url: 'http://127.0.0.1:4000/me' },
      { method: 'POST', url: 'https://tracker.example.net/collect' },
    ]
    assert.deepEqual(checkHosts(requests, ['api.toy.example', '127.0.0.1:4000']), [
      'the plugin called tracker.example.net, which is neither in network.hosts nor a URL setting',
    ])
  })
})
