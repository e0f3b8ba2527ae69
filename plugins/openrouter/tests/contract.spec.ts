import { test } from '@japa/runner'
import type { PluginContext, TextRequest } from '@herald/plugin-sdk'
import {
  checkCancellation,
  createCapturingLogger,
  createTestContext,
  pluginContractSuite,
} from '@herald/plugin-sdk/testing'
import plugin, { createOpenRouterPlugin } from '../src/index.js'
import type { OpenRouterSettings } from '../src/settings.js'
import { FakeOpenRouter } from './fake_openrouter.js'
import { collect, settingsOf } from './helpers.js'

type Ctx = PluginContext<OpenRouterSettings>

const fake = new FakeOpenRouter()
const text = plugin.kinds['ai-text']!
const image = plugin.kinds['ai-image']!
const request: TextRequest = {
  model: 'anthropic/claude-3.5-sonnet',
  messages: [{ role: 'user', content: 'Write a post about spring.' }],
}
const generate = (ctx: Ctx) => text.generateText(ctx, request)
const stream = (ctx: Ctx) => collect(text.streamText!(ctx, request))
const draw = (ctx: Ctx, model = 'google/gemini-2.5-flash-image') =>
  image.generateImage(ctx, { model, prompt: 'A sunset over mountains', aspectRatio: '16:9' })

pluginContractSuite<OpenRouterSettings>({
  plugin,
  packageJson: new URL('../package.json', import.meta.url),
  settings: () => settingsOf(fake),
  setup: () => fake.start(),
  teardown: () => fake.stop(),
  beforeEach: async () => fake.reset(),
  timeoutMs: 1000,
  errors: [
    {
      name: '401 wrong API key is Permanent',
      arrange: async () => fake.revokeKey(),
      act: generate,
      expect: 'Permanent',
    },
    {
      name: '402 out of credits is Permanent',
      arrange: async () => fake.fail(402),
      act: generate,
      expect: 'Permanent',
    },
    {
      name: '429 is RateLimited',
      arrange: async () => fake.rateLimit(),
      act: generate,
      expect: 'RateLimited',
    },
    {
      name: '400 unknown model is Permanent',
      arrange: async () => {},
      act: (ctx) => text.generateText(ctx, { ...request, model: 'acme/no-such-model' }),
      expect: 'Permanent',
    },
    {
      name: '404 no endpoint for the model is Permanent',
      arrange: async () => {},
      act: (ctx) => draw(ctx, 'openai/gpt-4o-mini'),
      expect: 'Permanent',
    },
    {
      name: '403 moderation is Permanent',
      arrange: async () => fake.moderate(),
      act: generate,
      expect: 'Permanent',
    },
    {
      name: 'a refusal in a 200 (content_filter) is Permanent',
      arrange: async () => fake.refuse(),
      act: generate,
      expect: 'Permanent',
    },
    {
      name: 'stream: a refusal (content_filter) is Permanent',
      arrange: async () => fake.refuse(),
      act: stream,
      expect: 'Permanent',
    },
    {
      name: '408 is Transient',
      arrange: async () => fake.fail(408),
      act: generate,
      expect: 'Transient',
    },
    {
      name: '500 is Transient',
      arrange: async () => fake.fail(500),
      act: generate,
      expect: 'Transient',
    },
    {
      name: '502 provider down is Transient',
      arrange: async () => fake.fail(502),
      act: generate,
      expect: 'Transient',
    },
    {
      name: '503 is Transient',
      arrange: async () => fake.fail(503),
      act: generate,
      expect: 'Transient',
    },
    {
      name: 'timeout is Transient',
      arrange: async () => fake.hang(),
      act: generate,
      expect: 'Transient',
    },
    {
      name: 'dropped connection is Transient',
      arrange: async () => fake.drop(),
      act: generate,
      expect: 'Transient',
    },
    {
      name: 'error in a 200 body is mapped by its code',
      arrange: async () => fake.errorInBody(502, 'Provider returned error'),
      act: generate,
      expect: 'Transient',
    },
    {
      name: 'stream: 429 is RateLimited',
      arrange: async () => fake.rateLimit(),
      act: stream,
      expect: 'RateLimited',
    },
    {
      name: 'stream: mid-stream error is Transient',
      arrange: async () => fake.errorMidStream(),
      act: stream,
      expect: 'Transient',
    },
    {
      name: 'stream: hang mid-stream is Transient',
      arrange: async () => fake.hangMidStream(),
      act: stream,
      expect: 'Transient',
    },
    {
      name: 'stream: drop mid-stream is Transient',
      arrange: async () => fake.dropMidStream(),
      act: stream,
      expect: 'Transient',
    },
    {
      name: 'image: 402 is Permanent',
      arrange: async () => fake.fail(402),
      act: draw,
      expect: 'Permanent',
    },
    {
      name: 'image: moderation is Permanent',
      arrange: async () => fake.moderate(['sexual']),
      act: draw,
      expect: 'Permanent',
    },
    {
      name: 'image: GIF is Permanent',
      arrange: async () => void (fake.imageMode = 'gif'),
      act: draw,
      expect: 'Permanent',
    },
    {
      name: 'image: not an image is Permanent',
      arrange: async () => void (fake.imageMode = 'garbage'),
      act: draw,
      expect: 'Permanent',
    },
    {
      // A 1 MB limit keeps the payload small: 21 MB of base64 can outlast the 1 s deadline on a busy
      // machine (the 20 MB default is covered in image.spec.ts).
      name: 'image: oversized is Permanent',
      arrange: async () => {
        fake.imageMode = 'oversized'
        fake.oversizedBytes = 1024 * 1024 + 1
      },
      act: (ctx) =>
        createOpenRouterPlugin({ maxImageBytes: 1024 * 1024 }).kinds['ai-image']!.generateImage(
          ctx,
          { model: 'google/gemini-2.5-flash-image', prompt: 'A sunset', aspectRatio: '16:9' }
        ),
      expect: 'Permanent',
    },
    {
      name: 'image: hang is Transient',
      arrange: async () => fake.hang(),
      act: draw,
      expect: 'Transient',
    },
    {
      name: 'models: 500 is Transient',
      arrange: async () => fake.fail(500, { path: 'models' }),
      act: (ctx) => createFreshPlugin().kinds['ai-text']!.listModels(ctx),
      expect: 'Transient',
    },
  ],
  cancellation: { arrange: async () => fake.hang(), act: generate },
})

/** A plugin instance without a cached catalog, so model-list faults are reached. */
function createFreshPlugin() {
  return createOpenRouterPlugin({ modelCacheMs: 0 })
}

test.group('plugin contract: openrouter / cancellation of every call', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  const context = (signal?: AbortSignal) =>
    createTestContext<OpenRouterSettings>({
      settings: settingsOf(fake),
      signal,
      log: createCapturingLogger(),
    })

  test('streamText rejects promptly when cancelled while the fake hangs', async ({ assert }) => {
    const problems = await checkCancellation(
      { arrange: async () => fake.hang(), act: (ctx: Ctx) => stream(ctx) },
      context
    )
    assert.deepEqual(problems, [])
  })

  test('generateImage rejects promptly when cancelled while the fake hangs', async ({ assert }) => {
    const problems = await checkCancellation(
      { arrange: async () => fake.hang(), act: (ctx: Ctx) => draw(ctx) },
      context
    )
    assert.deepEqual(problems, [])
  })

  test('listModels rejects promptly when cancelled while the fake hangs', async ({ assert }) => {
    const problems = await checkCancellation(
      {
        arrange: async () => fake.hang('models'),
        act: (ctx: Ctx) => createFreshPlugin().kinds['ai-image']!.listModels(ctx),
      },
      context
    )
    assert.deepEqual(problems, [])
  })
})
