import { test } from '@japa/runner'
import plugin from '../src/index.js'
import { FAKE_X_CLIENT, FAKE_X_TOKENS, FakeX } from './fake_x.js'
import { contextOf, pluginError } from './helpers.js'

const publisher = plugin.kinds.publisher!
const fake = new FakeX()
const NOW = new Date('2026-11-24T10:00:00.000Z')

test.group('x / refresh (rotating, single-use refresh tokens)', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('exchanges the refresh token with Basic client auth and returns the rotated pair', async ({
    assert,
  }) => {
    const tokens = fake.issueTokens()
    const next = await publisher.refresh!(contextOf(fake, { now: () => NOW }), {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
    })
    assert.notEqual(next.accessToken, tokens.accessToken)
    assert.isString(next.refreshToken)
    assert.notEqual(next.refreshToken, tokens.refreshToken)
    assert.deepEqual(next.expiresAt, new Date(NOW.getTime() + 7200 * 1000))
    assert.deepEqual(next.scopes, FAKE_X_TOKENS.scopes)

    const [sent] = fake.requestsTo('token')
    const basic = `Basic ${Buffer.from(`${FAKE_X_CLIENT.id}:${FAKE_X_CLIENT.secret}`).toString('base64')}`
    assert.equal(sent.headers.authorization, basic)
    assert.match(String(sent.headers['content-type']), /^application\/x-www-form-urlencoded/)
    assert.deepEqual(sent.form, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refreshToken!,
      client_id: FAKE_X_CLIENT.id,
    })
    assert.isTrue(fake.isTokenValid(next.accessToken))
    assert.isFalse(fake.isTokenValid(tokens.refreshToken!), 'the old refresh token is spent')
  })

  test('reusing the old refresh token is AuthExpired; the rotated one keeps working', async ({
    assert,
  }) => {
    const tokens = fake.issueTokens()
    const ctx = contextOf(fake)
    const first = await publisher.refresh!(ctx, tokens)
    const error = await pluginError(publisher.refresh!(ctx, tokens), 'AuthExpired')
    assert.include(error.message, 'invalid_grant')
    assert.include(error.message, 'reconnect')

    const second = await publisher.refresh!(ctx, first)
    assert.notEqual(second.refreshToken, first.refreshToken)
    assert.equal(fake.refreshCount, 2)
  })

  test('an answer without refresh_token keeps the old refresh token (never an empty one)', async ({
    assert,
  }) => {
    fake.omitRefreshTokenOnRefresh = true
    const tokens = fake.issueTokens()
    const next = await publisher.refresh!(contextOf(fake), tokens)
    assert.equal(next.refreshToken, tokens.refreshToken)
    assert.isTrue(fake.isTokenValid(next.refreshToken!))
    const again = await publisher.refresh!(contextOf(fake), next)
    assert.equal(again.refreshToken, tokens.refreshToken)
  })

  test('without a refresh token it asks for a reconnect and sends nothing', async ({ assert }) => {
    const error = await pluginError(
      publisher.refresh!(contextOf(fake), { accessToken: 'a' }),
      'AuthExpired'
    )
    assert.include(error.message, 'offline.access')
    assert.lengthOf(fake.requests, 0)
  })

  test('a revoked grant is AuthExpired; a wrong client secret is Permanent, not AuthExpired', async ({
    assert,
  }) => {
    const tokens = fake.issueTokens()
    const wrongSecret = await pluginError(
      publisher.refresh!(
        contextOf(fake, { settings: { clientSecret: 'wrong-secret-value' } }),
        tokens
      ),
      'Permanent'
    )
    assert.equal(wrongSecret.code, 'invalid_client')
    assert.include(wrongSecret.userMessage, 'X_CLIENT_SECRET')
    assert.isTrue(fake.isTokenValid(tokens.refreshToken!), 'a refused client spends nothing')

    fake.revokeToken(tokens.accessToken)
    await pluginError(publisher.refresh!(contextOf(fake), tokens), 'AuthExpired')
  })

  test('429 at the token endpoint is RateLimited until x-rate-limit-reset (epoch seconds)', async ({
    assert,
  }) => {
    const resetAt = fake.rateLimit({ route: 'token', resetAt: new Date(Date.now() + 42_000) })
    const error = await pluginError(
      publisher.refresh!(contextOf(fake), fake.issueTokens()),
      'RateLimited'
    )
    assert.equal(error.resetAt.getTime(), Math.ceil(resetAt.getTime() / 1000) * 1000)
  })

  test('no token or secret reaches the logs', async ({ assert }) => {
    const ctx = contextOf(fake)
    const tokens = fake.issueTokens()
    const next = await publisher.refresh!(ctx, tokens)
    await pluginError(publisher.refresh!(ctx, tokens), 'AuthExpired')
    const logged = ctx.logger.text()
    for (const secret of [
      FAKE_X_CLIENT.secret,
      tokens.refreshToken!,
      next.accessToken,
      next.refreshToken!,
    ]) {
      assert.notInclude(logged, secret)
    }
  })
})

test.group('x / revoke', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('revokes the refresh token, then the access token; a second revoke is harmless', async ({
    assert,
  }) => {
    const tokens = fake.issueTokens()
    await publisher.revoke!(contextOf(fake), tokens)
    assert.isFalse(fake.isTokenValid(tokens.accessToken))
    assert.isFalse(fake.isTokenValid(tokens.refreshToken!))
    assert.deepEqual(
      fake.requestsTo('revoke').map((request) => request.form?.token_type_hint),
      ['refresh_token', 'access_token']
    )
    assert.equal(fake.requestsTo('revoke')[0].form?.token, tokens.refreshToken)
    await publisher.revoke!(contextOf(fake), tokens)
  })
})
