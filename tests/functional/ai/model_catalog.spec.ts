import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { isolateDatabase } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { useFakeOpenRouter } from '#tests/helpers/ai'
import { AiProviders } from '#ai/providers'
import { ModelCatalog } from '#ai/model_catalog'
import { FakeOpenRouter } from '#tests/fakes/openrouter'

/**
 * The host's model catalog: the composer offers each provider's text and
 * image models with their prices without asking the provider on every page.
 */
test.group('Model catalog', (group) => {
  isolateDatabase(group)
  const { fake } = useFakeOpenRouter(group)

  test('the composer lists text and image models with prices, asking the provider once', async ({
    client,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(owner)
    for (let visit = 0; visit < 3; visit++) {
      const page = await client.get(`/w/${workspace.slug}/compose`).loginAs(owner)
      page.assertStatus(200)
      const html = page.text()
      assert.include(html, 'Anthropic: Claude 3.5 Sonnet · $3.00 in / $15.00 out per M tokens')
      assert.include(html, 'Meta: Llama 3.3 70B Instruct (free) · free')
      assert.include(html, 'Google: Gemini 2.5 Flash Image · ~$0.0387 an image')
      assert.include(html, 'Black Forest Labs: FLUX.2 [pro] · ~$0.0400 an image')
      assert.notInclude(html, 'Text Embedding')
      assert.notInclude(html, 'Auto Router')
      assert.match(html, /<option value="openrouter:anthropic\/claude-3.5-sonnet" selected/)
    }
    assert.lengthOf(fake.requestsTo('/models'), 1)
  })

  test('another key or base URL is a new catalog; a provider that cannot list models is said in words', async ({
    assert,
  }) => {
    const catalog = await app.container.make(ModelCatalog)
    const providers = await app.container.make(AiProviders)
    const entry = providers.find('text', 'openrouter')!
    assert.isAbove((await catalog.list(entry)).models.length, 0)
    assert.isAbove((await catalog.list(entry)).models.length, 0)
    assert.lengthOf(fake.requestsTo('/models'), 1)

    const second = new FakeOpenRouter()
    const failing = new FakeOpenRouter()
    await second.start()
    await failing.start()
    try {
      process.env.OPENROUTER_BASE_URL = second.url
      await catalog.list(entry)
      assert.lengthOf(second.requestsTo('/models'), 1)

      process.env.OPENROUTER_BASE_URL = failing.url
      failing.fail(500, { path: 'models' })
      const failed = await catalog.list(entry)
      assert.deepEqual(failed.models, [])
      assert.include(failed.error, 'OpenRouter could not list its models')
      await catalog.list(entry)
      assert.lengthOf(failing.requestsTo('/models'), 1, 'a failure is remembered for a while')
    } finally {
      await second.stop()
      await failing.stop()
    }
  })

  test('without a model list the composer still works with the default model written out', async ({
    client,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(owner)
    fake.fail(503, { path: 'models' })
    const page = await client.get(`/w/${workspace.slug}/compose`).loginAs(owner)
    page.assertStatus(200)
    assert.include(page.text(), 'value="openrouter:anthropic/claude-3.5-sonnet"')
    assert.include(page.text(), 'OpenRouter could not list its models')
  })
})
