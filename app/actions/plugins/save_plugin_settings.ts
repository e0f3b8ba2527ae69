import { inject } from '@adonisjs/core'
import type User from '#models/user'
import type { PluginManifest } from '@herald/plugin-sdk'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'
import { PluginSettingsStore, type SettingChanges } from '#plugin_host/settings_store'

/**
 * An admin saves a plugin's settings on the Plugins page. The audit trail
 * records which settings changed, never their values.
 */
@inject()
export class SavePluginSettings {
  constructor(private store: PluginSettingsStore) {}

  async execute(manifest: PluginManifest, changes: SettingChanges, actor: User) {
    await this.store.save(manifest, changes, actor.id)
    await new RecordAuditEvent().execute({
      action: 'plugin.settings.updated',
      userId: actor.id,
      subject: { type: 'plugin', id: manifest.id },
      meta: { set: Object.keys(changes.set), cleared: changes.clear },
    })
  }
}
