import { inject } from '@adonisjs/core'
import type { PluginContext, Publisher } from '@herald/plugin-sdk'
import { PluginRegistry, PluginUnavailableError, type LoadedPlugin } from '#plugin_host/registry'
import { PluginContextFactory, type CallOptions } from '#plugin_host/context_factory'

/** The built-in networks, in the order people name them */
export const BUILT_IN_NETWORKS = ['x', 'linkedin', 'facebook', 'instagram'] as const

/**
 * The one order of networks wherever several show (a post's accounts, the
 * calendar, the dashboards, the accounts page, the composer): X, LinkedIn,
 * Facebook, Instagram, then any plugin network by its display name.
 */
export function compareNetworks(
  a: string,
  b: string,
  displayName: (pluginId: string) => string = (pluginId) => pluginId
): number {
  const rank = (pluginId: string) => {
    const index = (BUILT_IN_NETWORKS as readonly string[]).indexOf(pluginId)
    return index === -1 ? BUILT_IN_NETWORKS.length : index
  }
  return rank(a) - rank(b) || displayName(a).localeCompare(displayName(b)) || a.localeCompare(b)
}

/** A publisher plugin, ready to call */
export interface PublisherEntry {
  plugin: LoadedPlugin
  publisher: Publisher
}

/**
 * The publisher plugins (one per network) by plugin id, and the context of a
 * call to one. Accounts, tokens and the publishing pipeline go through here.
 */
@inject()
export class Publishers {
  constructor(
    private registry: PluginRegistry,
    private contexts: PluginContextFactory
  ) {}

  /** Every enabled publisher */
  all(): PublisherEntry[] {
    return this.registry
      .publishers()
      .map(({ plugin, implementation }) => ({ plugin, publisher: implementation }))
  }

  /** The publisher of a plugin id, or undefined when it is off, broken or not a publisher */
  find(pluginId: string): PublisherEntry | undefined {
    return this.all().find((entry) => entry.plugin.id === pluginId)
  }

  /** The publisher of a plugin id; throws PluginUnavailableError in words when it cannot be used */
  get(pluginId: string): PublisherEntry {
    const entry = this.find(pluginId)
    if (!entry) {
      const record = this.registry.find(pluginId)
      const why = !record
        ? 'it is not installed'
        : record.status === 'off'
          ? 'it is turned off (HERALD_PLUGINS_DISABLED)'
          : record.status === 'broken'
            ? 'it failed to load (see Admin > Plugins)'
            : 'it is not a publisher'
      throw new PluginUnavailableError(`The ${pluginId} plugin cannot be used: ${why}.`)
    }
    return entry
  }

  /** Display name of a plugin id, the id itself when unknown */
  displayName(pluginId: string): string {
    return this.registry.find(pluginId)?.manifest?.displayName ?? pluginId
  }

  /**
   * A copy of items in network order (compareNetworks, with the plugins'
   * display names); items of one network keep the order they came in.
   */
  inNetworkOrder<T>(items: readonly T[], pluginIdOf: (item: T) => string): T[] {
    const displayName = (pluginId: string) => this.displayName(pluginId)
    return [...items].sort((a, b) => compareNetworks(pluginIdOf(a), pluginIdOf(b), displayName))
  }

  /** Plugin ids in network order */
  sortNetworks(pluginIds: readonly string[]): string[] {
    return this.inNetworkOrder(pluginIds, (pluginId) => pluginId)
  }

  /** The context of one call to a publisher (settings, safe HTTP client, redacting logger) */
  context(entry: PublisherEntry, options: CallOptions = {}): Promise<PluginContext> {
    return this.contexts.create(entry.plugin, options)
  }
}
