import { test } from '@japa/runner'
import { Permanent, RateLimited, Transient } from '@herald/plugin-sdk'
import { describePricing, estimateTokens, formatUsd, imageCost, textCost } from '#ai/pricing'
import { retryDelay, withRetries } from '#ai/retry'
import { describeFailure } from '#ai/failures'

const options = { baseDelayMs: 100, maxDelayMs: 1000 }

test.group('AI cost', () => {
  test('the provider reported cost wins; otherwise tokens are priced from the catalog', ({
    assert,
  }) => {
    const pricing = { inputPerMTokUsd: 3, outputPerMTokUsd: 15 }
    assert.equal(textCost({ inputTokens: 1000, outputTokens: 100, costUsd: 0.042 }, pricing), 0.042)
    assert.equal(textCost({ inputTokens: 1000, outputTokens: 100 }, pricing), 0.0045)
    assert.equal(textCost({ inputTokens: 1000, outputTokens: 100 }), 0)
    assert.equal(imageCost({}, 2, { ...pricing, perImageUsd: 0.04 }), 0.08)
    assert.equal(imageCost({ costUsd: 0.039 }, 1), 0.039)
    assert.equal(estimateTokens(''), 0)
    assert.equal(estimateTokens('abcdefghi'), 3)
  })

  test('amounts read well: small ones keep four decimals', ({ assert }) => {
    assert.equal(formatUsd(0), '$0.00')
    assert.equal(formatUsd(0.0387), '$0.0387')
    assert.equal(formatUsd(12.5), '$12.50')
    assert.equal(formatUsd(1234), '$1,234.00')
    assert.equal(describePricing({ inputPerMTokUsd: 0, outputPerMTokUsd: 0 }, 'text'), 'free')
    assert.equal(
      describePricing({ inputPerMTokUsd: 0, outputPerMTokUsd: 0, perImageUsd: 0.04 }, 'image'),
      '~$0.0400 an image'
    )
  })
})

test.group('AI retries', () => {
  test('provider down waits longer each time (or what it asks); permanent failures never retry', ({
    assert,
  }) => {
    assert.equal(retryDelay(new Transient('down'), 1, options), 100)
    assert.equal(retryDelay(new Transient('down'), 2, options), 300)
    assert.equal(retryDelay(new Transient('down'), 4, options), 1000)
    assert.equal(retryDelay(new Transient('down', { retryAfterMs: 250 }), 1, options), 250)
    assert.isUndefined(retryDelay(new Permanent('no'), 1, options))
    assert.isUndefined(retryDelay(new Error('bug'), 1, options))
  })

  test('a rate limit is waited out only when it resets soon', ({ assert }) => {
    const now = new Date('2026-06-01T10:00:00Z')
    const soon = new RateLimited(new Date('2026-06-01T10:00:00.600Z'))
    const later = new RateLimited(new Date('2026-06-01T10:05:00Z'))
    assert.equal(retryDelay(soon, 1, { ...options, now: () => now }), 600)
    assert.isUndefined(retryDelay(later, 1, { ...options, now: () => now }))
  })

  test('withRetries tries again until it works or the attempts are spent', async ({ assert }) => {
    let calls = 0
    const result = await withRetries(
      async () => {
        calls++
        if (calls < 3) throw new Transient('down')
        return 'ok'
      },
      { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 }
    )
    assert.equal(result, 'ok')
    assert.equal(calls, 3)

    calls = 0
    await assert.rejects(
      () =>
        withRetries(
          async () => {
            calls++
            throw new Transient('still down')
          },
          { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 }
        ),
      'still down'
    )
    assert.equal(calls, 2)
  })

  test('failures become a ledger status and a sentence', ({ assert }) => {
    const timeoutMs = 120_000
    const moderation = new Permanent("The provider's moderation refused this prompt: x.", {
      code: 'moderation',
    })
    assert.deepEqual(describeFailure(moderation, { timeoutMs }), {
      status: 'refused',
      message: "The provider's moderation refused this prompt: x.",
    })
    assert.equal(
      describeFailure(new Error('x'), { timeoutMs, cancelled: true }).status,
      'cancelled'
    )
    const timeout = new DOMException('timed out', 'TimeoutError')
    assert.include(describeFailure(timeout, { timeoutMs }).message, 'longer than 120 s')
    assert.equal(
      describeFailure(new Transient('Down.'), { timeoutMs, attempts: 3 }).message,
      'Down. (tried 3 times)'
    )
    assert.equal(
      describeFailure(new Error('secret stack'), { timeoutMs }).message,
      'Something went wrong while generating. Try again.'
    )
  })
})
