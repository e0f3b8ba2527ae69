import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import Workspace from '#models/workspace'
import { truncateAroundEach } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { signIn, visitSignedIn, waitUntilPublishedOn } from '#tests/helpers/browser'
import { useFakeOpenRouter } from '#tests/helpers/ai'
import { waitFor } from '#tests/helpers/queue'
import {
  connectFakeLinkedIn,
  connectFakeMetaPage,
  connectFakeX,
  usePublishingConfig,
  usePublishingFakes,
} from '#tests/helpers/publishing'
import { FAKE_REPLY } from '#tests/fakes/openrouter'
import { FakeX } from '#tests/fakes/x'
import { FakeLinkedIn } from '#tests/fakes/linkedin'
import { FakeMeta } from '#tests/fakes/meta'

const ZONE = 'Europe/Berlin'
const ACCOUNTS = ['Acme on X', 'Acme on LinkedIn', 'Acme Coffee Page', 'Acme on Instagram']
const NETWORKS = ['X', 'LinkedIn', 'Facebook', 'Instagram']

async function shot(page: { screenshot(options: object): Promise<unknown> }, name: string) {
  if (process.env.SCREENSHOTS) {
    await page.screenshot({ path: `tmp/screenshots/whole_day_${name}.png`, fullPage: true })
  }
}

/**
 * The seed's whole day (issue 8, "Done means"), in two real browsers against
 * the fakes: an editor writes the post with the AI text panel (streamed into
 * the composer), generates an image, picks X, LinkedIn, a Facebook Page and
 * Instagram, schedules it a short time ahead and submits it for approval;
 * the owner approves it in their own browser; the workers publish all four
 * at its time; the calendar (month and week), the workspace dashboard and
 * the agency dashboard show it.
 */
test.group('The whole day in a real browser', (group) => {
  const x = new FakeX()
  const linkedin = new FakeLinkedIn()
  const meta = new FakeMeta()

  truncateAroundEach(group)
  const { fake: openRouter } = useFakeOpenRouter(group)
  // The image worker and the four publish queues, as `node ace queue:work` runs them.
  usePublishingFakes(group, { x, linkedin, facebook: meta, instagram: meta })
  // The fake Meta runs on 127.0.0.1 and downloads from APP_URL (127.0.0.1 too).
  usePublishingConfig(group, { mediaUrlReachable: true })

  test('AI text and image, four networks, approval, published, on the calendar and the dashboards', async ({
    visit,
    browser,
    assert,
  }) => {
    // The agency admin set Herald up; the client's owner approves, the editor writes.
    await createUser({ isAdmin: true, fullName: 'Ada Admin', email: 'ada@agency.test' })
    const owner = await createUser({ fullName: 'Olga Owner', email: 'olga@agency.test' })
    const editor = await createUser({ fullName: 'Eddie Editor', email: 'eddie@agency.test' })
    const workspace = await createWorkspace(owner, { name: 'Acme Coffee', timezone: ZONE })
    await Workspace.query().where('id', workspace.id).update({ requires_approval: true })
    await addMember(workspace, editor, 'editor')
    const accounts = [
      await connectFakeX(workspace, ACCOUNTS[0]),
      await connectFakeLinkedIn(workspace, ACCOUNTS[1]),
      await connectFakeMetaPage(workspace, 'facebook', ACCOUNTS[2]),
      await connectFakeMetaPage(workspace, 'instagram', ACCOUNTS[3]),
    ]

    // --- The editor, in the composer -------------------------------------
    const page = await visitSignedIn(visit, editor.email)
    await page.goto(`/w/${workspace.slug}`)
    await page.getByRole('link', { name: 'Compose', exact: true }).click()
    await page.waitForURL('**/compose')
    for (const [index, name] of ACCOUNTS.entries()) {
      await page.getByRole('checkbox', { name: new RegExp(name) }).check()
      await page.locator('.target-card').nth(index).waitFor()
    }
    // An editor in a workspace that requires approval asks for it: no Schedule button.
    assert.equal(await page.getByRole('button', { name: 'Schedule', exact: true }).count(), 0)

    // The text streams in: the fake holds after three words, which are already in the editor.
    const composer = page.locator('#composer-text')
    await page.getByLabel('What should the post say?').fill('Announce the spring opening')
    openRouter.holdStream(3)
    await page.getByRole('button', { name: 'Generate', exact: true }).click()
    await waitFor(() => openRouter.streams[0]?.held, { message: 'the fake to hold the stream' })
    await waitFor(async () => (await composer.inputValue()).split(' ').length >= 3, {
      message: 'three words in the composer',
    })
    const partial = await composer.inputValue()
    assert.isTrue(FAKE_REPLY.startsWith(partial))
    assert.isBelow(partial.length, FAKE_REPLY.length)
    await shot(page, 'text_streaming')
    const system = (openRouter.requestsTo('/chat/completions')[0].body!.messages as any[])[0]
      .content
    for (const network of ['X (Twitter)', 'LinkedIn', 'Facebook', 'Instagram']) {
      assert.include(system, network, 'the prompt names every chosen network')
    }
    openRouter.release()
    await page.getByText(/Written with Anthropic: Claude 3\.5 Sonnet/).waitFor()
    assert.equal(await composer.inputValue(), FAKE_REPLY)

    // The image, generated from a prompt of its own and attached to the post.
    await page.getByLabel('Describe the image').fill('A flat white on a sunny terrace')
    await page.getByLabel('Aspect ratio').selectOption('4:5')
    await page.getByRole('button', { name: 'Generate image' }).click()
    const result = page.locator('[data-ai-image-result]')
    await result.waitFor({ timeout: 30_000 })
    const mediaId = Number(await result.getAttribute('data-media-id'))
    assert.isAbove(mediaId, 0)
    await page
      .locator(`#composer input[name="mediaIds[]"][value="${mediaId}"]:checked`)
      .waitFor({ state: 'attached' })
    // Every account's preview shows the text and the image.
    for (const index of [0, 1, 2, 3]) {
      await page.locator('.target-card').nth(index).locator('.net-media img').waitFor()
    }

    // 15 to 75 seconds ahead, in the workspace's time (the picker has minutes).
    const at = DateTime.now().setZone(ZONE).plus({ seconds: 75 }).startOf('minute')
    await page.getByLabel('Date').fill(at.toFormat('yyyy-MM-dd'))
    await page.getByLabel('Time').fill(at.toFormat('HH:mm'))
    await shot(page, 'composer')
    await page.getByRole('button', { name: 'Submit for approval' }).click()
    await page.waitForURL(/\/posts\/\d+$/)
    const postId = Number(new URL(page.url()).pathname.split('/').pop())
    await page.locator('#post-approval-state').getByText('pending approval').waitFor()
    assert.equal(await page.locator('.preflight-issue').count(), 0, 'no pre-flight issue')
    assert.equal(
      await page.getByRole('button', { name: 'Approve' }).count(),
      0,
      'an editor cannot approve'
    )
    await shot(page, 'submitted')

    // --- The owner approves, in a browser of their own -------------------
    const ownerContext = await browser.newContext({
      baseURL: `http://${process.env.HOST}:${process.env.PORT}`,
    })
    try {
      const ownerPage = await ownerContext.newPage()
      await signIn(ownerPage, owner.email)
      await ownerPage.goto(`/w/${workspace.slug}/posts?status=pending_approval`)
      await ownerPage
        .getByRole('link', { name: FAKE_REPLY.slice(0, 20) })
        .first()
        .click()
      await ownerPage.waitForURL(`**/w/${workspace.slug}/posts/${postId}`)
      await ownerPage.getByLabel('Comment (optional)').fill('Lovely, go ahead')
      await ownerPage.getByRole('button', { name: 'Approve' }).click()
      await ownerPage.locator('#post-approval-state').getByText('approved').waitFor()
      await shot(ownerPage, 'approved')
    } finally {
      await ownerContext.close()
    }
    const approved = await Post.findOrFail(postId)
    assert.equal(approved.approvalState, 'approved')
    assert.equal(approved.approvalDecidedById, owner.id)

    // --- The workers publish all four; the editor's post page follows ------
    await waitUntilPublishedOn(page, ['X (Twitter)', 'LinkedIn', 'Facebook Pages', 'Instagram'])
    // The approval given in the other browser reached this page without a reload.
    await page.assertTextContains('#post-approval-state', 'approved')
    await page.assertTextContains('#post-approval-state', 'by Olga Owner')
    await page.assertTextContains('#post-approval-state', 'Lovely, go ahead')
    await page.assertTextContains('#post-history', 'Olga Owner: approved')
    await shot(page, 'published')

    const targets = await PostTarget.query().where('post_id', postId).orderBy('social_account_id')
    assert.deepEqual(
      targets.map((target) => [target.socialAccountId, target.status]),
      accounts.map((account) => [account.id, 'published'])
    )
    // Exactly one post on each network, with the AI's words and the AI image.
    assert.lengthOf(x.liveTweets(), 1)
    assert.equal(x.liveTweets()[0].text, FAKE_REPLY)
    assert.lengthOf(x.liveTweets()[0].mediaIds, 1)
    assert.lengthOf(linkedin.posts, 1)
    assert.equal(linkedin.posts[0].text, FAKE_REPLY)
    assert.isFalse(linkedin.posts[0].truncated)
    assert.lengthOf(meta.posts, 1)
    assert.equal(meta.posts[0].message, FAKE_REPLY)
    assert.lengthOf(meta.posts[0].photoUrls, 1)
    assert.lengthOf(meta.igMedia, 1)
    assert.equal(meta.igMedia[0].caption, FAKE_REPLY)
    // Not before its time, nor before the approval.
    const notBefore = Math.max(at.toMillis(), approved.approvalDecidedAt!.toMillis())
    assert.isAtLeast(x.requestsTo('tweets.create')[0].at.getTime(), notBefore)
    assert.isAtLeast(linkedin.posts[0].createdAt.getTime(), notBefore)
    assert.isAtLeast(meta.posts[0].createdTime.getTime(), notBefore)
    assert.isAtLeast(meta.igMedia[0].timestamp.getTime(), notBefore)
    // Instagram downloaded a JPEG copy of the AI PNG, cropped into its 4:5..1.91:1.
    const [variant] = await db.from('media_variants').where('media_asset_id', mediaId)
    assert.equal(variant.mime, 'image/jpeg')
    const container = meta.requests.find((request) => request.route === 'ig.media')!
    assert.isTrue(container.params.image_url.endsWith(variant.storage_key))
    const download = meta.fetches.find((fetched) => fetched.url === container.params.image_url)!
    assert.isTrue(download.ok)
    assert.deepEqual([download.width, download.height], [variant.width, variant.height])
    assert.isAtLeast(download.width! / download.height!, 0.8)

    // --- The calendar: month, then week ----------------------------------
    const day = at.toISODate()!
    await page.getByRole('link', { name: 'Calendar', exact: true }).click()
    await page.waitForURL(`**/w/${workspace.slug}/calendar`)
    if (at.month !== DateTime.now().setZone(ZONE).month) {
      await page.goto(`/w/${workspace.slug}/calendar?view=month&date=${day}`)
    }
    const monthChip = page.locator(`[data-calendar-day="${day}"] #chip-${postId}`)
    await monthChip.waitFor()
    await assertChip(monthChip)
    await shot(page, 'calendar_month')
    await page.getByRole('link', { name: 'Week', exact: true }).click()
    await page.waitForURL((url: URL) => url.searchParams.get('view') === 'week')
    const weekChip = page.locator(`[data-calendar-day="${day}"] #chip-${postId}`)
    await weekChip.waitFor()
    await assertChip(weekChip)
    await shot(page, 'calendar_week')

    async function assertChip(chip: typeof monthChip) {
      assert.equal(await chip.getAttribute('data-status'), 'published')
      assert.equal((await chip.locator('time').innerText()).trim(), at.toFormat('HH:mm'))
      assert.deepEqual(
        (
          await chip
            .locator('.network-icon')
            .evaluateAll((icons: any[]) => icons.map((icon) => icon.getAttribute('aria-label')))
        ).sort(),
        [...NETWORKS].sort()
      )
      assert.equal((await chip.locator('.chip-status').innerText()).trim(), 'Published')
      assert.isTrue(FAKE_REPLY.startsWith((await chip.locator('.chip-text').innerText()).trim()))
      // Published: nothing to drag or move.
      assert.isNull(await chip.getAttribute('draggable'))
      assert.equal(await chip.locator('.move-button').count(), 0)
    }

    // --- The workspace dashboard: published this week --------------------
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click()
    await page.waitForURL((url: URL) => url.pathname === `/w/${workspace.slug}`)
    const published = page.locator(`#published #published-post-${postId}`)
    await published.waitFor()
    await page.assertTextContains('#published', '1 post since')
    for (const network of ['X (Twitter)', 'LinkedIn', 'Facebook Pages', 'Instagram']) {
      await published.getByText(`View on ${network}`).waitFor()
    }
    assert.equal(await published.locator('a.live-link').count(), 4)
    await page.assertTextContains('#attention', 'Nothing needs you right now')
    assert.equal(await page.locator(`#upcoming-post-${postId}`).count(), 0)
    await shot(page, 'dashboard')

    // --- The agency dashboard: the workspace's card ----------------------
    await page.goto('/')
    const card = page.locator(`#workspace-card-${workspace.id}`)
    await card.getByRole('link', { name: 'Acme Coffee' }).waitFor()
    await page.assertTextContains(`#workspace-card-${workspace.id}`, 'Approval required')
    await page.assertTextContains(`#workspace-card-${workspace.id}`, 'Editor')
    await page.assertTextContains(`#workspace-card-${workspace.id}`, 'Nothing needs attention')
    await shot(page, 'agency')
  }).timeout(300_000)
})
