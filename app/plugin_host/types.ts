import type { SettingValue } from '@herald/plugin-sdk'
import type { HttpLimits } from '#plugin_host/safe_http_client'

/** config/plugins.ts */
export interface PluginsConfig {
  /** Absolute folders whose subfolders are plugins (one plugin a folder). */
  folders: string[]
  /** npm packages to load as plugins (install them first). */
  packages: string[]
  /** Plugin ids left off (HERALD_PLUGINS_DISABLED). */
  disabled: string[]
  /** Plugin id of the media storage new uploads go to. */
  defaultMediaStorage: string
  /**
   * Host-supplied setting values per plugin id, used when neither the environment nor an admin set
   * one (they win over manifest defaults).
   */
  settings: Record<string, Record<string, SettingValue>>
  /** Limits of the HTTP client plugins get. */
  http: Partial<HttpLimits>
  /** Deadline of one plugin call, in ms. */
  callTimeoutMs: number
}
