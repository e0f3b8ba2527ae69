/** A resolved setting value as the host hands it to a plugin. */
export type SettingValue = string | number | boolean

/** A plugin's resolved settings, keyed by setting name; unset optional settings are `undefined`. */
export type PluginSettings = Record<string, SettingValue | undefined>

/** The input types a manifest setting field can have. */
export type SettingType = 'string' | 'url' | 'number' | 'boolean' | 'select'

/** One choice of a `select` setting. */
export interface SettingOption {
  /** Value stored and handed to the plugin. */
  value: string
  /** Text shown in the admin UI. */
  label: string
}

/** One operator setting declared in the manifest (API key, base URL, OAuth client id...). */
export interface SettingField {
  /** Key under which the value appears in `ctx.settings` (camelCase). */
  name: string
  /** Input type; the host validates and converts the value accordingly. */
  type: SettingType
  /** Label shown in the admin UI. */
  label: string
  /** Whether the plugin cannot work without a value (default false). */
  required?: boolean
  /** Secret values are encrypted at rest, never rendered back and redacted from logs (default false). */
  secret?: boolean
  /** Environment variable the value is read from when set, e.g. `X_CLIENT_SECRET`. */
  env?: string
  /** Value used when neither env nor the admin UI provide one; never set it for secrets. */
  default?: SettingValue
  /** Choices of a `select` field. */
  options?: SettingOption[]
  /** One line of help shown under the input. */
  help?: string
}
