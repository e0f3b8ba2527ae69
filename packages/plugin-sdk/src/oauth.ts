import type { OAuthSpec } from './contracts/publisher_spec.js'
import type { PluginSettings } from './settings.js'

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g

/** Replaces `{settingName}` placeholders in a template with setting values (trailing slashes trimmed). */
export function fillSettings(template: string, settings: Readonly<PluginSettings>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = settings[name]
    if (value === undefined || value === '') {
      throw new Error(`Setting '${name}' is empty but '${template}' needs it`)
    }
    return String(value).replace(/\/+$/, '')
  })
}

/** An OAuth spec with the `{settingName}` placeholders of its URLs filled in. */
export function resolveOAuthSpec(spec: OAuthSpec, settings: Readonly<PluginSettings>): OAuthSpec {
  return {
    ...spec,
    authorizeUrl: fillSettings(spec.authorizeUrl, settings),
    tokenUrl: fillSettings(spec.tokenUrl, settings),
  }
}
