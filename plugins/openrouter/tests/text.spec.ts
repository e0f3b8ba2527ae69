import { createServer } from 'node:net'
import { test } from '@japa/runner'
import type { RateLimited, TextRequest, Transient } from '@herald/plugin-sdk'
import { createTestContext } from '@herald/plugin-sdk/testing'
import plugin from '../src/index.js'
import type { OpenRouterSettings } from '../src/settings.js'
import { FAKE_OPENROUTER_KEY, FAKE_REPLY, FakeOpenRouter } from './fake_openrouter.js'
import { pluginError, settingsOf } from './helpers.js'

const fake = new FakeOpenRouter()
const text = plugin.kinds['ai-text']!
const MODEL = 'anthropic/claude-3.5-sonnet'
const request: TextRequest = {
  model: MODEL,
  messages: [
    { role: 'system', content: 'You write short social posts.' },
    { role: 'user', content: 'Write a post about spring.' },
  ],
}
const NOW = new Date('2026-03-21T09:00:00.000Z')

function context(extra: Partial<OpenRouterSettings> = {}, now = () => new Date()) {
  return createTestContext<OpenRouterSettings>({
    settings: settingsOf(fake, extra),
    now,
    timeoutMs: 1000,
  })
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

test.group('openrouter / generateText', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('returns the answer with its tokens and the cost OpenRouter reports', async ({ assert }) => {
    const result = await text.generateText(context(), request)
    assert.equal(result.text, FAKE_REPLY)
    const prompt = Math.ceil((request.messages[0].content + request.messages[1].content).length / 4)
    const completion = FAKE_REPLY.match(/\S+\s*/g)!.length
    assert.deepEqual(result.usage, {
      inputTokens: prompt,
      outputTokens: completion,
      costUsd: Number((prompt * 0.000003 + completion * 0.000015).toPrecision(12)),
    })
  })

  test('sends the model, messages, options and usage accounting with the key and attribution', async ({
    assert,
  }) => {
    const result = await text.generateText(context(), {
      ...request,
      maxTokens: 3,
      temperature: 0.4,
    })
    assert.equal(result.text, 'Spring is here ')
    assert.equal(result.usage.outputTokens, 3)
    const [sent] = fake.requestsTo('/chat/completions')
    assert.deepEqual(sent.body, {
      model: MODEL,
      messages: request.messages,
      max_tokens: 3,
      temperature: 0.4,
      stream: false,
      usage: { include: true },
    })
    assert.equal(sent.headers.authorization, `Bearer ${FAKE_OPENROUTER_KEY}`)
    assert.match(String(sent.headers['content-type']), /^application\/json/)
    assert.equal(sent.headers['x-title'], 'Herald')
    assert.isUndefined(sent.headers['http-referer'])
  })

  test('sends appUrl as HTTP-Referer and a header-safe app name', async ({ assert }) => {
    await text.generateText(
      context({ appName: '  Héraldo ✨ Studio ', appUrl: 'https://studio.example.com' }),
      request
    )
    const [sent] = fake.requestsTo('/chat/completions')
    assert.equal(sent.headers['x-title'], 'Heraldo Studio')
    assert.equal(sent.headers['http-referer'], 'https://studio.example.com')
  })

  test('adds the upstream cost when the account brings its own provider key', async ({
    assert,
  }) => {
    fake.byok = true
    const result = await text.generateText(context(), request)
    const prompt = Math.ceil((request.messages[0].content + request.messages[1].content).length / 4)
    const completion = FAKE_REPLY.match(/\S+\s*/g)!.length
    const upstream = prompt * 0.000003 + completion * 0.000015
    assert.closeTo(result.usage.costUsd!, upstream * 1.05, 1e-12)
  })

  test('refuses without an API key, an invalid base URL or an empty prompt, before any request', async ({
    assert,
  }) => {
    const noKey = await pluginError(
      text.generateText(context({ apiKey: '  ' }), request),
      'Permanent'
    )
    assert.include(noKey.message, 'OPENROUTER_API_KEY')
    const badUrl = await pluginError(
      text.generateText(context({ baseUrl: 'ftp://nowhere' }), request),
      'Permanent'
    )
    assert.include(badUrl.message, 'OPENROUTER_BASE_URL')
    await pluginError(text.generateText(context(), { ...request, messages: [] }), 'Permanent')
    await pluginError(text.generateText(context(), { ...request, model: '' }), 'Permanent')
    assert.lengthOf(fake.requests, 0)
  })

  test('a 200 that is not JSON is Transient', async ({ assert }) => {
    fake.notJson()
    const error = await pluginError(text.generateText(context(), request), 'Transient')
    assert.include(error.message, 'not JSON')
  })

  test('a connection refused is Transient', async ({ assert }) => {
    const port = await closedPort()
    const error = await pluginError(
      text.generateText(context({ baseUrl: `http://127.0.0.1:${port}/api/v1` }), request),
      'Transient'
    )
    assert.include(error.message, 'connection to OpenRouter failed')
  })
})

test.group('openrouter / error mapping', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('401: the API key is rejected, Permanent with where to fix it', async ({ assert }) => {
    fake.revokeKey()
    const error = await pluginError(text.generateText(context(), request), 'Permanent')
    assert.equal(
      error.message,
      'OpenRouter rejected the API key. Check the OpenRouter plugin settings (OPENROUTER_API_KEY).'
    )
    assert.equal(error.toJSON().platformMessage, 'User not found.')
    assert.notInclude(JSON.stringify(error.toJSON()), FAKE_OPENROUTER_KEY)
  })

  test('402: out of credits, Permanent with where to top up', async ({ assert }) => {
    fake.fail(402)
    const error = await pluginError(text.generateText(context(), request), 'Permanent')
    assert.include(error.message, 'out of credits')
    assert.include(error.message, 'https://openrouter.ai/credits')
  })

  test('429: RateLimited until X-RateLimit-Reset (ms since the epoch)', async ({ assert }) => {
    const resetAt = new Date(NOW.getTime() + 42_000)
    fake.rateLimit({ resetAt })
    const error = (await pluginError(
      text.generateText(
        context({}, () => NOW),
        request
      ),
      'RateLimited'
    )) as RateLimited
    assert.equal(error.resetAt.toISOString(), resetAt.toISOString())
  })

  test('429: RateLimited after Retry-After seconds, else 30 s', async ({ assert }) => {
    fake.rateLimit({ headers: false, retryAfterSeconds: 12 })
    const after = (await pluginError(
      text.generateText(
        context({}, () => NOW),
        request
      ),
      'RateLimited'
    )) as RateLimited
    assert.equal(after.delayMs(NOW), 12_000)
    fake.rateLimit({ headers: false })
    const fallback = (await pluginError(
      text.generateText(
        context({}, () => NOW),
        request
      ),
      'RateLimited'
    )) as RateLimited
    assert.equal(fallback.delayMs(NOW), 30_000)
  })

  test('400: an unknown model is Permanent and names the model', async ({ assert }) => {
    const error = await pluginError(
      text.generateText(context(), { ...request, model: 'acme/no-such-model' }),
      'Permanent'
    )
    assert.include(error.message, 'does not know the model "acme/no-such-model"')
    assert.equal(error.toJSON().code, 'unknown_model')
  })

  test('404: a model without an available endpoint is Permanent and names the model', async ({
    assert,
  }) => {
    fake.fail(404, { message: `No endpoints found for ${MODEL}.` })
    const error = await pluginError(text.generateText(context(), request), 'Permanent')
    assert.include(error.message, `has no available provider for the model "${MODEL}"`)
  })

  test('400: a prompt over the context length says so', async ({ assert }) => {
    fake.fail(400, {
      message: "This endpoint's maximum context length is 200000 tokens.",
      metadata: { error_type: 'context_length_exceeded' },
    })
    const error = await pluginError(text.generateText(context(), request), 'Permanent')
    assert.include(error.message, `The prompt is too long for the model "${MODEL}"`)
  })

  test('403 moderation: Permanent listing the flagged reasons', async ({ assert }) => {
    fake.moderate(['violence', 'harassment'])
    const error = await pluginError(text.generateText(context(), request), 'Permanent')
    assert.equal(
      error.message,
      "The provider's moderation refused this prompt: violence, harassment."
    )
    assert.equal(error.toJSON().code, 'moderation')
  })

  test('503 with Retry-After: Transient with the suggested delay', async ({ assert }) => {
    fake.fail(503, { headers: { 'Retry-After': '5' } })
    const error = (await pluginError(
      text.generateText(
        context({}, () => NOW),
        request
      ),
      'Transient'
    )) as Transient
    assert.equal(error.retryAfterMs, 5000)
    assert.include(error.message, 'HTTP 503')
  })

  test('an error in a 200 body maps by its code', async ({ assert }) => {
    fake.errorInBody(429, 'Rate limit exceeded', { error_type: 'rate_limit_exceeded' })
    const limited = (await pluginError(
      text.generateText(
        context({}, () => NOW),
        request
      ),
      'RateLimited'
    )) as RateLimited
    assert.equal(limited.delayMs(NOW), 30_000)
    fake.errorInBody(402, 'Insufficient credits')
    const credits = await pluginError(text.generateText(context(), request), 'Permanent')
    assert.include(credits.message, 'out of credits')
  })

  test('the API key is scrubbed from anything OpenRouter echoes back', async ({ assert }) => {
    fake.fail(400, { message: `Malformed header: Bearer ${FAKE_OPENROUTER_KEY} was not expected` })
    const error = await pluginError(text.generateText(context(), request), 'Permanent')
    const json = JSON.stringify(error.toJSON())
    assert.notInclude(json, FAKE_OPENROUTER_KEY)
    assert.include(json, '[redacted]')
  })
})
