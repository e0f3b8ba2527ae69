import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Post from '#models/post'
import { truncateAroundEach } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { signIn, visitSignedIn } from '#tests/helpers/browser'
import { connectAccount } from '#tests/helpers/publishing'
import { isolateQueue } from '#tests/helpers/queue'
import { createPost } from '#tests/helpers/posts'

const ZONE = 'Europe/Berlin'
const TOKENS = { accessToken: 'browser-test-access-token-0001', scopes: [] }

async function shot(page: { screenshot(options: object): Promise<unknown> }, name: string) {
  if (process.env.SCREENSHOTS) {
    await page.screenshot({ path: `tmp/screenshots/calendar_${name}.png`, fullPage: true })
  }
}

/**
 * The calendar and the dashboards as a person uses them: navigate months and
 * weeks (htmx swaps, the URL follows), drag a post to another day, move one
 * with the keyboard, and find a failed post with its reason on the dashboard.
 */
test.group('Calendar and dashboards in a real browser', (group) => {
  truncateAroundEach(group)
  isolateQueue(group)

  test('navigate with htmx, drag a post to another day, move one with the keyboard', async ({
    visit,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true, email: 'ada@agency.test' })
    const workspace = await createWorkspace(owner, { name: 'Acme Coffee', timezone: ZONE })
    const x = await connectAccount(workspace, 'x', TOKENS, { displayName: 'Acme on X' })
    const linkedin = await connectAccount(workspace, 'linkedin', TOKENS, {
      displayName: 'Acme on LinkedIn',
    })
    const facebook = await connectAccount(workspace, 'facebook', TOKENS, {
      displayName: 'Acme Page',
    })
    const today = DateTime.now().setZone(ZONE).startOf('day')
    // Two days ahead, so a day before and a day after are both still to come.
    const day = today.plus({ days: 2 })
    const dragged = await createPost(workspace, {
      text: 'Fresh beans are in: our Ethiopian roast is back this week',
      at: day.set({ hour: 10, minute: 30 }),
      targets: [
        { account: x, status: 'scheduled' },
        { account: linkedin, status: 'scheduled' },
        { account: facebook, status: 'scheduled' },
      ],
    })
    const keyboard = await createPost(workspace, {
      text: 'Latte art class on Saturday, sign up at the counter',
      at: day.set({ hour: 16, minute: 0 }),
      targets: [{ account: linkedin, status: 'scheduled' }],
    })
    await createPost(workspace, {
      text: 'Thank you for 1,000 followers!',
      at: today.minus({ days: 1 }).set({ hour: 9 }),
      targets: [
        {
          account: x,
          status: 'published',
          publishedAt: today.minus({ days: 1 }).set({ hour: 9 }),
          url: 'https://x.com/acme/status/1',
        },
      ],
    })

    const page = await visitSignedIn(visit, owner.email)
    await page.goto(`/w/${workspace.slug}`)
    await page.getByRole('link', { name: 'Calendar', exact: true }).click()
    await page.waitForURL(`**/w/${workspace.slug}/calendar`)
    await page.assertTextContains('#calendar-period', today.toFormat('LLLL yyyy'))
    await page.assertTextContains('.calendar-zone', `${ZONE}, UTC`)
    await page.locator(`#chip-${dragged.id}`).waitFor()
    await shot(page, 'month')

    // htmx navigation: the calendar is swapped in place and the URL follows.
    await page.evaluate('window.samePage = true')
    const next = today.plus({ months: 1 })
    await page.getByRole('link', { name: 'Next month' }).click()
    await page.waitForURL((url: URL) => url.searchParams.get('date') === next.toISODate())
    await page.assertTextContains('#calendar-period', next.toFormat('LLLL yyyy'))
    await page.getByRole('link', { name: 'Week', exact: true }).click()
    await page.waitForURL((url: URL) => url.searchParams.get('view') === 'week')
    await page.getByRole('link', { name: 'Today' }).click()
    await page.waitForURL((url: URL) => url.searchParams.get('date') === today.toISODate())
    assert.isTrue(await page.evaluate('window.samePage === true'), 'no page load')
    await page.getByRole('link', { name: 'Month', exact: true }).click()
    await page.waitForURL((url: URL) => url.searchParams.get('view') === 'month')

    // Drag the chip one day on (or back, when the day after is off the grid); it keeps 10:30.
    let target = day.plus({ days: 1 })
    if ((await page.locator(`[data-calendar-day="${target.toISODate()}"]`).count()) === 0) {
      target = day.minus({ days: 1 })
    }
    await page
      .locator(`#chip-${dragged.id}`)
      .dragTo(page.locator(`[data-calendar-day="${target.toISODate()}"]`))
    await page.assertTextContains('#calendar-notice', 'Moved to')
    await page.locator(`[data-calendar-day="${target.toISODate()}"] #chip-${dragged.id}`).waitFor()
    await page.assertTextContains(`#chip-${dragged.id} time`, '10:30')
    await dragged.refresh()
    const moved = dragged.scheduledAt!.setZone(ZONE)
    assert.equal(moved.toISODate(), target.toISODate())
    assert.equal(moved.toFormat('HH:mm'), '10:30')
    await shot(page, 'after_drag')

    // A "Move" form opens in its chip and Escape closes it, back on its button.
    await page.locator(`#chip-${dragged.id} .move-button`).click()
    await page.locator(`#move-date-${dragged.id}`).waitFor()
    await page.keyboard.press('Escape')
    await page.locator(`#move-slot-${dragged.id} form`).waitFor({ state: 'detached' })
    assert.equal(
      await page.evaluate('document.activeElement.getAttribute("aria-controls")'),
      `move-slot-${dragged.id}`
    )

    // "Move" with the keyboard: Tab to it, Enter loads its form with the date focused.
    const moveTo = today.plus({ days: 3 })
    await page.locator(`#chip-${keyboard.id} .chip-link`).focus()
    await page.keyboard.press('Tab')
    assert.equal(
      await page.evaluate('document.activeElement.getAttribute("aria-controls")'),
      `move-slot-${keyboard.id}`
    )
    await page.keyboard.press('Enter')
    const dateField = page.locator(`#move-date-${keyboard.id}`)
    await dateField.waitFor()
    await page.waitForFunction(`document.activeElement?.id === 'move-date-${keyboard.id}'`)
    assert.equal(
      await page.locator(`#chip-${keyboard.id} .move-button`).getAttribute('aria-expanded'),
      'true'
    )
    await dateField.fill(moveTo.toISODate()!)
    await page.keyboard.press('Tab')
    await page.locator(`#move-time-${keyboard.id}`).fill('08:15')
    await shot(page, 'move_to_open')
    await page.keyboard.press('Enter')
    await page.assertTextContains(
      '#calendar-notice',
      `Moved to ${moveTo.toFormat('ccc d LLL yyyy')}, 08:15`
    )
    await keyboard.refresh()
    assert.equal(
      keyboard.scheduledAt!.setZone(ZONE).toFormat('yyyy-MM-dd HH:mm'),
      `${moveTo.toISODate()} 08:15`
    )
    // The focus follows the moved post (on screen, or the notice when it left the month)
    const focused = (await page.evaluate(
      `document.activeElement.closest('[data-calendar-chip]')?.id ?? document.activeElement.id`
    )) as string
    assert.include([`chip-${keyboard.id}`, 'calendar-notice'], focused)

    // A published post cannot be dragged.
    const published = page.locator('[data-status="published"]').first()
    assert.isNull(await published.getAttribute('draggable'))

    await page.getByRole('link', { name: 'Week', exact: true }).click()
    await page.waitForURL((url: URL) => url.searchParams.get('view') === 'week')
    await shot(page, 'week')
    const stored = await Post.findOrFail(dragged.id)
    assert.equal(stored.scheduledAt!.setZone(ZONE).toFormat('HH:mm'), '10:30')
  }).timeout(90_000)

  test('the dashboard puts a failed post first, with its reason; the agency card counts it', async ({
    visit,
  }) => {
    const owner = await createUser({ isAdmin: true, email: 'ada@agency.test' })
    const workspace = await createWorkspace(owner, { name: 'Bean Bar', timezone: ZONE })
    const x = await connectAccount(workspace, 'x', TOKENS, { displayName: 'Bean Bar on X' })
    const instagram = await connectAccount(workspace, 'instagram', TOKENS, {
      displayName: 'beanbar',
    })
    const now = DateTime.now().setZone(ZONE)
    const failed = await createPost(workspace, {
      text: 'Same old words',
      at: now.minus({ hours: 1 }),
      targets: [
        {
          account: x,
          status: 'failed',
          lastError: 'X refused the post: it duplicates a recent post of this account.',
        },
      ],
    })
    await createPost(workspace, {
      text: 'Weekend brunch menu is live',
      at: now.plus({ days: 2 }),
      targets: [
        { account: x, status: 'scheduled' },
        { account: instagram, status: 'scheduled' },
      ],
    })

    const page = await visitSignedIn(visit, owner.email)
    await page.assertTextContains(`#workspace-card-${workspace.id}`, '1 failed')
    await shot(page, 'agency')
    await page.getByRole('link', { name: 'Bean Bar' }).first().click()
    await page.waitForURL(`**/w/${workspace.slug}`)
    await page.assertTextContains('#attention', 'Same old words')
    await page.assertTextContains('#attention', 'it duplicates a recent post')
    await page.assertTextContains('#attention', 'Failed')
    await page.assertTextContains('#upcoming', 'Weekend brunch menu is live')
    await page.assertTextContains('#banner-posts', '1 post failed')
    await shot(page, 'dashboard')
    await page.locator('#attention').getByRole('link', { name: 'Same old words' }).click()
    await page.waitForURL(`**/w/${workspace.slug}/posts/${failed.id}`)
  }).timeout(60_000)

  test('without JavaScript, "Move" opens its own page and the form moves the post back on the calendar', async ({
    browser,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true, email: 'ada@agency.test' })
    const workspace = await createWorkspace(owner, { name: 'Calm Tea', timezone: ZONE })
    const x = await connectAccount(workspace, 'x', TOKENS, { displayName: 'Calm Tea on X' })
    const today = DateTime.now().setZone(ZONE).startOf('day')
    const post = await createPost(workspace, {
      text: 'Green tea tasting on Friday',
      at: today.plus({ days: 2 }).set({ hour: 11 }),
      targets: [{ account: x, status: 'scheduled' }],
    })
    const context = await browser.newContext({
      baseURL: `http://${process.env.HOST}:${process.env.PORT}`,
      javaScriptEnabled: false,
    })
    try {
      const page = await context.newPage()
      await signIn(page, owner.email)
      await page.goto(`/w/${workspace.slug}/calendar?view=week&date=${today.toISODate()}`)
      // No htmx: the chip's "Move" is a plain link to the post's Move page
      await page.locator(`#chip-${post.id} .move-button`).click()
      await page.waitForURL(`**/w/${workspace.slug}/calendar/posts/${post.id}/move**`)
      await page.getByRole('heading', { name: 'Move a post' }).waitFor()
      const to = today.plus({ days: 4 })
      await page.getByLabel('Date').fill(to.toISODate()!)
      await page.getByLabel(/^Time/).fill('17:45')
      await shot(page, 'move_page_no_js')
      await page.getByRole('button', { name: 'Move' }).click()
      await page.waitForURL((url: URL) => url.pathname === `/w/${workspace.slug}/calendar`)
      assert.include(
        (await page.locator('.alert').first().textContent()) ?? '',
        `Moved to ${to.toFormat('ccc d LLL yyyy')}, 17:45`
      )
      await page.locator(`[data-calendar-day="${to.toISODate()}"] #chip-${post.id}`).waitFor()
      await post.refresh()
      assert.equal(
        post.scheduledAt!.setZone(ZONE).toFormat('yyyy-MM-dd HH:mm'),
        `${to.toISODate()} 17:45`
      )
    } finally {
      await context.close()
    }
  }).timeout(60_000)
})
