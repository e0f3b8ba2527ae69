import db from '@adonisjs/lucid/services/db'
import type { PluginManifest, SettingField, SettingValue } from '@herald/plugin-sdk'
import PluginSetting from '#models/plugin_setting'
import type { SecretsKeyring } from '#services/secrets'

/** Where a setting's value came from, strongest first. */
export type SettingSource = 'env' | 'admin' | 'config' | 'default' | 'unset'

/** One setting after resolution. Secret values stay out of everything meant for display. */
export interface ResolvedSetting {
  field: SettingField
  /** The value handed to the plugin (secrets included). */
  value: SettingValue | undefined
  source: SettingSource
  /** Whether an admin value is stored, even when env overrides it. */
  stored: boolean
  /** For secrets: the last four characters of a long enough value, e.g. `1234`. */
  lastFour?: string
  /** What applies without env or admin value (config/plugins.ts, then the default); never display it for secrets. */
  fallback?: SettingValue
  /** A value that could not be used (bad env value, undecryptable row), in words. */
  problem?: string
}

/** A plugin's settings, resolved. */
export interface ResolvedSettings {
  /** Values for `ctx.settings`. */
  values: Record<string, SettingValue | undefined>
  /** Per field, in manifest order. */
  fields: ResolvedSetting[]
  /** Required settings without a value. */
  missing: SettingField[]
  /** Whether every required setting has a usable value. */
  configured: boolean
  /** Secret values, for log redaction. */
  secrets: string[]
}

/** Changes an admin makes on the Plugins page. */
export interface SettingChanges {
  /** New values by setting name. */
  set: Record<string, SettingValue>
  /** Settings to remove (back to env, config or default). */
  clear: string[]
}

/** Reads a raw env or config value as the field's type. */
export function coerceSetting(
  field: SettingField,
  raw: unknown
): { value?: SettingValue; problem?: string } {
  if (raw === undefined || raw === null || raw === '') return {}
  switch (field.type) {
    case 'number': {
      const value = typeof raw === 'number' ? raw : Number(String(raw).trim())
      return Number.isFinite(value) ? { value } : { problem: `"${String(raw)}" is not a number` }
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw }
      const text = String(raw).trim().toLowerCase()
      if (['true', '1', 'yes', 'on'].includes(text)) return { value: true }
      if (['false', '0', 'no', 'off'].includes(text)) return { value: false }
      return { problem: `"${String(raw)}" is not true or false` }
    }
    case 'url': {
      const text = String(raw).trim()
      const ok = URL.canParse(text) && ['http:', 'https:'].includes(new URL(text).protocol)
      return ok ? { value: text } : { problem: 'is not an http(s) URL' }
    }
    case 'select': {
      const text = String(raw)
      const allowed = (field.options ?? []).map((option) => option.value)
      return allowed.includes(text)
        ? { value: text }
        : { problem: `"${text}" is not one of ${allowed.join(', ')}` }
    }
    default:
      return { value: String(raw) }
  }
}

function lastFour(value: SettingValue | undefined): string | undefined {
  const text = value === undefined ? '' : String(value)
  return text.length >= 12 ? text.slice(-4) : undefined
}

/**
 * Plugin settings, resolved in this order: the environment variable named in the manifest, then the
 * value an admin saved (table `plugin_settings`, secrets encrypted), then `config/plugins.ts` settings,
 * then the manifest default. No cache by default: every plugin call reads the current values, in
 * every process. Hot paths (a burst of publishes) may accept rows up to `maxAgeMs` old; a save in this
 * process drops them at once.
 */
export class PluginSettingsStore {
  readonly #keyring: SecretsKeyring
  readonly #rows = new Map<string, { at: number; rows: Promise<PluginSetting[]> }>()
  readonly #env: Record<string, string | undefined>
  readonly #config: Readonly<Record<string, Readonly<Record<string, SettingValue>>>>

  constructor(options: {
    keyring: SecretsKeyring
    env?: Record<string, string | undefined>
    config?: Readonly<Record<string, Readonly<Record<string, SettingValue>>>>
  }) {
    this.#keyring = options.keyring
    this.#env = options.env ?? process.env
    this.#config = options.config ?? {}
  }

  static context(pluginId: string, name: string): string {
    return `plugin:${pluginId}:${name}`
  }

  async resolve(
    manifest: PluginManifest,
    options: { maxAgeMs?: number } = {}
  ): Promise<ResolvedSettings> {
    const rows = await this.#storedRows(manifest.id, options.maxAgeMs ?? 0)
    const stored = new Map(rows.map((row) => [row.name, row]))
    const fields = manifest.settings.map((field) =>
      this.#resolveField(manifest.id, field, stored.get(field.name))
    )
    const values: Record<string, SettingValue | undefined> = {}
    for (const setting of fields) values[setting.field.name] = setting.value
    const missing = fields
      .filter((setting) => setting.field.required && setting.value === undefined)
      .map((setting) => setting.field)
    const secrets = fields
      .filter((setting) => setting.field.secret && setting.value !== undefined)
      .map((setting) => String(setting.value))
    return { values, fields, missing, configured: missing.length === 0, secrets }
  }

  #storedRows(pluginId: string, maxAgeMs: number): Promise<PluginSetting[]> {
    const cached = this.#rows.get(pluginId)
    if (maxAgeMs > 0 && cached && Date.now() - cached.at < maxAgeMs) return cached.rows
    const rows = PluginSetting.query().where('plugin_id', pluginId).exec()
    this.#rows.set(pluginId, { at: Date.now(), rows })
    rows.catch(() => this.#rows.delete(pluginId))
    return rows
  }

  #resolveField(pluginId: string, field: SettingField, row?: PluginSetting): ResolvedSetting {
    const configured = this.#config[pluginId]?.[field.name]
    const fallback = coerceSetting(field, configured).value ?? field.default
    const base = { field, stored: row !== undefined, fallback }
    const finish = (value: SettingValue | undefined, source: SettingSource, problem?: string) => ({
      ...base,
      value,
      source,
      problem,
      lastFour: field.secret ? lastFour(value) : undefined,
    })

    const fromEnv = field.env ? this.#env[field.env] : undefined
    if (fromEnv !== undefined && fromEnv !== '') {
      const { value, problem } = coerceSetting(field, fromEnv)
      return finish(value, 'env', problem && `${field.env} ${problem}`)
    }
    if (row) {
      try {
        const json = row.isSecret
          ? this.#keyring.decrypt(row.value, PluginSettingsStore.context(pluginId, field.name))
          : row.value
        const { value, problem } = coerceSetting(field, JSON.parse(json))
        if (value !== undefined || problem) return finish(value, 'admin', problem)
      } catch (error) {
        return finish(
          undefined,
          'admin',
          `the saved value cannot be read (${(error as Error).message})`
        )
      }
    }
    if (configured !== undefined) {
      const { value, problem } = coerceSetting(field, configured)
      return finish(value, 'config', problem && `config/plugins.ts: ${problem}`)
    }
    if (field.default !== undefined) return finish(field.default, 'default')
    return finish(undefined, 'unset')
  }

  /** Saves an admin's changes in one transaction; secrets are encrypted, values never logged. */
  async save(manifest: PluginManifest, changes: SettingChanges, actorId?: number) {
    const pluginId = manifest.id
    const byName = new Map(manifest.settings.map((field) => [field.name, field]))
    this.#rows.delete(pluginId)
    await db.transaction(async (trx) => {
      for (const name of changes.clear) {
        await PluginSetting.query({ client: trx })
          .where('plugin_id', pluginId)
          .where('name', name)
          .delete()
      }
      for (const [name, value] of Object.entries(changes.set)) {
        const field = byName.get(name)
        if (!field) continue
        const json = JSON.stringify(value)
        const secret = field.secret === true
        await PluginSetting.updateOrCreate(
          { pluginId, name },
          {
            value: secret
              ? this.#keyring.encrypt(json, PluginSettingsStore.context(pluginId, name))
              : json,
            isSecret: secret,
            updatedById: actorId ?? null,
          },
          { client: trx }
        )
      }
    })
    this.#rows.delete(pluginId)
  }
}
