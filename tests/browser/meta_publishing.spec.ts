import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import publishingConfig from '#config/publishing'
import PostTarget from '#models/post_target'
import { truncateAroundEach } from '#tests/helpers/database'
import { createUser, createWorkspace, PASSWORD } from '#tests/helpers/factories'
import { useFakeOpenRouter } from '#tests/helpers/ai'
import { connectAccount, startPipeline, useSettings } from '#tests/helpers/publishing'
import { FAKE_X_TOKENS, FAKE_X_USER, FakeX } from '#tests/fakes/x'
import { FAKE_LINKEDIN_MEMBER, FAKE_LINKEDIN_TOKENS, FakeLinkedIn } from '#tests/fakes/linkedin'
import { FAKE_META_PAGES, FakeMeta } from '#tests/fakes/meta'
import { storeRealImage } from '#tests/helpers/media'

const PAGE = FAKE_META_PAGES[0]
const META_SCOPES = [
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_posts',
  'instagram_basic',
  'instagram_content_publish',
]

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
  let pipeline: Awaited<ReturnType<typeof startPipeline>>
  let undo: (() => void)[] = []
  const saved = { ...publishingConfig }

  truncateAroundEach(group)
  useFakeOpenRouter(group)
  group.setup(async () => {
    await Promise.all([x.start(), linkedin.start(), meta.start()])
    return async () => {
      await Promise.all([x.stop(), linkedin.stop(), meta.stop()])
    }
  })
  group.each.setup(async () => {
    x.reset()
    linkedin.reset()
    meta.reset()
    undo = [
      await useSettings('x', x.settings()),
      await useSettings('linkedin', linkedin.settings()),
      await useSettings('facebook', meta.settings()),
      await useSettings('instagram', meta.settings()),
    ]
    publishingConfig.mediaUrlReachable = true
    // The image worker and the four publish queues.
    pipeline = await startPipeline('postgres')
    return async () => {
      await pipeline.stop()
      for (const restore of undo) restore()
      Object.assign(publishingConfig, saved)
    }
  })

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
      await connectAccount(
        workspace,
        'x',
        {
          ...FAKE_X_TOKENS,
          scopes: [...FAKE_X_TOKENS.scopes],
          expiresAt: new Date(Date.now() + 7_200_000),
        },
        { externalId: FAKE_X_USER.id, handle: FAKE_X_USER.username, displayName: 'Acme on X' }
      ),
      await connectAccount(
        workspace,
        'linkedin',
        { ...FAKE_LINKEDIN_TOKENS, scopes: [...FAKE_LINKEDIN_TOKENS.scopes] },
        {
          externalId: FAKE_LINKEDIN_MEMBER.sub,
          handle: FAKE_LINKEDIN_MEMBER.sub,
          displayName: 'Acme on LinkedIn',
        }
      ),
      await connectAccount(
        workspace,
        'facebook',
        { accessToken: PAGE.accessToken, scopes: META_SCOPES },
        { externalId: PAGE.id, handle: PAGE.id, displayName: 'Acme Coffee Page' }
      ),
      await connectAccount(
        workspace,
        'instagram',
        { accessToken: PAGE.accessToken, scopes: META_SCOPES },
        { externalId: PAGE.igUserId!, handle: PAGE.igUsername!, displayName: 'Acme on Instagram' }
      ),
    ]

    const page = await visit('/login')
    await page.getByLabel('Email address').fill(owner.email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((url) => url.pathname === '/')
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

    await page
      .locator('#post-targets [data-status="published"]')
      .nth(3)
      .waitFor({ timeout: 150_000 })
    await page.locator('#post-status-badge').getByText('Published').waitFor()
    for (const network of ['X (Twitter)', 'LinkedIn', 'Facebook Pages', 'Instagram']) {
      await page.assertTextContains('#post-targets', `View on ${network}`)
    }
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
    await connectAccount(
      workspace,
      'instagram',
      { accessToken: PAGE.accessToken, scopes: META_SCOPES },
      { externalId: PAGE.igUserId!, handle: PAGE.igUsername!, displayName: 'Bean Bar on Instagram' }
    )
    await storeRealImage(workspace, { mime: 'image/jpeg', width: 800, height: 800 })

    const page = await visit('/login')
    await page.getByLabel('Email address').fill(owner.email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((url) => url.pathname === '/')
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
