import type { HttpClient } from './http.js'
import type { Clock, PluginLogger } from './logger.js'
import type { PluginSettings } from './settings.js'

/** What the host hands to every plugin call. Plugins never read process.env, the database or the disk. */
export interface PluginContext<S = PluginSettings> {
  /** The plugin's resolved settings (env, admin UI or defaults), secrets included. */
  readonly settings: Readonly<S>
  /** HTTP client restricted to the manifest's hosts; honours `signal`. */
  readonly http: HttpClient
  /** Logger; never log secret setting values or tokens. */
  readonly logger: PluginLogger
  /** Aborted when the call is cancelled (job timeout, user cancel); reject promptly when it fires. */
  readonly signal: AbortSignal
  /** Current time; use it instead of `new Date()` so tests can control time. */
  readonly clock: Clock
}
