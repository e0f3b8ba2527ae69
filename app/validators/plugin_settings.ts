import vine, { SimpleMessagesProvider, type errors as vineErrors } from '@vinejs/vine'
import type { SchemaTypes } from '@vinejs/vine/types'
import type { SettingField, SettingValue } from '@herald/plugin-sdk'
import type { ResolvedSetting, ResolvedSettings, SettingChanges } from '#plugin_host/settings_store'

type ValidationError = InstanceType<typeof vineErrors.E_VALIDATION_ERROR>

/** Form field that lists the secrets to remove. */
export const CLEAR_FIELD = '_clear'

const MESSAGES = {
  required: 'Enter the {{ field }}.',
  string: 'The {{ field }} must be text.',
  maxLength: 'The {{ field }} can be at most {{ max }} characters.',
  url: 'Enter the {{ field }} as a full address, like https://api.example.com.',
  number: 'The {{ field }} must be a number.',
  boolean: 'Tick or untick {{ field }}.',
  enum: 'Choose one of the listed values for {{ field }}.',
}

/** "Cloud name" -> "cloud name", "API key" stays "API key" */
function inSentence(label: string): string {
  const first = label.split(' ')[0]
  return first === first.toUpperCase() ? label : label.charAt(0).toLowerCase() + label.slice(1)
}

/** Whether the admin may edit a setting here (an environment variable wins over the page). */
export function isEditable(setting: ResolvedSetting): boolean {
  return setting.source !== 'env'
}

/** Whether the form must provide a value: required, nothing stored to keep, nothing to fall back on. */
export function needsValue(setting: ResolvedSetting): boolean {
  const keepsSecret = setting.field.secret === true && setting.stored
  return setting.field.required === true && setting.fallback === undefined && !keepsSecret
}

function rule(field: SettingField, required: boolean): SchemaTypes {
  switch (field.type) {
    case 'url': {
      const url = vine
        .string()
        .trim()
        .maxLength(2000)
        .url({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
      return required ? url : url.optional()
    }
    case 'number':
      return required ? vine.number() : vine.number().optional()
    case 'boolean':
      return required ? vine.boolean() : vine.boolean().optional()
    case 'select': {
      const choices = vine.enum((field.options ?? []).map((option) => option.value))
      return required ? choices : choices.optional()
    }
    default: {
      const text = vine.string().trim().maxLength(2000)
      return required ? text : text.optional()
    }
  }
}

/** Checkboxes post a hidden `false` and the ticked `true`: keep the last value. */
function normalize(data: Record<string, unknown>, settings: ResolvedSetting[]) {
  const input: Record<string, unknown> = {}
  for (const { field } of settings) {
    const value = data[field.name]
    input[field.name] = Array.isArray(value) ? value.at(-1) : value
  }
  return input
}

/**
 * Validates the Plugins page form of one plugin against its manifest's settings and turns it into
 * changes: an empty field clears a stored value (back to the default), an empty secret keeps the
 * stored one unless it is ticked in `_clear`, env-controlled settings are left alone.
 */
export async function validatePluginSettings(
  data: Record<string, unknown>,
  resolved: ResolvedSettings
): Promise<[ValidationError, null] | [null, SettingChanges]> {
  const editable = resolved.fields.filter(isEditable)
  const shape: Record<string, SchemaTypes> = {}
  const labels: Record<string, string> = {}
  for (const setting of editable) {
    const { field } = setting
    labels[field.name] = inSentence(field.label)
    shape[field.name] = rule(field, needsValue(setting))
  }
  const validator = vine.create(vine.object(shape))
  const [error, values] = await validator.tryValidate(normalize(data, editable), {
    messagesProvider: new SimpleMessagesProvider(MESSAGES, labels),
  })
  if (error) return [error, null]

  const cleared = new Set(
    ([] as unknown[]).concat(data[CLEAR_FIELD] ?? []).filter((name) => typeof name === 'string')
  )
  const changes: SettingChanges = { set: {}, clear: [] }
  const output = values as Record<string, SettingValue | null | undefined>
  for (const setting of editable) {
    const { name, secret } = setting.field
    const value = output[name]
    if (secret) {
      if (value !== undefined && value !== null && value !== '') changes.set[name] = value
      else if (cleared.has(name) && setting.stored) changes.clear.push(name)
      continue
    }
    if (value === undefined || value === null || value === '') {
      if (setting.stored) changes.clear.push(name)
    } else {
      changes.set[name] = value
    }
  }
  return [null, changes]
}
