import type { PluginContext } from '@herald/plugin-sdk'
import { pluginContractSuite } from '@herald/plugin-sdk/testing'
import plugin, { type CloudinarySettings } from '../src/index.js'
import { FakeCloudinary } from './fake_cloudinary.js'
import { png } from './images.js'

const fake = new FakeCloudinary()
const storage = plugin.kinds['media-storage']!
const put = (ctx: PluginContext<CloudinarySettings>) =>
  storage.put(ctx, { bytes: png(10, 10), mime: 'image/png', key: '2026/11/contract.png' })

pluginContractSuite<CloudinarySettings>({
  plugin,
  packageJson: new URL('../package.json', import.meta.url),
  settings: () => ({
    cloudName: fake.cloudName,
    apiKey: fake.apiKey,
    apiSecret: fake.apiSecret,
    apiBaseUrl: fake.url,
  }),
  setup: () => fake.start(),
  teardown: () => fake.stop(),
  beforeEach: async () => fake.reset(),
  timeoutMs: 500,
  errors: [
    {
      name: '500 maps to Transient (the upload reuses its public id, so a retry is safe)',
      arrange: async () => fake.fail(500, 'General Error'),
      act: put,
      expect: 'Transient',
    },
    {
      name: '429 maps to RateLimited',
      arrange: async () => fake.fail(429, 'Rate Limit Exceeded'),
      act: put,
      expect: 'RateLimited',
    },
    {
      name: '420 with a reset date maps to RateLimited',
      arrange: async () =>
        fake.fail(420, 'Rate Limit Exceeded', {
          'x-featureratelimit-reset': new Date(Date.now() + 60_000).toUTCString(),
        }),
      act: put,
      expect: 'RateLimited',
    },
    {
      name: 'a timeout maps to Transient',
      arrange: async () => fake.hang(),
      act: put,
      expect: 'Transient',
    },
    {
      name: 'a dropped connection maps to Transient',
      arrange: async () => fake.drop(),
      act: put,
      expect: 'Transient',
    },
    {
      name: 'a wrong API secret (signature refused with 401) maps to Permanent',
      arrange: async () => {},
      act: (ctx) =>
        put({ ...ctx, settings: { ...ctx.settings, apiSecret: 'not-the-secret-at-all' } }),
      expect: 'Permanent',
    },
    {
      name: 'a wrong API key maps to Permanent',
      arrange: async () => {},
      act: (ctx) => put({ ...ctx, settings: { ...ctx.settings, apiKey: '999' } }),
      expect: 'Permanent',
    },
    {
      name: 'a stale timestamp (clock two hours behind) maps to Permanent',
      arrange: async () => {},
      act: (ctx) => put({ ...ctx, clock: { now: () => new Date(Date.now() - 7_200_000) } }),
      expect: 'Permanent',
    },
    {
      name: 'an unknown cloud name maps to Permanent',
      arrange: async () => {},
      act: (ctx) => put({ ...ctx, settings: { ...ctx.settings, cloudName: 'nope' } }),
      expect: 'Permanent',
    },
  ],
  cancellation: { arrange: async () => fake.hang(), act: put },
})
