import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import publishingConfig from '#config/publishing'
import PostTarget from '#models/post_target'
import { truncateAroundEach } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { visitSignedIn, waitUntilPublishedOn } from '#tests/helpers/browser'
import { useFakeOpenRouter } from '#tests/helpers/ai'
import {
  connectFakeLinkedIn,
  connectFakeMetaPage,
  connectFakeX,
  usePublishingConfig,
  usePublishingFakes,
} from '#tests/helpers/publishing'
import { FakeX } from '#tests/fakes/x'
import { FakeLinkedIn } from '#tests/fakes/linkedin'
import { FakeMeta } from '#tests/fakes/meta'
import { storeRealImage } from '#tests/helpers/media'

/**
 * The seed's day (issue 8): one post with an AI image, generated in the
 * composer against the fake OpenRouter, scheduled to X, LinkedIn, a Facebook
 * Page and Instagram, all four published at its time. The fake Meta
 * downloads the image from Herald's signed URL on APP_URL (127.0.0.1, made
 * reachable for the test with `publishingConfig.mediaUrlReachable`); for
 * Instagram, Herald hands a JPEG copy cropped into 4:5..1.91:1.
 */
test.group('Meta publishing in a real browser', (group) => {
  const x = new FakeX()
  const linkedin = new FakeLinkedIn()
  const meta = new FakeMeta()

  truncateAroundEach(group)
  useFakeOpenRouter(group)
  // The image worker and the four publish queues.
  usePublishingFakes(group, { x, linkedin, facebook: meta, instagram: meta })
  usePublishingConfig(group, { mediaUrlReachable: true })

  test('one post with an AI image to X, LinkedIn, a Facebook Page and Instagram: all four published', async ({
    visit,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true, email: 'ada@agency.test' })
    const workspace = await createWorkspace(owner, {
      name: 'Acme Coffee',
      timezone: 'Europe/Berlin',
    })
    const accounts = [
      await connectFakeX(workspace, 'Acme on X'),
      await connectFakeLinkedIn(workspace, 'Acme on LinkedIn'),
      await connectFakeMetaPage(workspace, 'facebook', 'Acme Coffee Page'),
      await connectFakeMetaPage(workspace, 'instagram', 'Acme on Instagram'),
    ]

    const page = await visitSignedIn(visit, owner.email)
    await page.goto(`/w/${workspace.slug}/compose`)

    for (const [index, name] of [
      'Acme on X',
      'Acme on LinkedIn',
      'Acme Coffee Page',
      'Acme on Instagram',
    ].entries()) {
      await page.getByRole('checkbox', { name: new RegExp(name) }).check()
      await page.locator('.target-card').nth(index).waitFor()
    }
    await page.getByLabel('Post text').fill('Spring is here: our terrace opens on Saturday ☀️')

    // The AI image, generated in the composer and attached to the post.
    await page.getByLabel('Describe the image').fill('A flat white on a sunny terrace')
    await page.getByLabel('Aspect ratio').selectOption('4:5')
    await page.getByRole('button', { name: 'Generate image' }).click()
    const result = page.locator('[data-ai-image-result]')
    await result.waitFor({ timeout: 30_000 })
    const mediaId = Number(await result.getAttribute('data-media-id'))
    await page
      .locator(`#composer input[name="mediaIds[]"][value="${mediaId}"]:checked`)
      .waitFor({ state: 'attached' })
    await page.locator('.target-card .net-media img').first().waitFor()

    const at = DateTime.now().setZone('Europe/Berlin').plus({ minutes: 1 }).startOf('minute')
    await page.getByLabel('Date').fill(at.toFormat('yyyy-MM-dd'))
    await page.getByLabel('Time').fill(at.toFormat('HH:mm'))
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'tmp/screenshots/meta_composer.png', fullPage: true })
    }
    await page.getByRole('button', { name: 'Schedule', exact: true }).click()
    await page.waitForURL(/\/posts\/\d+$/)
    await page.assertTextContains('#post-targets', 'Scheduled')
    assert.equal(
      await page.locator('.preflight-issue').count(),
      0,
      'no pre-flight issue: the image is reachable and convertible'
    )

    await waitUntilPublishedOn(page, ['X (Twitter)', 'LinkedIn', 'Facebook Pages', 'Instagram'])
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'tmp/screenshots/meta_published.png', fullPage: true })
    }

    const targets = await PostTarget.query().whereIn(
      'social_account_id',
      accounts.map((account) => account.id)
    )
    assert.deepEqual(
      targets.map((target) => target.status),
      ['published', 'published', 'published', 'published']
    )
    assert.lengthOf(x.liveTweets(), 1)
    assert.lengthOf(x.liveTweets()[0].mediaIds, 1)
    assert.lengthOf(linkedin.posts, 1)
    assert.lengthOf(meta.posts, 1)
    assert.lengthOf(meta.igMedia, 1)
    // Instagram got a JPEG copy of the AI PNG, cropped from 51x64 (just under 4:5) to 51x63.
    const [variant] = await db.from('media_variants').where('media_asset_id', mediaId)
    assert.equal(variant.mime, 'image/jpeg')
    assert.deepEqual([variant.width, variant.height], [51, 63])
    const container = meta.requests.find((request) => request.route === 'ig.media')!
    assert.isTrue(container.params.image_url.endsWith(variant.storage_key))
  }).timeout(240_000)

  test('a post Instagram could not fetch is flagged in red beside the account before its time', async ({
    visit,
    assert,
  }) => {
    // The default: APP_URL (127.0.0.1 here) is private, so Meta could not download Herald's files.
    publishingConfig.mediaUrlReachable = false
    const owner = await createUser({ isAdmin: true, email: 'bea@agency.test' })
    const workspace = await createWorkspace(owner, { name: 'Bean Bar', timezone: 'Europe/Berlin' })
    await connectFakeMetaPage(workspace, 'instagram', 'Bean Bar on Instagram')
    await storeRealImage(workspace, { mime: 'image/jpeg', width: 800, height: 800 })

    const page = await visitSignedIn(visit, owner.email)
    await page.goto(`/w/${workspace.slug}/compose`)
    await page.getByRole('checkbox', { name: /Bean Bar on Instagram/ }).check()
    await page.locator('.target-card').first().waitFor()
    await page.getByLabel('Post text').fill('New beans from Huila this week')
    await page.getByText('Attach images from the media library').click()
    await page.getByRole('checkbox', { name: 'Flat white on the counter' }).check()
    await page.locator('.target-card .net-media img').first().waitFor()
    const at = DateTime.now().setZone('Europe/Berlin').plus({ hours: 2 }).startOf('minute')
    await page.getByLabel('Date').fill(at.toFormat('yyyy-MM-dd'))
    await page.getByLabel('Time').fill(at.toFormat('HH:mm'))
    await page.getByRole('button', { name: 'Schedule', exact: true }).click()
    await page.waitForURL(/\/posts\/\d+$/)

    const issue = page.locator('#post-targets .preflight-issue.blocking')
    await issue.waitFor()
    const words = await issue.innerText()
    assert.match(words, /^Will not be sent: Instagram downloads the images from 127\.0\.0\.1/)
    assert.include(words, 'Set APP_URL')
    // Browser code as a string: the test's TypeScript has no DOM types.
    const background = await page.evaluate<string>(
      `getComputedStyle(document.querySelector('#post-targets .preflight-issue.blocking')).backgroundColor`
    )
    assert.notEqual(background, 'rgba(0, 0, 0, 0)', 'styled, not bare text')
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'tmp/screenshots/meta_preflight.png', fullPage: true })
    }
    assert.lengthOf(meta.requests, 0)
  }).timeout(60_000)
})
