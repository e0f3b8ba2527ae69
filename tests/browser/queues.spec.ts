import { test } from '@japa/runner'
import { truncateAroundEach } from '#tests/helpers/database'
import { createUser } from '#tests/helpers/factories'
import { submitSignIn } from '#tests/helpers/browser'

test.group('bull-board in a real browser', (group) => {
  truncateAroundEach(group)

  test('an admin goes from System to the queue dashboard and sees a queue', async ({
    visit,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true, email: 'ops@agency.test' })
    const page = await visit('/login')
    const cspErrors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
        cspErrors.push(message.text())
      }
    })
    await submitSignIn(page, admin.email)

    await page.getByRole('link', { name: 'System', exact: true }).click()
    await page.waitForURL('**/admin/system')
    await page
      .getByRole('link', { name: /queue dashboard/i })
      .first()
      .click()
    await page.waitForURL('**/admin/queues**')

    // bull-board is a client-side app: its queue list appears once its API answered.
    await page.getByText('system', { exact: true }).first().waitFor({ timeout: 20_000 })
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'tmp/screenshots/bull_board.png', fullPage: true })
    }
    assert.deepEqual(cspErrors, [])
  }).timeout(90_000)
})
