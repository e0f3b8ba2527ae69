import { inject } from '@adonisjs/core'
import { resolveOAuthSpec } from '@herald/plugin-sdk'
import { Publishers, type PublisherEntry } from '#plugin_host/publishers'
import { PluginSettingsStore } from '#plugin_host/settings_store'
import { callbackUrlFor } from '#services/account_oauth'

/** What an admin needs to create a publisher's developer app, and whether it is configured */
export interface PublisherSetup {
  pluginId: string
  platform: string
  /** Every required setting has a value (the client id and secret, mostly) */
  configured: boolean
  /** Labels of the settings still missing, with their env names */
  missing: string[]
  /** This instance's callback URL, to register in the platform's app */
  callbackUrl: string
  /** Scopes (permissions) to enable in the app; Herald asks for all of them */
  scopes: string[]
  /** How the scopes are written in the authorize URL */
  scopeSeparator: string
  /** Where the authorize step goes (from settings), when it resolves */
  authorizeUrl?: string
  /** Whether "Check configuration" can ask the platform (the plugin has checkCredentials) */
  canCheck: boolean
  /** The step-by-step guide in the repository */
  guide: string
}

/**
 * Setup facts of the publisher plugins, for the Accounts page and each
 * publisher's page under Admin > Plugins: the exact callback URL of this
 * instance, the scopes, the missing settings. Settings are read now, so a
 * value an admin just saved shows at once.
 */
@inject()
export class PublisherSetupQuery {
  constructor(
    private publishers: Publishers,
    private store: PluginSettingsStore
  ) {}

  async all(): Promise<PublisherSetup[]> {
    const setups: PublisherSetup[] = []
    for (const entry of this.publishers.all()) setups.push(await this.#setup(entry))
    return this.publishers.inNetworkOrder(setups, (setup) => setup.pluginId)
  }

  /** The setup of one plugin, or null when it is not an enabled publisher */
  async find(pluginId: string): Promise<PublisherSetup | null> {
    const entry = this.publishers.find(pluginId)
    return entry ? this.#setup(entry) : null
  }

  async #setup(entry: PublisherEntry): Promise<PublisherSetup> {
    const settings = await this.store.resolve(entry.plugin.manifest)
    const spec = entry.publisher.oauth
    let authorizeUrl: string | undefined
    try {
      authorizeUrl = resolveOAuthSpec(spec, settings.values).authorizeUrl
    } catch {}
    return {
      pluginId: entry.plugin.id,
      platform: entry.plugin.manifest.displayName,
      configured: settings.configured,
      missing: settings.missing.map((field) =>
        field.env ? `${field.label} (${field.env})` : field.label
      ),
      callbackUrl: callbackUrlFor(entry.plugin.id),
      scopes: [...spec.scopes],
      scopeSeparator: spec.scopeSeparator ?? ' ',
      authorizeUrl,
      canCheck: typeof entry.publisher.checkCredentials === 'function',
      guide: `docs/platforms/${entry.plugin.id}.md`,
    }
  }
}
