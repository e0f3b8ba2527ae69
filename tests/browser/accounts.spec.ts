import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import SocialAccount from '#models/social_account'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import { truncateAroundEach } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { visitSignedIn } from '#tests/helpers/browser'
import { PlatformFakes } from '#tests/helpers/platforms'

const fakes = new PlatformFakes()
const shot = async (page: { screenshot(options: object): Promise<unknown> }, name: string) => {
  if (process.env.SCREENSHOTS) {
    await page.screenshot({ path: `tmp/screenshots/accounts_${name}.png`, fullPage: true })
  }
}

/**
 * The connect flows in a real browser against the fake platforms: Herald ->
 * the fake's authorize page -> Herald's callback, with real cookies.
 */
test.group('Accounts in a real browser', (group) => {
  truncateAroundEach(group)
  fakes.useIn(group)

  test('an editor connects X, LinkedIn, a Facebook Page and Instagram, reconnects one, and is told when consent is denied', async ({
    visit,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(admin, {
      name: 'Acme Coffee',
      timezone: 'Europe/Berlin',
    })
    const editor = await createUser({ fullName: 'Erin Editor', email: 'erin@agency.test' })
    await addMember(workspace, editor, 'editor')

    const page = await visitSignedIn(visit, editor.email)
    await page.goto(`/w/${workspace.slug}`)
    await page.getByRole('link', { name: 'Accounts', exact: true }).click()
    await page.waitForURL(`**/w/${workspace.slug}/accounts`)
    await page.assertTextContains('main', 'No accounts yet')
    await shot(page, 'empty')

    // X: OAuth 2.0 with PKCE through the fake's authorize page and back.
    await page.getByRole('link', { name: 'Connect X (Twitter)' }).click()
    await page.waitForURL(`**/w/${workspace.slug}/accounts#account-*`)
    await page.assertTextContains('.alert.success', 'Herald Studio on X (Twitter) is connected.')
    const x = await SocialAccount.findByOrFail('plugin_id', 'x')
    await page.assertTextContains(`#account-${x.id}`, '@heraldstudio')
    await page.assertTextContains(`#account-${x.id}`, 'Active')
    await page.assertTextContains(`#account-${x.id}`, 'Renews automatically')

    // LinkedIn: a 60-day token without refresh.
    await page.getByRole('link', { name: 'Connect LinkedIn' }).click()
    await page.waitForURL(`**/w/${workspace.slug}/accounts#account-*`)
    await page.assertTextContains('.alert.success', 'Jane Doe on LinkedIn is connected.')
    await page.assertTextContains('#connected-accounts', '(in 60 days)')

    // Facebook: pick a Page; choosing none first says so, in place.
    await page.getByRole('link', { name: 'Connect Facebook Pages' }).click()
    await page.waitForURL(`**/w/${workspace.slug}/accounts/pick/*`)
    await page.assertTextContains('main', 'Acme Bakery')
    await page.getByRole('button', { name: 'Add selected accounts' }).click()
    await page.assertTextContains('#accounts-error', 'Choose at least one account to add.')
    await shot(page, 'pick_pages')
    await page.getByLabel(/Acme Coffee/).check()
    await page.getByRole('button', { name: 'Add selected accounts' }).click()
    await page.waitForURL(`**/w/${workspace.slug}/accounts`)
    await page.assertTextContains('.alert.success', 'Added Acme Coffee on Facebook Pages.')

    // Instagram: the business account reached through the Page.
    await page.getByRole('link', { name: 'Connect Instagram' }).click()
    await page.waitForURL(`**/w/${workspace.slug}/accounts/pick/*`)
    await page.getByLabel(/acmecoffee/).check()
    await page.getByRole('button', { name: 'Add selected accounts' }).click()
    await page.waitForURL(`**/w/${workspace.slug}/accounts`)
    await page.assertTextContains('.alert.success', 'Added Acme Coffee on Instagram.')
    await page.assertTextContains('#connected-accounts', '@acmecoffee')
    await page.assertTextContains('#connected-accounts', 'Does not expire')
    assert.lengthOf(await SocialAccount.all(), 4)

    // The setup check of a platform, in place.
    await page.locator('#platform-facebook summary').click()
    await page
      .locator('#platform-facebook')
      .getByRole('button', { name: 'Check configuration' })
      .click()
    await page.assertTextContains(
      '#check-result-facebook',
      'Works: Facebook accepted the app ID and secret'
    )
    await shot(page, 'connected')

    // X stops working: a red account, a banner with the post at risk, then a reconnect.
    await x
      .merge({
        status: 'needs_reconnect',
        statusReason: 'X (Twitter) refused to renew access (invalid_grant). Reconnect the account.',
      })
      .save()
    const post = await Post.create({
      workspaceId: workspace.id,
      authorId: editor.id,
      baseText: 'Winter blend launch: come taste it this Saturday!',
      status: 'scheduled',
      scheduledAt: DateTime.now().plus({ days: 2 }),
    })
    await PostTarget.create({
      postId: post.id,
      workspaceId: workspace.id,
      socialAccountId: x.id,
      pluginId: 'x',
      status: 'scheduled',
    })
    await page.goto(`/w/${workspace.slug}`)
    await page.assertTextContains(`#banner-account-${x.id}`, 'needs reconnecting')
    await page.assertTextContains(`#banner-account-${x.id}`, '1 scheduled post will fail')
    await shot(page, 'banner')
    await page.locator(`#banner-account-${x.id}`).getByRole('link').click()
    await page.assertTextContains(`#account-${x.id}`, 'Needs reconnect')
    await page.assertTextContains(`#account-${x.id}`, 'Winter blend launch')
    await shot(page, 'needs_reconnect')
    await page.getByRole('link', { name: 'Reconnect Herald Studio on X (Twitter)' }).click()
    await page.waitForURL(`**/w/${workspace.slug}/accounts#account-${x.id}`)
    await page.assertTextContains(
      '.alert.success',
      'is reconnected. Its posts and history are kept.'
    )
    await page.assertTextContains(`#account-${x.id}`, 'Active')
    assert.equal(await page.locator('.banner.danger').count(), 0)
    await x.refresh()
    assert.equal(x.status, 'active')

    // Consent denied: a sentence on the Accounts page, nothing connected.
    fakes.x.denyConsent()
    await page.getByRole('link', { name: 'Reconnect Herald Studio on X (Twitter)' }).click()
    await page.waitForURL(`**/w/${workspace.slug}/accounts`)
    await page.assertTextContains(
      '.alert.error:not(#request-errors)',
      'X (Twitter) says the permission was not given'
    )
    await shot(page, 'denied')
    assert.lengthOf(await SocialAccount.all(), 4)
  }).timeout(120_000)

  test('an admin finds the callback URL and scopes on the plugin page and checks the credentials', async ({
    visit,
  }) => {
    const admin = await createUser({ isAdmin: true, email: 'ops@agency.test' })
    const page = await visitSignedIn(visit, admin.email)
    await page.goto('/admin/plugins/x')
    await page.assertTextContains('#oauth-setup', '/oauth/x/callback')
    await page.assertTextContains(
      '#oauth-setup',
      'tweet.read tweet.write users.read offline.access media.write'
    )
    await page.locator('#oauth-setup').getByRole('button', { name: 'Check configuration' }).click()
    await page.assertTextContains(
      '#check-result-x',
      'Works: X accepted the OAuth 2.0 client ID and secret'
    )
    await shot(page, 'admin_plugin')

    fakes.setEnv({ X_CLIENT_SECRET: 'not-the-real-secret-0000' })
    await page.locator('#oauth-setup').getByRole('button', { name: 'Check configuration' }).click()
    await page.assertTextContains('#check-result-x', 'Does not work:')
  }).timeout(60_000)
})
