import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import PostTarget from '#models/post_target'
import { truncateAroundEach } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { visitSignedIn } from '#tests/helpers/browser'
import { connectFakeLinkedIn, connectFakeX, usePublishingFakes } from '#tests/helpers/publishing'
import { storeTestImage } from '#tests/helpers/media'
import { FakeX } from '#tests/fakes/x'
import { FakeLinkedIn } from '#tests/fakes/linkedin'

/**
 * The publishing path as a person uses it: compose for X and LinkedIn with an
 * image, schedule a minute ahead, watch the post page turn both published;
 * then a failure shown in words with a working retry.
 */
test.group('Publishing in a real browser', (group) => {
  const x = new FakeX()
  const linkedin = new FakeLinkedIn()

  truncateAroundEach(group)
  usePublishingFakes(group, { x, linkedin })

  test('compose for X and LinkedIn, schedule a minute ahead, see both published', async ({
    visit,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true, email: 'ada@agency.test' })
    const workspace = await createWorkspace(owner, {
      name: 'Acme Coffee',
      timezone: 'Europe/Berlin',
    })
    await connectFakeX(workspace, 'Acme on X')
    await connectFakeLinkedIn(workspace, 'Acme on LinkedIn')
    await storeTestImage(workspace, { altText: 'A cup of flat white' })

    const page = await visitSignedIn(visit, owner.email)
    await page.goto(`/w/${workspace.slug}`)
    await page.getByRole('link', { name: 'Compose', exact: true }).click()
    await page.waitForURL('**/compose')

    await page.getByRole('checkbox', { name: /Acme on X/ }).check()
    await page.locator('#card-1').waitFor()
    await page.getByRole('checkbox', { name: /Acme on LinkedIn/ }).check()
    await page.locator('#card-2').waitFor()
    await page
      .getByLabel('Post text')
      .fill('Fresh beans are in: our Ethiopian roast is back this week ☕')
    await page.locator('#base-counters').getByText('X (Twitter): 60 / 280').waitFor()
    await page.getByText('Attach images from the media library').click()
    await page.getByRole('checkbox', { name: 'A cup of flat white' }).check()
    await page.locator('#live-1 .net-media img').waitFor()

    // One minute ahead, in the workspace's time (the picker has minutes).
    const at = DateTime.now().setZone('Europe/Berlin').plus({ minutes: 1 }).startOf('minute')
    await page.getByLabel('Date').fill(at.toFormat('yyyy-MM-dd'))
    await page.getByLabel('Time').fill(at.toFormat('HH:mm'))
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'tmp/screenshots/composer.png', fullPage: true })
    }
    await page.getByRole('button', { name: 'Schedule', exact: true }).click()
    await page.waitForURL(/\/posts\/\d+$/)
    await page.assertTextContains(
      '.alert.success',
      `Scheduled for ${at.toFormat('ccc d LLL yyyy, HH:mm')}`
    )
    await page.assertTextContains('#post-targets', 'Scheduled')

    // The page polls while something moves; both turn published by themselves.
    await page
      .locator('#post-targets [data-status="published"]')
      .nth(1)
      .waitFor({ timeout: 90_000 })
    await page.locator('#post-status-badge').getByText('Published').waitFor()
    assert.equal(await page.getByRole('button', { name: 'Unschedule' }).count(), 0)
    await page.assertTextContains('#post-targets', 'View on X (Twitter)')
    await page.assertTextContains('#post-targets', 'View on LinkedIn')
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'tmp/screenshots/post_published.png', fullPage: true })
    }
    assert.lengthOf(x.liveTweets(), 1)
    assert.lengthOf(x.liveTweets()[0].mediaIds, 1)
    assert.lengthOf(linkedin.posts, 1)
    const created = x.requestsTo('tweets.create')[0].at.getTime()
    assert.isAtLeast(created, at.toMillis(), 'not before its time')
  }).timeout(150_000)

  test('a refusal is shown in words, with the platform words one click away, and retry works', async ({
    visit,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(owner, {
      name: 'Bean Bar',
      timezone: 'America/New_York',
    })
    const account = await connectFakeX(workspace, 'Bean Bar on X')
    x.holdTweet('Same old words')

    const page = await visitSignedIn(visit, owner.email)
    await page.goto(`/w/${workspace.slug}/compose`)
    await page.getByRole('checkbox', { name: /Bean Bar on X/ }).check()
    await page.locator(`#card-${account.id}`).waitFor()
    await page.getByLabel('Post text').fill('Same old words')
    await page.getByRole('button', { name: 'Publish now' }).click()
    await page.waitForURL(/\/posts\/\d+$/)
    await page.locator('#post-targets [data-status="failed"]').waitFor({ timeout: 20_000 })
    await page.assertTextContains('.target-error', 'duplicate')
    await page.getByText('What X (Twitter) said').click()
    await page.assertTextContains('.platform-words', 'duplicate')
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'tmp/screenshots/post_failed.png', fullPage: true })
    }

    x.deleteTweet(x.liveTweets()[0].id)
    await page.getByRole('button', { name: 'Retry now' }).click()
    await page.locator('#post-targets [data-status="published"]').waitFor({ timeout: 20_000 })
    const [target] = await PostTarget.query().where('social_account_id', account.id)
    assert.equal(target.status, 'published')
    assert.lengthOf(x.liveTweets(), 1)
  }).timeout(60_000)
})
