import { test } from '@japa/runner'
import { truncateAroundEach } from '#tests/helpers/database'
import db from '@adonisjs/lucid/services/db'
import { createUser } from '#tests/helpers/factories'
import { visitSignedIn } from '#tests/helpers/browser'

/**
 * The browser talks to the real HTTP server, so the database is truncated
 * around the test instead of wrapped in a transaction.
 */
test.group('Plugins page in a real browser', (group) => {
  truncateAroundEach(group)

  test('an admin finds the plugins, fixes a mistake and saves the Cloudinary settings', async ({
    visit,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true, email: 'ops@agency.test' })
    const page = await visitSignedIn(visit, admin.email)

    await page.getByRole('link', { name: 'Plugins', exact: true }).click()
    await page.waitForURL('**/admin/plugins')
    await page.assertTextContains('#plugin-local-media', 'Local disk')
    await page.assertTextContains('#plugin-local-media', 'default storage')
    await page.assertTextContains('#plugin-cloudinary', 'needs settings')

    await page.getByRole('link', { name: 'Cloudinary' }).click()
    await page.waitForURL('**/admin/plugins/cloudinary')
    await page.getByLabel('Cloud name').fill('acme-coffee')
    await page.getByLabel('API key').fill('873463957712345')
    await page.getByLabel('API secret').fill('a-very-secret-cloudinary-key-4242')
    await page.getByLabel('Upload API base URL').fill('api.cloudinary')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.assertTextContains('#field-apiBaseUrl-error', 'as a full address')
    assert.equal(await page.getByLabel('Cloud name').inputValue(), 'acme-coffee')

    await page.getByLabel('API secret').fill('a-very-secret-cloudinary-key-4242')
    await page.getByLabel('Upload API base URL').fill('')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.assertTextContains('.alert.success', 'The Cloudinary settings were saved.')
    await page.assertTextContains('#field-apiSecret-hint', 'Set, ends in …4242')
    assert.notInclude(await page.content(), 'a-very-secret-cloudinary-key-4242')
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'tmp/screenshots/plugin_settings.png', fullPage: true })
    }

    const row = await db
      .from('plugin_settings')
      .where({ plugin_id: 'cloudinary', name: 'apiSecret' })
      .firstOrFail()
    assert.notInclude(row.value, 'a-very-secret')

    await page.getByRole('link', { name: 'Plugins', exact: true }).click()
    await page.assertTextContains('#plugin-cloudinary', 'configured')
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'tmp/screenshots/plugins.png', fullPage: true })
    }
  }).timeout(120_000)
})
