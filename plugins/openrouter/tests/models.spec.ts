import { test } from '@japa/runner'
import { createTestContext } from '@herald/plugin-sdk/testing'
import { createOpenRouterPlugin } from '../src/index.js'
import { isImageModel, isTextModel, perMillion, toCatalogModel } from '../src/models.js'
import type { OpenRouterSettings } from '../src/settings.js'
import { FAKE_OPENROUTER_KEY, FakeOpenRouter } from './fake_openrouter.js'
import { pluginError, settingsOf } from './helpers.js'

const fake = new FakeOpenRouter()

function context(now = () => new Date()) {
  return createTestContext<OpenRouterSettings>({ settings: settingsOf(fake), now })
}

test.group('openrouter / model pricing', () => {
  test('converts per-token decimal strings to USD per million tokens', ({ assert }) => {
    assert.equal(perMillion('0.000003'), 3)
    assert.equal(perMillion('0.00000015'), 0.15)
    assert.equal(perMillion('0.0000006'), 0.6)
    assert.equal(perMillion('0'), 0)
    assert.isUndefined(perMillion('-1'))
    assert.isUndefined(perMillion('n/a'))
    assert.isUndefined(perMillion(undefined))
  })

  test('classifies models by their output modalities, also from the legacy modality string', ({
    assert,
  }) => {
    const legacy = toCatalogModel({
      id: 'x/legacy',
      architecture: { modality: 'text+image->text' },
      pricing: { prompt: '0.000001', completion: '0.000002' },
    })!
    assert.deepEqual(legacy.outputModalities, ['text'])
    assert.isTrue(isTextModel(legacy))
    const drawer = toCatalogModel({
      id: 'x/drawer',
      architecture: { output_modalities: ['image', 'text'] },
      pricing: { prompt: '0', completion: '0', image_output: '0.02' },
    })!
    assert.isTrue(isImageModel(drawer))
    assert.isFalse(isTextModel(drawer))
    assert.equal(drawer.pricing.perImageUsd, 0.02)
    assert.isUndefined(toCatalogModel({ id: 'x/unpriced', pricing: { prompt: '0.1' } }))
  })
})

test.group('openrouter / listModels', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('offers text models with their prices in USD per million tokens', async ({ assert }) => {
    const models = await createOpenRouterPlugin().kinds['ai-text']!.listModels(context())
    assert.deepEqual(models, [
      {
        id: 'anthropic/claude-3.5-sonnet',
        name: 'Anthropic: Claude 3.5 Sonnet',
        pricing: { inputPerMTokUsd: 3, outputPerMTokUsd: 15 },
        contextLength: 200_000,
      },
      {
        id: 'openai/gpt-4o-mini',
        name: 'OpenAI: GPT-4o-mini',
        pricing: { inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6 },
        contextLength: 128_000,
      },
      {
        id: 'meta-llama/llama-3.3-70b-instruct:free',
        name: 'Meta: Llama 3.3 70B Instruct (free)',
        pricing: { inputPerMTokUsd: 0, outputPerMTokUsd: 0 },
        contextLength: 131_072,
      },
    ])
  })

  test('offers image models with a price per image', async ({ assert }) => {
    const models = await createOpenRouterPlugin().kinds['ai-image']!.listModels(context())
    assert.deepEqual(
      models.map((model) => [model.id, model.pricing]),
      [
        // Per-token image_output (0.00003) times 1290 tokens per image.
        [
          'google/gemini-2.5-flash-image',
          { inputPerMTokUsd: 0.3, outputPerMTokUsd: 2.5, perImageUsd: 0.0387 },
        ],
        [
          'black-forest-labs/flux.2-pro',
          { inputPerMTokUsd: 0, outputPerMTokUsd: 0, perImageUsd: 0.04 },
        ],
      ]
    )
  })

  test('asks for text and image models, with the API key', async ({ assert }) => {
    await createOpenRouterPlugin().kinds['ai-text']!.listModels(context())
    const [sent] = fake.requestsTo('/models')
    assert.equal(sent.method, 'GET')
    assert.deepEqual(sent.query, { output_modalities: 'text,image' })
    assert.equal(sent.headers.authorization, `Bearer ${FAKE_OPENROUTER_KEY}`)
  })

  test('reuses the list until it is 10 minutes old, per plugin instance', async ({ assert }) => {
    let now = new Date('2026-03-21T09:00:00Z')
    const plugin = createOpenRouterPlugin()
    await plugin.kinds['ai-text']!.listModels(context(() => now))
    await plugin.kinds['ai-image']!.listModels(context(() => now))
    now = new Date('2026-03-21T09:09:59Z')
    await plugin.kinds['ai-text']!.listModels(context(() => now))
    assert.lengthOf(fake.requestsTo('/models'), 1)
    now = new Date('2026-03-21T09:10:00Z')
    await plugin.kinds['ai-text']!.listModels(context(() => now))
    assert.lengthOf(fake.requestsTo('/models'), 2)
    await createOpenRouterPlugin().kinds['ai-text']!.listModels(context(() => now))
    assert.lengthOf(fake.requestsTo('/models'), 3)
  })

  test('text and image models asked at the same moment share one request', async ({ assert }) => {
    const plugin = createOpenRouterPlugin()
    fake.latencyMs = 50
    const [text, image] = await Promise.all([
      plugin.kinds['ai-text']!.listModels(context()),
      plugin.kinds['ai-image']!.listModels(context()),
    ])
    assert.isAbove(text.length, 0)
    assert.isAbove(image.length, 0)
    assert.lengthOf(fake.requestsTo('/models'), 1)
  })

  test('does not cache a failure', async ({ assert }) => {
    const plugin = createOpenRouterPlugin()
    fake.fail(503, { path: 'models' })
    await pluginError(plugin.kinds['ai-text']!.listModels(context()), 'Transient')
    fake.reset()
    const models = await plugin.kinds['ai-text']!.listModels(context())
    assert.lengthOf(models, 3)
  })

  test('a rejected key is Permanent', async ({ assert }) => {
    fake.revokeKey()
    const error = await pluginError(
      createOpenRouterPlugin().kinds['ai-image']!.listModels(context()),
      'Permanent'
    )
    assert.include(error.message, 'OPENROUTER_API_KEY')
  })

  test('a wrong base URL path is Permanent and says which setting to check', async ({ assert }) => {
    const ctx = createTestContext<OpenRouterSettings>({
      settings: settingsOf(fake, { baseUrl: `${fake.origin}/v1` }),
    })
    const error = await pluginError(
      createOpenRouterPlugin().kinds['ai-text']!.listModels(ctx),
      'Permanent'
    )
    assert.include(error.message, 'OPENROUTER_BASE_URL')
  })
})
