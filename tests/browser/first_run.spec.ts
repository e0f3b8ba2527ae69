import { test } from '@japa/runner'
import { truncateAroundEach } from '#tests/helpers/database'
import User from '#models/user'
import Workspace from '#models/workspace'
import { submitSignIn } from '#tests/helpers/browser'

/**
 * The browser talks to the real HTTP server, so the database is truncated
 * around the test instead of wrapped in a transaction.
 */
test.group('First run in a real browser', (group) => {
  truncateAroundEach(group)

  test('setup, sign out, sign in, and create the first client workspace', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/')
    await page.assertPath('/setup')
    await page.assertTextContains('h1', 'Welcome to Herald')

    // A mistake first: the form comes back with the field named, nothing lost.
    await page.getByLabel('Your name').fill('Ada Admin')
    await page.getByLabel('Email address').fill('ada@agency.test')
    await page.getByLabel(/Password/).fill('too short')
    await page.getByLabel('Repeat the password').fill('too short')
    await page.getByRole('button', { name: 'Create admin account' }).click()
    await page.assertTextContains('#field-password-error', 'at least 12 characters')
    assert.equal(await page.getByLabel('Your name').inputValue(), 'Ada Admin')

    await page.getByLabel(/Password/).fill('a long enough passphrase')
    await page.getByLabel('Repeat the password').fill('a long enough passphrase')
    await page.getByRole('button', { name: 'Create admin account' }).click()
    await page.waitForURL('**/workspaces/new')
    assert.isTrue((await User.findByOrFail('email', 'ada@agency.test')).isAdmin)

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL('**/login')

    await submitSignIn(page, 'ada@agency.test', 'a long enough passphrase')
    await page.assertTextContains('main', 'No client workspaces yet')

    await page.getByRole('link', { name: 'Create the first workspace' }).click()
    await page.waitForURL('**/workspaces/new')
    await page.getByLabel('Client or brand name').fill('Acme Coffee')
    await page.getByLabel('Timezone').fill('Mars/Base')
    await page.getByRole('button', { name: 'Create workspace' }).click()
    await page.assertTextContains('#field-timezone-error', 'valid IANA timezone')
    assert.equal(await page.getByLabel('Client or brand name').inputValue(), 'Acme Coffee')

    await page.getByLabel('Timezone').fill('Europe/Berlin')
    await page.getByRole('button', { name: 'Create workspace' }).click()
    await page.waitForURL('**/w/acme-coffee')
    await page.assertTextContains('.topbar', 'Acme Coffee')
    await page.assertTextContains('.topbar', 'Europe/Berlin, UTC+01:00')
    assert.exists(await Workspace.findBy('slug', 'acme-coffee'))

    await page.goto('/')
    await page.assertTextContains('.workspace-grid', 'Acme Coffee')
    if (process.env.SCREENSHOTS)
      await page.screenshot({ path: 'tmp/screenshots/dashboard.png', fullPage: true })
  }).timeout(120_000)
})
