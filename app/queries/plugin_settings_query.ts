import { inject } from '@adonisjs/core'
import type { PluginManifest } from '@herald/plugin-sdk'
import { PluginSettingsStore, type ResolvedSetting } from '#plugin_host/settings_store'
import { CLEAR_FIELD, isEditable, needsValue } from '#validators/plugin_settings'

/** One input of a plugin's settings form. Never carries a secret value. */
export interface SettingFieldView {
  name: string
  label: string
  type: 'text' | 'url' | 'number' | 'checkbox' | 'select' | 'password'
  value?: string | number | boolean
  placeholder?: string
  hint: string
  required: boolean
  disabled: boolean
  options?: { value: string; label: string }[]
  secret: boolean
  /** "Set, ends in …1234" style status of a secret. */
  secretStatus?: string
  /** Whether a stored secret can be removed. */
  canClear: boolean
  /** A value that could not be used, in words. */
  problem?: string
}

const INPUT_TYPES = {
  string: 'text',
  url: 'url',
  number: 'number',
  boolean: 'checkbox',
  select: 'select',
} as const

function secretStatus(setting: ResolvedSetting): string {
  if (setting.value === undefined) return setting.stored ? 'Saved but unreadable' : 'Not set'
  const where = setting.source === 'env' ? `Set by ${setting.field.env}` : 'Set'
  return setting.lastFour ? `${where}, ends in …${setting.lastFour}` : where
}

function view(setting: ResolvedSetting): SettingFieldView {
  const { field } = setting
  const secret = field.secret === true
  const fromEnv = !isEditable(setting)
  const hints: string[] = []
  if (field.help) hints.push(field.help)
  if (fromEnv) hints.push(`Set by the environment variable ${field.env}; change it there.`)
  else if (secret && setting.stored) hints.push('Leave empty to keep the saved value.')
  else if (field.env) hints.push(`Or set the environment variable ${field.env}.`)
  if (!secret && !fromEnv && setting.fallback !== undefined && field.type === 'boolean') {
    hints.push(`Default: ${setting.fallback ? 'on' : 'off'}.`)
  }

  const shown = secret
    ? undefined
    : setting.source === 'env' || setting.source === 'admin'
      ? setting.value
      : undefined
  return {
    name: field.name,
    label: field.label,
    type: secret ? 'password' : INPUT_TYPES[field.type],
    value: ['boolean', 'select'].includes(field.type) ? (shown ?? setting.fallback) : shown,
    placeholder:
      !secret && !['boolean', 'select'].includes(field.type) && setting.fallback !== undefined
        ? String(setting.fallback)
        : undefined,
    hint: hints.join(' '),
    required: !fromEnv && needsValue(setting),
    disabled: fromEnv,
    options: field.options,
    secret,
    secretStatus: secret ? secretStatus(setting) : undefined,
    canClear: secret && !fromEnv && setting.stored,
    problem: setting.problem,
  }
}

/** The settings form of one plugin: current values (never secrets), sources and hints. */
@inject()
export class PluginSettingsQuery {
  constructor(private store: PluginSettingsStore) {}

  async execute(manifest: PluginManifest) {
    const resolved = await this.store.resolve(manifest)
    return {
      fields: resolved.fields.map(view),
      configured: resolved.configured,
      missing: resolved.missing.map((field) => field.label),
      clearField: CLEAR_FIELD,
    }
  }
}
