import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import PluginList from '#commands/plugin_list'

test.group('node ace plugin:list', () => {
  test('prints every plugin with its kinds, version and state', async () => {
    const ace = await app.container.make('ace')
    ace.ui.switchMode('raw')
    const command = await ace.create(PluginList, [])
    await command.exec()
    command.assertSucceeded()
    command.assertLogMatches(/local-media.*media-storage.*1\.0\.0.*enabled/)
    command.assertLogMatches(/cloudinary.*media-storage.*1\.0\.0.*enabled/)
  })
})
