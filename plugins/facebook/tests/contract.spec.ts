import type { PluginContext } from '@herald/plugin-sdk'
import { pluginContractSuite } from '@herald/plugin-sdk/testing'
import plugin from '../src/index.js'
import type { FacebookSettings } from '../src/settings.js'
import { FAKE_META_USER, FakeMeta } from '@herald/meta-graph/testing'
import { ACCOUNT, PAGE, photo, publishInput } from './helpers.js'

type Ctx = PluginContext<FacebookSettings>

const fake = new FakeMeta()
const publisher = plugin.kinds.publisher!
const TEXT = 'Spring menu is out — see https://example.com/menu'
const input = publishInput(TEXT)
const publish = (ctx: Ctx) => publisher.publish(ctx, input)
const publishPhotos = (ctx: Ctx) =>
  publisher.publish(
    ctx,
    publishInput({
      text: 'Two photos',
      media: [photo(fake.hostImage('a.jpg')), photo(fake.hostImage('b.jpg'))],
    })
  )
const user = { accessToken: FAKE_META_USER.accessToken }
const since = new Date(Date.now() - 3600_000)

pluginContractSuite<FacebookSettings>({
  plugin,
  packageJson: new URL('../package.json', import.meta.url),
  settings: () => fake.settings(),
  setup: () => fake.start(),
  teardown: () => fake.stop(),
  beforeEach: async () => fake.reset(),
  timeoutMs: 1000,
  errors: [
    {
      name: 'code 32 Page throttling is RateLimited',
      arrange: async () => fake.throttle('page.feed', { code: 32, etaMinutes: 5 }),
      act: publish,
      expect: 'RateLimited',
    },
    {
      name: 'code 4 app throttling is RateLimited',
      arrange: async () => fake.throttle('page.feed', { code: 4 }),
      act: publish,
      expect: 'RateLimited',
    },
    {
      name: 'code 80001 BUC throttling is RateLimited',
      arrange: async () => fake.throttle('page.feed', { code: 80001, etaMinutes: 12 }),
      act: publish,
      expect: 'RateLimited',
    },
    {
      name: 'code 190 revoked token is AuthExpired',
      arrange: async () => fake.revokeAll(),
      act: publish,
      expect: 'AuthExpired',
    },
    {
      name: 'code 506 duplicate is Permanent',
      arrange: async () => void fake.holdPost(PAGE.id, TEXT),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: 'code 100 invalid parameter is Permanent',
      arrange: async () =>
        fake.fail('page.feed', { code: 100, message: '(#100) Invalid parameter' }),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: 'user token on a Page (code 200) is Permanent',
      arrange: async () => {},
      act: (ctx) => publisher.publish(ctx, publishInput(TEXT, { tokens: user })),
      expect: 'Permanent',
    },
    {
      name: 'code 2 before the creating request is Transient',
      arrange: async () =>
        fake.fail('page.photos', {
          status: 500,
          code: 2,
          message: 'Service temporarily unavailable',
        }),
      act: publishPhotos,
      expect: 'Transient',
    },
    {
      name: 'fetchProfile: 500 is Transient',
      arrange: async () =>
        fake.fail('me', { status: 500, code: 1, message: 'An unknown error occurred' }),
      act: (ctx) => publisher.fetchProfile(ctx, user),
      expect: 'Transient',
    },
    {
      name: 'fetchAccounts: revoked token is AuthExpired',
      arrange: async () => fake.revokeAll(),
      act: (ctx) => publisher.fetchAccounts!(ctx, user),
      expect: 'AuthExpired',
    },
    {
      name: 'refresh: an expired token cannot be exchanged (AuthExpired)',
      arrange: async () => fake.expireToken(FAKE_META_USER.accessToken),
      act: (ctx) => publisher.refresh!(ctx, user),
      expect: 'AuthExpired',
    },
  ],
  cancellation: { arrange: async () => fake.hang('page.feed'), act: publish },
  publisher: {
    input,
    unknownOutcome: [
      {
        name: 'commit then hang (POST /feed stored, no answer)',
        arrange: async () => fake.commitThenHang('page.feed'),
      },
      {
        name: 'drop after commit (POST /feed stored, connection closed)',
        arrange: async () => fake.dropAfterCommit('page.feed'),
      },
      {
        name: 'code 1 HTTP 500 from POST /feed',
        arrange: async () =>
          fake.fail('page.feed', { status: 500, code: 1, message: 'An unknown error occurred' }),
      },
    ],
    findPublished: {
      arrange: async () => void fake.holdPost(PAGE.id, TEXT, 1000, `${PAGE.id}_4242`),
      input: {
        account: ACCOUNT,
        tokens: { accessToken: PAGE.accessToken },
        text: TEXT,
        after: since,
      },
      expect: { externalId: `${PAGE.id}_4242` },
    },
  },
})
