import { inject } from '@adonisjs/core'
import type { AiImageProvider, AiTextProvider, PluginContext } from '@herald/plugin-sdk'
import aiConfig from '#config/ai'
import { PluginRegistry, type LoadedPlugin } from '#plugin_host/registry'
import { PluginContextFactory, type CallOptions } from '#plugin_host/context_factory'
import { PluginSettingsStore } from '#plugin_host/settings_store'

/** What is generated: text (ai-text plugins) or images (ai-image plugins) */
export type AiKind = 'text' | 'image'

/** One provider of a kind, ready to call */
export interface AiProviderEntry<K extends AiKind = AiKind> {
  plugin: LoadedPlugin
  kind: K
  provider: K extends 'text' ? AiTextProvider : AiImageProvider
  /** Display name, e.g. "OpenRouter" */
  name: string
}

/** Whether a kind can be used, and if not, why in words and how to fix it */
export interface AiAvailability {
  ready: boolean
  /** Configured providers, the preferred one first */
  providers: AiProviderEntry[]
  /** Why nothing can be generated (no provider, or one without its key) */
  problem?: 'no_provider' | 'not_configured'
  /** Where an admin fixes it (the first provider's settings page) */
  fixUrl?: string
  /** Settings missing, with their environment variables, e.g. "API key (OPENROUTER_API_KEY)" */
  missing?: string[]
}

/**
 * The AI providers (ai-text and ai-image plugins), the preferred one
 * (config/ai.ts) first, whether each is configured, and the context of a call.
 */
@inject()
export class AiProviders {
  constructor(
    private registry: PluginRegistry,
    private contexts: PluginContextFactory,
    private store: PluginSettingsStore
  ) {}

  /** Every enabled provider of a kind, configured or not */
  all<K extends AiKind>(kind: K): AiProviderEntry<K>[] {
    const entries = kind === 'text' ? this.registry.textProviders() : this.registry.imageProviders()
    return entries
      .map(({ plugin, implementation }) => ({
        plugin,
        kind,
        provider: implementation as AiProviderEntry<K>['provider'],
        name: plugin.manifest.displayName,
      }))
      .sort(
        (a, b) =>
          Number(b.plugin.id === aiConfig.preferredProvider) -
          Number(a.plugin.id === aiConfig.preferredProvider)
      )
  }

  /** An enabled provider of a kind by plugin id */
  find<K extends AiKind>(kind: K, pluginId: string): AiProviderEntry<K> | undefined {
    return this.all(kind).find((entry) => entry.plugin.id === pluginId)
  }

  /** Which providers of a kind have every required setting (an API key) */
  async availability(kind: AiKind): Promise<AiAvailability> {
    const all = this.all(kind)
    if (all.length === 0) return { ready: false, providers: [], problem: 'no_provider' }
    const configured: AiProviderEntry[] = []
    let missing: string[] | undefined
    for (const entry of all) {
      const settings = await this.store.resolve(entry.plugin.manifest)
      if (settings.configured) configured.push(entry)
      else
        missing ??= settings.missing.map((field) =>
          field.env ? `${field.label} (${field.env})` : field.label
        )
    }
    if (configured.length > 0) return { ready: true, providers: configured }
    return {
      ready: false,
      providers: [],
      problem: 'not_configured',
      fixUrl: `/admin/plugins/${all[0].plugin.id}`,
      missing,
    }
  }

  /** The context of one call (resolved settings, safe HTTP client, signal, deadline) */
  context<S>(entry: AiProviderEntry, options: CallOptions = {}): Promise<PluginContext<S>> {
    return this.contexts.create<S>(entry.plugin, options)
  }
}
