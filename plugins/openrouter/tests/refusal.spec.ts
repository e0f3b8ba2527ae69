import { test } from '@japa/runner'
import type { TextRequest } from '@herald/plugin-sdk'
import { createTestContext } from '@herald/plugin-sdk/testing'
import plugin from '../src/index.js'
import type { OpenRouterSettings } from '../src/settings.js'
import { FAKE_REPLY, FakeOpenRouter } from './fake_openrouter.js'
import { collect, pluginError, settingsOf } from './helpers.js'

/**
 * A model that refuses answers 200: its choice finishes with `content_filter` and carries the model's
 * `refusal`. The plugin turns that into a Permanent `moderation` error quoting the refusal, so the host
 * shows it as a refusal rather than as an empty answer.
 */
const fake = new FakeOpenRouter()
const text = plugin.kinds['ai-text']!
const image = plugin.kinds['ai-image']!
const request: TextRequest = {
  model: 'anthropic/claude-3.5-sonnet',
  messages: [{ role: 'user', content: 'Write something the model will not write.' }],
}
const context = () =>
  createTestContext<OpenRouterSettings>({ settings: settingsOf(fake), timeoutMs: 1000 })

test.group('openrouter / moderation refusals and recovering faults', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('generateText: a content_filter refusal is Permanent "moderation" with the model words', async ({
    assert,
  }) => {
    fake.refuse('I cannot write that.')
    const error = await pluginError(text.generateText(context(), request), 'Permanent')
    assert.equal(
      error.message,
      'The provider\'s moderation refused this prompt: "I cannot write that."'
    )
    assert.equal(error.toJSON().code, 'moderation')
  })

  test('streamText: deltas already written, then the refusal rejects the stream', async ({
    assert,
  }) => {
    fake.refuse('No.')
    const seen: string[] = []
    const error = await pluginError(
      (async () => {
        for await (const part of text.streamText!(context(), request)) {
          if (part.type === 'delta') seen.push(part.delta)
        }
      })(),
      'Permanent'
    )
    assert.lengthOf(seen, 1)
    assert.isTrue(FAKE_REPLY.startsWith(seen[0]))
    assert.equal(error.message, 'The provider\'s moderation refused this prompt: "No."')
    assert.equal(error.toJSON().code, 'moderation')
  })

  test('generateImage: a refusal with no image is a moderation refusal, not "no image"', async ({
    assert,
  }) => {
    fake.refuse('I can’t draw that.')
    const error = await pluginError(
      image.generateImage(context(), {
        model: 'google/gemini-2.5-flash-image',
        prompt: 'Something refused',
      }),
      'Permanent'
    )
    assert.include(error.message, 'moderation refused this prompt')
    assert.equal(error.toJSON().code, 'moderation')
  })

  test('a fault with `times` answers normally once spent (a provider that recovers)', async ({
    assert,
  }) => {
    fake.fail(502, { times: 1 })
    await pluginError(text.generateText(context(), request), 'Transient')
    const result = await text.generateText(context(), request)
    assert.equal(result.text, FAKE_REPLY)
    const parts = await collect(text.streamText!(context(), request))
    assert.equal(parts.at(-1)?.type, 'usage')
  })
})
