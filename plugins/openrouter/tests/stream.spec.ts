import { test } from '@japa/runner'
import type { HttpClient, HttpResponse, TextRequest, TextStreamPart } from '@herald/plugin-sdk'
import { isPluginError } from '@herald/plugin-sdk'
import { createTestContext } from '@herald/plugin-sdk/testing'
import plugin from '../src/index.js'
import type { OpenRouterSettings } from '../src/settings.js'
import { type SseEvent, SseParser } from '../src/sse.js'
import { abortable } from '../src/stream.js'
import { FAKE_REPLY, FakeOpenRouter } from './fake_openrouter.js'
import { collect, pluginError, rejection, settingsOf } from './helpers.js'

const fake = new FakeOpenRouter()
const text = plugin.kinds['ai-text']!
const request: TextRequest = {
  model: 'openai/gpt-4o-mini',
  messages: [{ role: 'user', content: 'Write a post about spring.' }],
}
const PIECES = FAKE_REPLY.match(/\S+\s*/g)!

function streaming(signal?: AbortSignal, timeoutMs = 2000) {
  return createTestContext<OpenRouterSettings>({
    settings: settingsOf(fake),
    signal,
    timeoutMs,
  })
}

function deltas(parts: TextStreamPart[]): string[] {
  return parts.flatMap((part) => (part.type === 'delta' ? [part.delta] : []))
}

async function until(condition: () => boolean, withinMs = 1000): Promise<boolean> {
  const deadline = performance.now() + withinMs
  while (!condition() && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 5))
  return condition()
}

/** SSE text covering the format: keep-alive comments, CRLF and lone CR, multi-line data, UTF-8, fields. */
const SSE = [
  ': OPENROUTER PROCESSING\r\n\r\n',
  'data: {"a":"Spring 🌸"}\n\n',
  'event: note\r\ndata:no space\r\nid: 7\r\nretry: 100\r\n\r\n',
  'data: {"b":\n',
  'data: "café"}\n\n',
  ': OPENROUTER PROCESSING\r\r',
  'data\n\n',
  'data: [DONE]\n\n',
].join('')
const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"a":"Spring 🌸"}' },
  { event: 'note', data: 'no space' },
  { event: 'message', data: '{"b":\n"café"}' },
  { event: 'message', data: '' },
  { event: 'message', data: '[DONE]' },
]

function parse(chunks: Uint8Array[]): SseEvent[] {
  const parser = new SseParser()
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()]
}

test.group('openrouter / SSE parser', () => {
  test('parses comments, CRLF, CR, multi-line data and UTF-8', ({ assert }) => {
    const parser = new SseParser()
    assert.deepEqual(parse([new TextEncoder().encode(SSE)]), EXPECTED)
    parser.push(SSE)
    assert.equal(parser.comments, 2)
  })

  test('gives the same events whatever the chunk boundaries', ({ assert }) => {
    const bytes = new TextEncoder().encode(SSE)
    for (let cut = 0; cut <= bytes.length; cut++) {
      assert.deepEqual(
        parse([bytes.subarray(0, cut), bytes.subarray(cut)]),
        EXPECTED,
        `cut at ${cut}`
      )
    }
    for (let first = 1; first < bytes.length; first += 3) {
      for (let second = first; second < bytes.length; second += 5) {
        const chunks = [
          bytes.subarray(0, first),
          bytes.subarray(first, second),
          bytes.subarray(second),
        ]
        assert.deepEqual(parse(chunks), EXPECTED, `cuts at ${first} and ${second}`)
      }
    }
    const single = Array.from(bytes, (byte) => Uint8Array.of(byte))
    assert.deepEqual(parse(single), EXPECTED, 'one byte at a time')
  })

  test('dispatches a last event that lacks its blank line at the end', ({ assert }) => {
    const parser = new SseParser()
    assert.deepEqual(parser.push('data: one\n\ndata: [DONE]'), [{ event: 'message', data: 'one' }])
    assert.deepEqual(parser.end(), [{ event: 'message', data: '[DONE]' }])
  })
})

test.group('openrouter / abortable', () => {
  test('rejects at once when aborted while the source is stuck, and cancels the source', async ({
    assert,
  }) => {
    let returned = false
    const stuck: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<number>>(() => {}),
        return: async () => {
          returned = true
          return { done: true, value: undefined }
        },
      }),
    }
    const controller = new AbortController()
    const iterator = abortable(stuck, controller.signal)[Symbol.asyncIterator]()
    const pending = iterator.next()
    setTimeout(() => controller.abort(new Error('stop')), 20)
    const error = await rejection(pending)
    assert.equal((error as Error).message, 'stop')
    assert.isTrue(returned)
  })
})

test.group('openrouter / streamText', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('yields the deltas in order, then exactly one usage item with the cost', async ({
    assert,
  }) => {
    const parts = await collect(text.streamText!(streaming(), request))
    assert.deepEqual(deltas(parts), PIECES)
    assert.equal(deltas(parts).join(''), FAKE_REPLY)
    const usage = parts.filter((part) => part.type === 'usage')
    assert.lengthOf(usage, 1)
    assert.deepEqual(parts.at(-1), {
      type: 'usage',
      usage: {
        inputTokens: Math.ceil(request.messages[0].content.length / 4),
        outputTokens: PIECES.length,
        costUsd: Number(
          (
            Math.ceil(request.messages[0].content.length / 4) * 0.00000015 +
            PIECES.length * 0.0000006
          ).toPrecision(12)
        ),
      },
    })
    const [sent] = fake.requestsTo('/chat/completions')
    assert.include(sent.body!, { stream: true, model: request.model })
    assert.deepEqual(sent.body!.usage, { include: true })
    assert.equal(sent.headers.accept, 'text/event-stream')
  })

  test('delivers the first delta before the fake sends the rest', async ({ assert }) => {
    fake.holdStream(1)
    const iterator = text.streamText!(streaming(), request)[Symbol.asyncIterator]()
    const first = await iterator.next()
    assert.deepEqual(first.value, { type: 'delta', delta: PIECES[0] })
    assert.isTrue(fake.streams[0].held, 'the fake is still holding the rest back')
    assert.equal(fake.streams[0].deltasWritten, 1)
    fake.release()
    const rest: TextStreamPart[] = []
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      rest.push(next.value)
    assert.deepEqual(deltas(rest), PIECES.slice(1))
    assert.equal(rest.at(-1)?.type, 'usage')
  })

  test('parses CRLF line endings the same way', async ({ assert }) => {
    fake.lineEnding = '\r\n'
    const parts = await collect(text.streamText!(streaming(), request))
    assert.equal(deltas(parts).join(''), FAKE_REPLY)
    assert.equal(parts.at(-1)?.type, 'usage')
  })

  test('an abort mid-stream rejects promptly and closes the connection', async ({ assert }) => {
    fake.hangMidStream(2)
    const controller = new AbortController()
    const iterator = text.streamText!(streaming(controller.signal, 10_000), request)[
      Symbol.asyncIterator
    ]()
    const first = await iterator.next()
    const second = await iterator.next()
    assert.deepEqual(
      [first.value, second.value],
      [
        { type: 'delta', delta: PIECES[0] },
        { type: 'delta', delta: PIECES[1] },
      ]
    )
    const started = performance.now()
    setTimeout(() => controller.abort(), 10)
    const error = await rejection(iterator.next())
    assert.isBelow(performance.now() - started, 500)
    assert.strictEqual(error, controller.signal.reason)
    assert.isTrue(
      await until(() => fake.streams[0].closedByClient),
      'the fake saw the client leave'
    )
  })

  test('leaving the loop early closes the connection', async ({ assert }) => {
    fake.holdStream(1)
    for await (const part of text.streamText!(streaming(), request)) {
      assert.equal(part.type, 'delta')
      break
    }
    assert.isTrue(await until(() => fake.streams[0].closedByClient))
    assert.isFalse(fake.streams[0].finished)
  })

  test('a mid-stream error chunk is mapped after the deltas before it', async ({ assert }) => {
    fake.errorMidStream({ after: 3, code: 502, message: 'Provider returned error' })
    const seen: string[] = []
    const error = await rejection(
      (async () => {
        for await (const part of text.streamText!(streaming(), request)) {
          if (part.type === 'delta') seen.push(part.delta)
        }
      })()
    )
    assert.deepEqual(seen, PIECES.slice(0, 3))
    assert.isTrue(isPluginError(error) && error.kind === 'Transient')
    assert.include((error as Error).message, 'Provider returned error')
  })

  test('a mid-stream 429 error chunk is RateLimited', async () => {
    fake.errorMidStream({ after: 1, code: 429, message: 'Rate limit exceeded' })
    await pluginError(collect(text.streamText!(streaming(), request)), 'RateLimited')
  })

  test('a stream that ends without [DONE] is Transient', async ({ assert }) => {
    fake.endStreamEarly(2)
    const error = await pluginError(collect(text.streamText!(streaming(), request)), 'Transient')
    assert.include(error.message, 'stopped before it was complete')
  })

  test('a dropped connection mid-stream is Transient', async ({ assert }) => {
    fake.dropMidStream(2)
    const error = await pluginError(collect(text.streamText!(streaming(), request)), 'Transient')
    assert.include(error.message, 'connection to OpenRouter failed')
  })

  test('a stream that stalls past the timeout is Transient', async ({ assert }) => {
    fake.hangMidStream(1)
    const error = await pluginError(
      collect(text.streamText!(streaming(undefined, 300), request)),
      'Transient'
    )
    assert.include(error.message, 'did not answer in time')
  })

  test('on an SDK 1.0 host (no stream()), the buffered body gives the same parts', async ({
    assert,
  }) => {
    const ctx = createTestContext<OpenRouterSettings>({ settings: settingsOf(fake) })
    const http: HttpClient = {
      async request(httpRequest) {
        const response = await ctx.http.request(httpRequest)
        return { ...response, stream: undefined } as unknown as HttpResponse
      },
    }
    const parts = await collect(text.streamText!({ ...ctx, http }, request))
    assert.deepEqual(deltas(parts), PIECES)
    assert.equal(parts.at(-1)?.type, 'usage')
  })
})
