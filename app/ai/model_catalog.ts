import { createHash } from 'node:crypto'
import { inject } from '@adonisjs/core'
import { isPluginError, type ModelInfo } from '@herald/plugin-sdk'
import aiConfig from '#config/ai'
import { AiProviders, type AiKind, type AiProviderEntry } from '#ai/providers'

/** A model of one provider, as offered in the panels */
export interface CatalogModel extends ModelInfo {
  pluginId: string
  /** `<pluginId>:<modelId>`, the value of the model fields */
  value: string
}

/** The models of a provider, or why they could not be listed */
export interface ProviderModels {
  models: CatalogModel[]
  error?: string
}

interface Cached {
  at: number
  result: ProviderModels
}

const cache = new Map<string, Cached>()
const inflight = new Map<string, Promise<ProviderModels>>()

/** `<pluginId>:<modelId>` (model ids may hold `:` and `/`, plugin ids never hold `:`) */
export function modelValue(pluginId: string, modelId: string) {
  return `${pluginId}:${modelId}`
}

/** The plugin id and model id of a model field's value */
export function parseModelValue(value: string): { pluginId: string; modelId: string } | undefined {
  const at = value.indexOf(':')
  if (at <= 0 || at === value.length - 1) return undefined
  return { pluginId: value.slice(0, at), modelId: value.slice(at + 1) }
}

/**
 * The providers' model lists with prices, kept per plugin, kind and settings
 * for a few minutes (config/ai.ts), so pages never wait on the provider at
 * each render. Concurrent asks share one call; a failure is remembered
 * briefly. Changing a plugin's settings (another key or base URL) starts a
 * new entry, so an admin's change shows at once.
 */
@inject()
export class ModelCatalog {
  constructor(private providers: AiProviders) {}

  /** Forgets every list (tests) */
  static clear() {
    cache.clear()
    inflight.clear()
  }

  async list(entry: AiProviderEntry): Promise<ProviderModels> {
    let ctx: Awaited<ReturnType<AiProviders['context']>>
    try {
      ctx = await this.providers.context<Record<string, unknown>>(entry, { timeoutMs: 30_000 })
    } catch (error) {
      // Settings changed since the availability check (a key removed): said, not thrown.
      return { models: [], error: `${entry.name} cannot be used: ${(error as Error).message}` }
    }
    const key = `${entry.kind}:${entry.plugin.id}:${fingerprint(ctx.settings)}`
    const cached = cache.get(key)
    const now = Date.now()
    if (cached) {
      const ttl = cached.result.error ? aiConfig.modelFailureCacheMs : aiConfig.modelCacheMs
      if (now - cached.at < ttl) return cached.result
    }
    let pending = inflight.get(key)
    if (!pending) {
      pending = this.#fetch(entry, ctx).then((result) => {
        cache.set(key, { at: Date.now(), result })
        return result
      })
      pending.finally(() => inflight.delete(key)).catch(() => {})
      inflight.set(key, pending)
    }
    return pending
  }

  /** Every model of every given provider, each provider's problem in words */
  async listAll(entries: AiProviderEntry[]): Promise<ProviderModels> {
    const results = await Promise.all(entries.map((entry) => this.list(entry)))
    const errors = results.map((result) => result.error).filter((error) => error !== undefined)
    return {
      models: results.flatMap((result) => result.models),
      ...(errors.length ? { error: errors.join(' ') } : {}),
    }
  }

  /** A model by plugin and id, when the provider lists it */
  async find(kind: AiKind, pluginId: string, modelId: string): Promise<CatalogModel | undefined> {
    const entry = this.providers.find(kind, pluginId)
    if (!entry) return undefined
    const { models } = await this.list(entry)
    return models.find((model) => model.id === modelId)
  }

  async #fetch(entry: AiProviderEntry, ctx: Awaited<ReturnType<AiProviders['context']>>) {
    try {
      const models = await entry.provider.listModels(ctx)
      return {
        models: models.map((model) => ({
          ...model,
          pluginId: entry.plugin.id,
          value: modelValue(entry.plugin.id, model.id),
        })),
      }
    } catch (error) {
      const words = isPluginError(error)
        ? 'userMessage' in error
          ? String(error.userMessage)
          : error.message
        : 'the provider did not answer'
      return { models: [], error: `${entry.name} could not list its models: ${words}` }
    }
  }
}

/** A short digest of resolved settings (secrets never leave this function) */
function fingerprint(settings: Readonly<Record<string, unknown>>) {
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16)
}
