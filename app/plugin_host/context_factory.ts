import type { Logger } from '@adonisjs/core/logger'
import type {
  Clock,
  LogFn,
  PluginContext,
  PluginLogger,
  PluginManifest,
  PluginSettings,
} from '@herald/plugin-sdk'
import type { LoadedPlugin } from '#plugin_host/registry'
import { SafeHttpClient, type HttpLimits } from '#plugin_host/safe_http_client'
import type { PluginSettingsStore, ResolvedSettings } from '#plugin_host/settings_store'

const REDACTED = '[redacted]'

/** A plugin cannot be called because required settings have no value. */
export class PluginNotConfiguredError extends Error {
  constructor(
    readonly pluginId: string,
    readonly missing: string[]
  ) {
    super(
      `Plugin "${pluginId}" is not configured: set ${missing.join(', ')} on the Plugins page (Admin > Plugins) or in the environment`
    )
    this.name = 'PluginNotConfiguredError'
  }
}

/** Replaces every secret in strings, deeply (objects, arrays, errors), without touching the input. */
export function redact(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (secrets.length === 0) return value
  if (typeof value === 'string') {
    return secrets.reduce((text, secret) => text.split(secret).join(REDACTED), value)
  }
  if (depth > 8 || value === null || typeof value !== 'object') return value
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redact(value.message, secrets),
      stack: redact(value.stack, secrets),
    }
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, secrets, depth + 1))
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) copy[key] = redact(item, secrets, depth + 1)
  return copy
}

/** A plugin logger that writes through the app logger with secret values replaced by [redacted]. */
export function redactingLogger(base: Logger, secrets: readonly string[]): PluginLogger {
  const searchable = secrets.filter((secret) => secret.length >= 4)
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error'): LogFn =>
    (first: string | Record<string, unknown>, message?: string) => {
      if (typeof first === 'string') {
        base[level](redact(first, searchable) as string)
      } else {
        const data = redact(first, searchable) as Record<string, unknown>
        base[level](
          data,
          message === undefined ? undefined : (redact(message, searchable) as string)
        )
      }
    }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** Hosts a plugin may reach: its manifest's hosts and the hosts of its URL settings. */
export function allowedHostsFor(manifest: PluginManifest, settings: ResolvedSettings): string[] {
  const fromSettings = manifest.settings
    .filter((field) => field.type === 'url')
    .map((field) => settings.values[field.name])
    .filter((value): value is string => typeof value === 'string' && URL.canParse(value))
    .map((value) => new URL(value).host)
  return [...new Set([...manifest.network.hosts, ...fromSettings])]
}

/** Options of one plugin call. */
export interface CallOptions {
  /** Cancels the call (job timeout, user cancel). */
  signal?: AbortSignal
  /** Deadline of the whole call, in ms (default from config). */
  timeoutMs?: number
  /** Accept stored settings this old (hot paths); 0 reads them now (default) */
  settingsMaxAgeMs?: number
}

/**
 * Builds the `PluginContext` of one plugin call: resolved settings, the safe HTTP client bound to the
 * plugin's hosts, a logger that redacts the plugin's secrets, the call's signal and a clock.
 */
export class PluginContextFactory {
  readonly #store: PluginSettingsStore
  readonly #logger: Logger
  readonly #limits: Partial<HttpLimits>
  readonly #callTimeoutMs: number
  readonly #clock: Clock

  constructor(options: {
    store: PluginSettingsStore
    logger: Logger
    limits?: Partial<HttpLimits>
    callTimeoutMs?: number
    clock?: Clock
  }) {
    this.#store = options.store
    this.#logger = options.logger
    this.#limits = options.limits ?? {}
    this.#callTimeoutMs = options.callTimeoutMs ?? 300_000
    this.#clock = options.clock ?? { now: () => new Date() }
  }

  async create<S = PluginSettings>(
    plugin: LoadedPlugin,
    call: CallOptions = {}
  ): Promise<PluginContext<S>> {
    const settings = await this.#store.resolve(plugin.manifest, {
      maxAgeMs: call.settingsMaxAgeMs,
    })
    if (!settings.configured) {
      throw new PluginNotConfiguredError(
        plugin.id,
        settings.missing.map((field) => (field.env ? `${field.label} (${field.env})` : field.label))
      )
    }
    const signal = AbortSignal.any(
      [call.signal, AbortSignal.timeout(call.timeoutMs ?? this.#callTimeoutMs)].filter(
        (item): item is AbortSignal => item !== undefined
      )
    )
    return {
      settings: Object.freeze({ ...settings.values }) as Readonly<S>,
      http: SafeHttpClient.forHosts(allowedHostsFor(plugin.manifest, settings), {
        caller: `plugin "${plugin.id}"`,
        signal,
        limits: this.#limits,
      }),
      logger: redactingLogger(this.#logger.child({ plugin: plugin.id }), settings.secrets),
      signal,
      clock: this.#clock,
    }
  }
}
