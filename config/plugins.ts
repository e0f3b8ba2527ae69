import { join, resolve } from 'node:path'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { appUrl } from '#config/app'
import type { PluginsConfig } from '#plugin_host/types'

/** A relative STORAGE_DIR is taken from the app root */
const storageDir = resolve(app.makePath(), env.get('STORAGE_DIR', 'storage'))

/**
 * Plugins: AI providers, social networks and media storage. Every folder in
 * plugins/ is discovered at boot; see docs/plugins.md.
 */
const pluginsConfig: PluginsConfig = {
  folders: [app.makePath('plugins')],

  /** Third-party plugins installed from npm, e.g. ['@acme/herald-plugin-mastodon'] */
  packages: [],

  /** HERALD_PLUGINS_DISABLED=id1,id2 turns plugins off without removing them */
  disabled: (env.get('HERALD_PLUGINS_DISABLED') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean),

  defaultMediaStorage: env.get('HERALD_MEDIA_STORAGE', 'local-media'),

  /** Values Herald supplies below env and admin values (the local disk and public URL) */
  settings: {
    'local-media': {
      directory: join(storageDir, 'media'),
      publicBaseUrl: `${appUrl.replace(/\/+$/, '')}/media`,
    },
  },

  http: {
    timeoutMs: 30_000,
    maxTimeoutMs: 120_000,
    connectTimeoutMs: 10_000,
    maxResponseBytes: 50 * 1024 * 1024,
    maxRedirects: 5,
  },

  /** A publish, generation or upload that takes longer than this is cancelled */
  callTimeoutMs: 300_000,
}

export default pluginsConfig
