import { test } from '@japa/runner'
import {
  AuthExpired,
  classifyHttpFailure,
  classifyTransportError,
  HttpNetworkError,
  HttpTimeoutError,
  isPluginError,
  Permanent,
  PluginError,
  RateLimited,
  Transient,
  Unknown,
} from '@herald/plugin-sdk'

const NOW = new Date('2025-06-01T12:00:00Z')

test.group('plugin sdk / errors', () => {
  test('each error carries its kind, name and JSON form', ({ assert }) => {
    const resetAt = new Date('2025-06-01T12:05:00Z')
    const rateLimited = new RateLimited(resetAt)
    assert.isTrue(rateLimited instanceof PluginError)
    assert.equal(rateLimited.kind, 'RateLimited')
    assert.equal(rateLimited.name, 'RateLimited')
    assert.equal(rateLimited.delayMs(NOW), 300_000)
    assert.deepEqual(rateLimited.toJSON(), {
      kind: 'RateLimited',
      message: 'Rate limited until 2025-06-01T12:05:00.000Z',
      resetAt: '2025-06-01T12:05:00.000Z',
    })

    const cause = new Error('socket hang up')
    const transient = new Transient('retry me', { cause, retryAfterMs: 500 })
    assert.equal(transient.cause, cause)
    assert.deepEqual(transient.toJSON(), {
      kind: 'Transient',
      message: 'retry me',
      retryAfterMs: 500,
    })

    assert.deepEqual(new AuthExpired('token expired').toJSON(), {
      kind: 'AuthExpired',
      message: 'token expired',
    })
    assert.deepEqual(new Unknown('may exist').toJSON(), { kind: 'Unknown', message: 'may exist' })
  })

  test('Permanent keeps a user message and truncates the platform message', ({ assert }) => {
    const error = new Permanent('Your post is too long.', {
      platformMessage: 'x'.repeat(5000),
      code: '186',
    })
    assert.equal(error.message, 'Your post is too long.')
    assert.equal(error.userMessage, 'Your post is too long.')
    assert.lengthOf(error.platformMessage!, 2000)
    const json = error.toJSON()
    assert.equal(json.kind, 'Permanent')
    assert.equal(json.code, '186')
    assert.equal(json.userMessage, 'Your post is too long.')
  })

  test('published thread parts travel on the error', ({ assert }) => {
    const error = new Transient('part 2 failed', { publishedParts: [{ externalId: '1' }] })
    assert.deepEqual(error.toJSON().publishedParts, [{ externalId: '1' }])
  })

  test('isPluginError recognises SDK errors only', ({ assert }) => {
    assert.isTrue(isPluginError(new Unknown('x')))
    assert.isFalse(isPluginError(new Error('x')))
    assert.isFalse(isPluginError({ kind: 'Transient', message: 'x' }))
    const foreign = Object.assign(new Error('x'), { kind: 'Transient' })
    assert.isFalse(isPluginError(foreign))
    const fromAnotherCopy = Object.assign(new Error('x'), {
      kind: 'Transient',
      [Symbol.for('herald.plugin-sdk.PluginError')]: true,
    })
    assert.isTrue(isPluginError(fromAnotherCopy))
  })
})

test.group('plugin sdk / classifyHttpFailure', () => {
  test('401 is AuthExpired', ({ assert }) => {
    const error = classifyHttpFailure(401, new Headers(), '{"message":"expired"}')
    assert.instanceOf(error, AuthExpired)
    assert.include(error.message, 'expired')
  })

  test('429 reads retry-after seconds, HTTP dates and x-rate-limit-reset', ({ assert }) => {
    const seconds = classifyHttpFailure(429, new Headers({ 'retry-after': '30' }), '', { now: NOW })
    assert.instanceOf(seconds, RateLimited)
    assert.equal((seconds as RateLimited).resetAt.toISOString(), '2025-06-01T12:00:30.000Z')

    const date = classifyHttpFailure(429, { 'Retry-After': 'Sun, 01 Jun 2025 12:10:00 GMT' }, '', {
      now: NOW,
    })
    assert.equal((date as RateLimited).resetAt.toISOString(), '2025-06-01T12:10:00.000Z')

    const epoch = String(Date.parse('2025-06-01T13:00:00Z') / 1000)
    const reset = classifyHttpFailure(429, new Headers({ 'x-rate-limit-reset': epoch }), '', {
      now: NOW,
    })
    assert.equal((reset as RateLimited).resetAt.toISOString(), '2025-06-01T13:00:00.000Z')

    const epochMs = String(Date.parse('2025-06-01T13:00:00Z'))
    const resetMs = classifyHttpFailure(429, new Headers({ 'x-ratelimit-reset': epochMs }), '', {
      now: NOW,
    })
    assert.equal((resetMs as RateLimited).resetAt.toISOString(), '2025-06-01T13:00:00.000Z')

    const fallback = classifyHttpFailure(429, new Headers(), '', { now: NOW })
    assert.equal((fallback as RateLimited).resetAt.toISOString(), '2025-06-01T12:01:00.000Z')
  })

  test('503 is Transient; other 5xx are Unknown only for creating requests', ({ assert }) => {
    const unavailable = classifyHttpFailure(503, new Headers({ 'retry-after': '5' }), '', {
      now: NOW,
      creating: true,
    })
    assert.instanceOf(unavailable, Transient)
    assert.equal((unavailable as Transient).retryAfterMs, 5000)
    assert.instanceOf(classifyHttpFailure(502, new Headers(), '', { creating: true }), Unknown)
    assert.instanceOf(classifyHttpFailure(500, new Headers(), ''), Transient)
  })

  test('other 4xx are Permanent with the platform message', ({ assert }) => {
    const error = classifyHttpFailure(400, new Headers(), {
      errors: [{ message: 'duplicate content' }],
    })
    assert.instanceOf(error, Permanent)
    assert.equal((error as Permanent).platformMessage, 'duplicate content')
    assert.equal((error as Permanent).code, '400')
    const text = classifyHttpFailure(403, new Headers(), 'Forbidden: missing scope')
    assert.equal((text as Permanent).platformMessage, 'Forbidden: missing scope')
  })
})

test.group('plugin sdk / classifyTransportError', () => {
  const details = { method: 'POST', url: 'https://api.example.com/posts?key=secret' } as const

  test('a failure before the request left is Transient', ({ assert }) => {
    const error = classifyTransportError(new HttpNetworkError({ ...details, phase: 'connect' }), {
      creating: true,
    })
    assert.instanceOf(error, Transient)
  })

  test('a failure after a creating request left is Unknown', ({ assert }) => {
    const timeout = new HttpTimeoutError({ ...details, phase: 'response', timeoutMs: 100 })
    assert.instanceOf(classifyTransportError(timeout, { creating: true }), Unknown)
    assert.instanceOf(classifyTransportError(timeout, { creating: false }), Transient)
  })

  test('transport errors never expose the query string', ({ assert }) => {
    const error = new HttpNetworkError({ ...details, phase: 'response', reason: 'ECONNRESET' })
    assert.equal(error.url, 'https://api.example.com/posts')
    assert.notInclude(error.message, 'secret')
  })

  test('other errors are left to the plugin', ({ assert }) => {
    assert.isUndefined(classifyTransportError(new TypeError('bug')))
  })
})
