import type { SettingField } from './settings.js'
import type { PluginKind } from './versions.js'

/** Key of a plugin's `package.json` that holds its manifest. */
export const MANIFEST_KEY = 'herald'

/** The static manifest under the `herald` key of a plugin's package.json; readable without running code. */
export interface PluginManifest {
  /** Kebab-case id, equal to the plugin's folder name. */
  id: string
  /** Name shown in the UI. */
  displayName: string
  /** Capabilities the code provides; each must be implemented by the definition. */
  kinds: PluginKind[]
  /** Semver range of `@herald/plugin-sdk` the plugin targets, e.g. `^1.0.0`. */
  sdk: string
  /** Network access the plugin needs. */
  network: {
    /** The only hosts its HTTP client may reach (besides hosts of configured URL settings). */
    hosts: string[]
  }
  /** Operator settings (credentials, base URLs, options). */
  settings: SettingField[]
}
