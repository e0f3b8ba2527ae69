import type { PluginContext } from '@herald/plugin-sdk'
import { pluginContractSuite } from '@herald/plugin-sdk/testing'
import plugin from '../src/index.js'
import type { InstagramSettings } from '../src/settings.js'
import { FAKE_META_USER, FakeMeta } from '@herald/meta-graph/testing'
import { ACCOUNT, IG_ID, PAGE, photo, publishInput, settingsOf } from './helpers.js'

type Ctx = PluginContext<InstagramSettings>

const fake = new FakeMeta()
const publisher = plugin.kinds.publisher!
const TEXT = 'Fresh croissants this morning #bakery'
// The fake serves /media/photo.jpg after every reset; its port is known once it started.
const input = () => publishInput({ text: TEXT, media: [photo(`${fake.url}/media/photo.jpg`)] })
const publish = (ctx: Ctx) => publisher.publish(ctx, input())
const user = { accessToken: FAKE_META_USER.accessToken }

pluginContractSuite<InstagramSettings>({
  plugin,
  packageJson: new URL('../package.json', import.meta.url),
  settings: () => settingsOf(fake),
  setup: () => fake.start(),
  teardown: () => fake.stop(),
  beforeEach: async () => fake.reset(),
  timeoutMs: 1000,
  errors: [
    {
      name: 'code 80002 Instagram throttling is RateLimited',
      arrange: async () =>
        fake.throttle('ig.media', { code: 80002, etaMinutes: 3, businessId: IG_ID }),
      act: publish,
      expect: 'RateLimited',
    },
    {
      name: 'code 4 on media_publish is RateLimited',
      arrange: async () => fake.throttle('ig.publish', { code: 4 }),
      act: publish,
      expect: 'RateLimited',
    },
    {
      name: 'publishing quota 2207042 is RateLimited',
      arrange: async () =>
        fake.fail('ig.publish', {
          code: 9,
          subcode: 2207042,
          message: 'Application request limit reached',
        }),
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
      name: 'code 100 invalid parameter is Permanent',
      arrange: async () =>
        fake.fail('ig.media', {
          code: 100,
          message: '(#100) The aspect ratio is not supported.',
          subcode: 2207009,
        }),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: 'ERROR container is Permanent',
      arrange: async () => void (fake.containerMode = 'error'),
      act: publish,
      expect: 'Permanent',
    },
    {
      name: 'container never finishing is Transient',
      arrange: async () => void (fake.containerMode = 'never'),
      act: (ctx) =>
        publisher.publish(
          { ...ctx, settings: { ...ctx.settings, containerTimeoutSeconds: 0.5 } },
          input()
        ),
      expect: 'Transient',
    },
    {
      name: 'code 2 on the container (before media_publish) is Transient',
      arrange: async () =>
        fake.fail('ig.media', { status: 500, code: 2, message: 'Service temporarily unavailable' }),
      act: publish,
      expect: 'Transient',
    },
    {
      name: 'media not ready on media_publish (9007) is Transient',
      arrange: async () =>
        fake.fail('ig.publish', {
          code: 9007,
          subcode: 2207027,
          message: 'Media ID is not available',
        }),
      act: publish,
      expect: 'Transient',
    },
    {
      name: 'fetchAccounts: revoked token is AuthExpired',
      arrange: async () => fake.revokeAll(),
      act: (ctx) => publisher.fetchAccounts!(ctx, user),
      expect: 'AuthExpired',
    },
    {
      name: 'fetchAccounts: no Page with Instagram is Permanent',
      arrange: async () => void fake.pages.forEach((page) => delete page.igUserId),
      act: (ctx) => publisher.fetchAccounts!(ctx, user),
      expect: 'Permanent',
    },
  ],
  cancellation: { arrange: async () => fake.hang('ig.publish'), act: publish },
  publisher: {
    // A getter: the input names the fake's image URL, known once the fake started.
    get input() {
      return input()
    },
    unknownOutcome: [
      {
        name: 'commit then hang (media_publish applied, no answer)',
        arrange: async () => fake.commitThenHang('ig.publish'),
      },
      {
        name: 'drop after commit (media_publish applied, connection closed)',
        arrange: async () => fake.dropAfterCommit('ig.publish'),
      },
      {
        name: 'code 1 HTTP 500 from media_publish',
        arrange: async () =>
          fake.fail('ig.publish', { status: 500, code: 1, message: 'An unknown error occurred' }),
      },
    ],
    findPublished: {
      arrange: async () => void fake.holdIgMedia(IG_ID, TEXT, 1000, '17920238422030506'),
      input: {
        account: ACCOUNT,
        tokens: { accessToken: PAGE.accessToken },
        text: TEXT,
        after: new Date(Date.now() - 3600_000),
      },
      expect: { externalId: '17920238422030506' },
    },
  },
})
