import { PluginSettingSchema } from '#database/schema'

/**
 * A plugin setting saved by an admin. `value` is JSON, or for secrets an
 * AES-256-GCM ciphertext: read values through PluginSettingsStore, never here.
 */
export default class PluginSetting extends PluginSettingSchema {}
