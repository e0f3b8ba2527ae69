import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pluginContractSuite } from '@herald/plugin-sdk/testing'
import plugin, { type LocalMediaSettings } from '../src/index.js'
import { png } from './images.js'

let directory = ''
const storage = plugin.kinds['media-storage']!
const image = png(4, 3)

pluginContractSuite<LocalMediaSettings>({
  plugin,
  packageJson: new URL('../package.json', import.meta.url),
  settings: () => ({ directory, publicBaseUrl: 'https://herald.example/media' }),
  setup: async () => {
    directory = await mkdtemp(join(tmpdir(), 'herald-local-media-'))
  },
  teardown: () => rm(directory, { recursive: true, force: true }),
  errors: [
    {
      name: 'a type it cannot serve safely is Permanent',
      arrange: async () => {},
      act: (ctx) => storage.put(ctx, { bytes: image, mime: 'text/html', key: 'a/page.html' }),
      expect: 'Permanent',
    },
    {
      name: 'a key leaving the folder is Permanent',
      arrange: async () => {},
      act: (ctx) => storage.put(ctx, { bytes: image, mime: 'image/png', key: '../escape.png' }),
      expect: 'Permanent',
    },
    {
      name: 'a folder it cannot write to is Permanent',
      arrange: () => writeFile(join(directory, 'blocked'), 'a file, not a folder'),
      act: (ctx) => storage.put(ctx, { bytes: image, mime: 'image/png', key: 'blocked/x.png' }),
      expect: 'Permanent',
    },
  ],
  /** A local write finishes before an abort can land: check an already-aborted call instead */
  cancellation: {
    alreadyAborted: {
      act: (ctx) => storage.put(ctx, { bytes: image, mime: 'image/png', key: 'aborted/never.png' }),
    },
  },
})
