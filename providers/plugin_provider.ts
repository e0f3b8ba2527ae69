import type { ApplicationService } from '@adonisjs/core/types'
import type { PluginsConfig } from '#plugin_host/types'
import { PluginRegistry } from '#plugin_host/registry'
import { PluginSettingsStore } from '#plugin_host/settings_store'
import { PluginContextFactory } from '#plugin_host/context_factory'

/**
 * The plugin host: one registry, settings store and context factory per
 * process (container singletons). The registry boots when the app starts:
 * plugins are discovered, validated and loaded, and one boot report is
 * logged; a broken plugin is disabled, never fatal.
 */
export default class PluginProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(PluginRegistry, async (resolver) => {
      const config = this.app.config.get<PluginsConfig>('plugins')
      const logger = await resolver.make('logger')
      return new PluginRegistry({
        folders: config.folders,
        packages: config.packages,
        disabled: config.disabled,
        defaultMediaStorage: config.defaultMediaStorage,
        appRoot: this.app.makePath(),
        logger,
      })
    })

    this.app.container.singleton(PluginSettingsStore, async () => {
      const config = this.app.config.get<PluginsConfig>('plugins')
      const { default: keyring } = await import('#services/secrets')
      return new PluginSettingsStore({ keyring, config: config.settings })
    })

    this.app.container.singleton(PluginContextFactory, async (resolver) => {
      const config = this.app.config.get<PluginsConfig>('plugins')
      return new PluginContextFactory({
        store: await resolver.make(PluginSettingsStore),
        logger: await resolver.make('logger'),
        limits: config.http,
        callTimeoutMs: config.callTimeoutMs,
      })
    })
  }

  async start() {
    const registry = await this.app.container.make(PluginRegistry)
    await registry.boot()
    // Reads SECRETS_KEY now, so a malformed key stops the boot instead of the first save.
    await this.app.container.make(PluginSettingsStore)
  }

  async shutdown() {
    const { closeSharedAgents } = await import('#plugin_host/safe_http_client')
    await closeSharedAgents()
  }
}
