import type { PluginContext } from '@herald/plugin-sdk'
import { pluginContractSuite } from '@herald/plugin-sdk/testing'
import plugin from '../src/index.js'
import type { LinkedInSettings } from '../src/settings.js'
import { FAKE_LINKEDIN_TOKENS, FakeLinkedIn } from './fake_linkedin.js'
import { image, publishInput, settingsOf } from './helpers.js'

type Ctx = PluginContext<LinkedInSettings>

const fake = new FakeLinkedIn()
const publisher = plugin.kinds.publisher!
const TEXT = 'Our spring menu is out (finally!) — see #SpringMenu at https://example.com/menu'
const input = publishInput(TEXT)
const withImage = publishInput({ text: 'With a picture', media: [image('image/png')] })
const publish = (ctx: Ctx) => publisher.publish(ctx, input)
const publishImage = (ctx: Ctx) => publisher.publish(ctx, withImage)
const tokens = { accessToken: FAKE_LINKEDIN_TOKENS.accessToken }

pluginContractSuite<LinkedInSettings>({
  plugin,
  packageJson: new URL('../package.json', import.meta.url),
  settings: () => settingsOf(fake),
  setup: () => fake.start(),
  teardown: () => fake.stop(),
  beforeEach: async () => fake.reset(),
  timeoutMs: 1000,
  errors: [
    {
      name: '429 without headers is RateLimited',
      arrange: async () => void fake.rateLimit(),
      act: publish,
      expect: 'RateLimited',
    },
    {
      name: '429 with Retry-After is RateLimited',
      arrange: async () => void fake.rateLimit({ retryAfterSeconds: 120 }),
      act: publish,
      expect: 'RateLimited',
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
      name: '403 ACCESS_DENIED is Permanent',
      arrange: async () => fake.fail(403, { code: 'ACCESS_DENIED', serviceErrorCode: 100 }),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: '422 duplicate is Permanent',
      arrange: async () => void fake.holdPost(TEXT),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: '422 validation is Permanent',
      arrange: async () => fake.fail(422, { message: 'ERROR :: /commentary :: invalid\n' }),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: '426 inactive LinkedIn-Version is Permanent',
      arrange: async () => void (fake.activeVersions = { oldest: '202611', newest: '202612' }),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: '503 during the image upload (before the post) is Transient',
      arrange: async () => fake.fail(503, { route: 'images.initialize' }),
      act: publishImage,
      expect: 'Transient',
    },
    {
      name: 'timeout of the image PUT is Transient',
      arrange: async () => fake.hang('images.upload'),
      act: publishImage,
      expect: 'Transient',
    },
    {
      name: 'dropped connection during the image PUT is Transient',
      arrange: async () => fake.drop('images.upload'),
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
      name: 'fetchProfile: 500 is Transient',
      arrange: async () => fake.fail(500, { route: 'userinfo' }),
      act: (ctx) => publisher.fetchProfile(ctx, tokens),
      expect: 'Transient',
    },
    {
      name: 'refresh without a refresh token is AuthExpired',
      arrange: async () => {},
      act: (ctx) => publisher.refresh!(ctx, tokens),
      expect: 'AuthExpired',
    },
    {
      name: 'refresh: an invalid refresh token is AuthExpired',
      arrange: async () => void (fake.partnerApp = true),
      act: (ctx) => publisher.refresh!(ctx, { ...tokens, refreshToken: 'AQWnot-a-real-token' }),
      expect: 'AuthExpired',
    },
  ],
  cancellation: { arrange: async () => fake.hang('posts.create'), act: publish },
  publisher: {
    input,
    unknownOutcome: [
      {
        name: 'commit then hang (POST /rest/posts stored, no answer)',
        arrange: async () => fake.commitThenHang(),
      },
      {
        name: 'drop after commit (POST /rest/posts stored, connection closed)',
        arrange: async () => fake.dropAfterCommit(),
      },
      { name: 'HTTP 504 from POST /rest/posts', arrange: async () => fake.fail(504) },
    ],
  },
})
