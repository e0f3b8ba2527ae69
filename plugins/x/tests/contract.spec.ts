import type { PluginContext } from '@herald/plugin-sdk'
import { pluginContractSuite } from '@herald/plugin-sdk/testing'
import { createXPlugin } from '../src/index.js'
import type { XSettings } from '../src/settings.js'
import { FAKE_X_TOKENS, FakeX } from './fake_x.js'
import { ACCOUNT, image, publishInput, settingsOf } from './helpers.js'

type Ctx = PluginContext<XSettings>

const fake = new FakeX()
const plugin = createXPlugin({ minPollMs: 5, maxPollMs: 20 })
const publisher = plugin.kinds.publisher!
const TEXT = 'Spring menu is live 🌸 https://example.com/menu'
const input = publishInput([TEXT])
const withImage = publishInput([{ text: 'With a picture', media: [image('image/png')] }])
const publish = (ctx: Ctx) => publisher.publish(ctx, input)
const publishImage = (ctx: Ctx) => publisher.publish(ctx, withImage)
const tokens = { accessToken: FAKE_X_TOKENS.accessToken, refreshToken: FAKE_X_TOKENS.refreshToken }
const after = new Date(Date.now() - 60_000)

pluginContractSuite<XSettings>({
  plugin,
  packageJson: new URL('../package.json', import.meta.url),
  settings: () => settingsOf(fake),
  setup: () => fake.start(),
  teardown: () => fake.stop(),
  beforeEach: async () => fake.reset(),
  timeoutMs: 1000,
  errors: [
    {
      name: '429 with x-rate-limit-reset is RateLimited',
      arrange: async () => void fake.rateLimit(),
      act: publish,
      expect: 'RateLimited',
    },
    {
      name: '429 on the 24-hour user cap is RateLimited',
      arrange: async () => void fake.rateLimit({ scope: 'user24h' }),
      act: publish,
      expect: 'RateLimited',
    },
    {
      name: '429 UsageCapExceeded is Permanent',
      arrange: async () => fake.usageCapped(),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: '401 revoked token is AuthExpired',
      arrange: async () => fake.revokeAll(),
      act: publish,
      expect: 'AuthExpired',
    },
    {
      name: '401 expired token is AuthExpired',
      arrange: async () => fake.expireAccessTokens(),
      act: publish,
      expect: 'AuthExpired',
    },
    {
      name: '402 no credits is Permanent',
      arrange: async () => fake.creditsDepleted(),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: '403 duplicate content is Permanent',
      arrange: async () => void fake.holdTweet(TEXT),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: '403 client-forbidden is Permanent',
      arrange: async () =>
        fake.fail(403, {
          title: 'Client Forbidden',
          detail:
            'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.',
          type: 'https://api.twitter.com/2/problems/client-forbidden',
        }),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: '400 invalid request is Permanent',
      arrange: async () =>
        fake.fail(400, { detail: 'One or more parameters to your request was invalid.' }),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: '503 during the image upload (before the post) is Transient',
      arrange: async () => fake.fail(503, { route: 'media.initialize' }),
      act: publishImage,
      expect: 'Transient',
    },
    {
      name: 'timeout during the image upload is Transient',
      arrange: async () => fake.hang('media.append'),
      act: publishImage,
      expect: 'Transient',
    },
    {
      name: 'dropped connection during the image upload is Transient',
      arrange: async () => fake.drop('media.finalize'),
      act: publishImage,
      expect: 'Transient',
    },
    {
      name: 'fetchProfile: 401 is AuthExpired',
      arrange: async () => fake.revokeAll(),
      act: (ctx) => publisher.fetchProfile(ctx, tokens),
      expect: 'AuthExpired',
    },
    {
      name: 'fetchProfile: 503 is Transient',
      arrange: async () => fake.fail(503, { route: 'me' }),
      act: (ctx) => publisher.fetchProfile(ctx, tokens),
      expect: 'Transient',
    },
    {
      name: 'refresh: a spent refresh token is AuthExpired',
      arrange: async () => {
        const response = await fetch(`${fake.url}/2/oauth2/token`, {
          method: 'POST',
          headers: {
            'authorization': `Basic ${Buffer.from(`${settingsOf(fake).clientId}:${settingsOf(fake).clientSecret}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: tokens.refreshToken,
          }),
        })
        if (response.status !== 200) throw new Error(`refresh failed: ${response.status}`)
      },
      act: (ctx) => publisher.refresh!(ctx, tokens),
      expect: 'AuthExpired',
    },
    {
      name: 'refresh: a wrong client secret is Permanent',
      arrange: async () => {},
      act: (ctx) =>
        publisher.refresh!(
          { ...ctx, settings: { ...ctx.settings, clientSecret: 'not-the-secret' } },
          tokens
        ),
      expect: 'Permanent',
    },
    {
      name: 'refresh: 503 is Transient',
      arrange: async () => fake.fail(503, { route: 'token' }),
      act: (ctx) => publisher.refresh!(ctx, tokens),
      expect: 'Transient',
    },
    {
      name: 'findPublished: 429 is RateLimited',
      arrange: async () => void fake.rateLimit({ route: 'timeline' }),
      act: (ctx) => publisher.findPublished!(ctx, { account: ACCOUNT, tokens, text: TEXT, after }),
      expect: 'RateLimited',
    },
  ],
  cancellation: { arrange: async () => fake.hang('tweets.create'), act: publish },
  publisher: {
    input,
    unknownOutcome: [
      {
        name: 'commit then hang (POST /2/tweets stored, no answer)',
        arrange: async () => fake.commitThenHang(),
      },
      {
        name: 'drop after commit (POST /2/tweets stored, connection closed)',
        arrange: async () => fake.dropAfterCommit(),
      },
      { name: 'HTTP 500 from POST /2/tweets', arrange: async () => fake.fail(500) },
    ],
    findPublished: {
      arrange: async () => void fake.holdTweet(TEXT, { id: '1860000000000000042' }),
      input: { account: ACCOUNT, tokens, text: TEXT, after },
      expect: { externalId: '1860000000000000042' },
    },
  },
})
