import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import type SocialAccount from '#models/social_account'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { TEST_TOKENS, connectAccount } from '#tests/helpers/publishing'
import { createPost } from '#tests/helpers/posts'
import { calendarDays as days, dayOfChip, timeOfChip } from '#tests/helpers/calendar'
import { countQueries } from '#tests/helpers/query_count'

test.group('Calendar: what it shows', (group) => {
  isolateDatabase(group)

  let owner: User
  let workspace: Workspace
  let x: SocialAccount
  let linkedin: SocialAccount

  group.each.setup(async () => {
    owner = await createUser({ isAdmin: true })
    workspace = await createWorkspace(owner, { name: 'Acme Coffee', timezone: 'Europe/Berlin' })
    x = await connectAccount(workspace, 'x', TEST_TOKENS)
    linkedin = await connectAccount(workspace, 'linkedin', TEST_TOKENS)
  })

  test('a month is its ISO weeks, Monday first, cut at local midnights', async ({
    client,
    assert,
  }) => {
    const zone = workspace.timezone
    // March 2026 starts on a Sunday: the grid runs from Monday 23 Feb to Sunday 5 Apr.
    const first = await createPost(workspace, {
      at: DateTime.fromISO('2026-02-23T00:30', { zone }),
      targets: [{ account: x, status: 'scheduled' }],
    })
    const last = await createPost(workspace, {
      at: DateTime.fromISO('2026-04-05T23:45', { zone }),
      targets: [{ account: x, status: 'scheduled' }],
    })
    const before = await createPost(workspace, {
      at: DateTime.fromISO('2026-02-22T23:59', { zone }),
      targets: [{ account: x, status: 'scheduled' }],
    })
    const after = await createPost(workspace, {
      at: DateTime.fromISO('2026-04-06T00:00', { zone }),
      targets: [{ account: x, status: 'scheduled' }],
    })

    const response = await client
      .get(`/w/${workspace.slug}/calendar?view=month&date=2026-03-15`)
      .loginAs(owner)
    response.assertStatus(200)
    const html = response.text()
    const grid = days(html)
    assert.lengthOf(grid, 42)
    assert.equal(grid[0], '2026-02-23')
    assert.equal(grid[41], '2026-04-05')
    assert.include(html, 'March 2026')
    assert.equal(dayOfChip(html, first.id), '2026-02-23')
    assert.equal(timeOfChip(html, first.id), '00:30')
    assert.equal(dayOfChip(html, last.id), '2026-04-05')
    assert.notInclude(html, `id="chip-${before.id}"`)
    assert.notInclude(html, `id="chip-${after.id}"`)
    assert.include(html, 'aria-current="page"', 'the view switch marks Month')
    assert.match(html, /Europe\/Berlin, UTC\+01:00, UTC\+02:00 from Sun 29 Mar, 03:00/)
  })

  test('a week is Monday to Sunday; a post at 23:30 local is on its local day, not its UTC day', async ({
    client,
    assert,
  }) => {
    const west = await createWorkspace(owner, { timezone: 'America/Los_Angeles' })
    const account = await connectAccount(west, 'x', TEST_TOKENS)
    // 23:30 in Los Angeles on Wednesday 10 June is 06:30 UTC on Thursday 11 June.
    const late = await createPost(west, {
      at: DateTime.fromISO('2026-06-10T23:30', { zone: 'America/Los_Angeles' }),
      targets: [{ account, status: 'scheduled' }],
    })
    assert.equal(late.scheduledAt!.toUTC().toISODate(), '2026-06-11')

    const response = await client
      .get(`/w/${west.slug}/calendar?view=week&date=2026-06-11`)
      .loginAs(owner)
    response.assertStatus(200)
    const html = response.text()
    assert.deepEqual(days(html), [
      '2026-06-08',
      '2026-06-09',
      '2026-06-10',
      '2026-06-11',
      '2026-06-12',
      '2026-06-13',
      '2026-06-14',
    ])
    assert.equal(dayOfChip(html, late.id), '2026-06-10')
    assert.equal(timeOfChip(html, late.id), '23:30')
    assert.include(html, '8 – 14 Jun 2026')
    assert.include(html, 'America/Los_Angeles, UTC-07:00')

    // In Berlin the same instant is 08:30 on the 11th: each workspace sees its own day.
    const tokyo = await createWorkspace(owner, { timezone: 'Asia/Tokyo' })
    const tokyoAccount = await connectAccount(tokyo, 'x', TEST_TOKENS)
    const early = await createPost(tokyo, {
      at: DateTime.fromISO('2026-06-11T00:15', { zone: 'Asia/Tokyo' }),
      targets: [{ account: tokyoAccount, status: 'scheduled' }],
    })
    const tokyoWeek = await client
      .get(`/w/${tokyo.slug}/calendar?view=week&date=2026-06-10`)
      .loginAs(owner)
    assert.equal(dayOfChip(tokyoWeek.text(), early.id), '2026-06-11', 'its UTC day is the 10th')
  })

  test('the week clocks go forward shows each post at its local time and says when the offset changes', async ({
    client,
    assert,
  }) => {
    const zone = workspace.timezone
    // Europe/Berlin goes from UTC+01:00 to UTC+02:00 at 02:00 on Sunday 29 March 2026.
    const saturday = await createPost(workspace, {
      at: DateTime.fromISO('2026-03-28T09:00', { zone }),
      targets: [{ account: x, status: 'scheduled' }],
    })
    const sunday = await createPost(workspace, {
      at: DateTime.fromISO('2026-03-29T09:00', { zone }),
      targets: [{ account: linkedin, status: 'scheduled' }],
    })
    const sundayNight = await createPost(workspace, {
      at: DateTime.fromISO('2026-03-29T23:30', { zone }),
      targets: [{ account: x, status: 'scheduled' }],
    })
    assert.equal(saturday.scheduledAt!.toUTC().toFormat('HH:mm'), '08:00')
    assert.equal(sunday.scheduledAt!.toUTC().toFormat('HH:mm'), '07:00')

    const response = await client
      .get(`/w/${workspace.slug}/calendar?view=week&date=2026-03-26`)
      .loginAs(owner)
    const html = response.text()
    assert.equal(dayOfChip(html, saturday.id), '2026-03-28')
    assert.equal(timeOfChip(html, saturday.id), '09:00')
    assert.equal(dayOfChip(html, sunday.id), '2026-03-29')
    assert.equal(timeOfChip(html, sunday.id), '09:00')
    assert.equal(dayOfChip(html, sundayNight.id), '2026-03-29')
    assert.equal(timeOfChip(html, sundayNight.id), '23:30')
    assert.include(html, 'Europe/Berlin, UTC+01:00, UTC+02:00 from Sun 29 Mar, 03:00')

    // The week after has one offset only.
    const next = await client
      .get(`/w/${workspace.slug}/calendar?view=week&date=2026-04-01`)
      .loginAs(owner)
    assert.include(next.text(), 'Europe/Berlin, UTC+02:00</span>')
  })

  test('one URL: the page for a browser, the calendar fragment for htmx, Vary: HX-Request on both', async ({
    client,
    assert,
  }) => {
    const url = `/w/${workspace.slug}/calendar?view=week&date=2026-06-10`
    const page = await client.get(url).loginAs(owner)
    page.assertStatus(200)
    assert.include(page.text(), '<html')
    assert.include(page.text(), 'id="calendar"')
    assert.include(page.header('vary') ?? '', 'HX-Request')

    const fragment = await client.get(url).loginAs(owner).header('hx-request', 'true')
    fragment.assertStatus(200)
    assert.notInclude(fragment.text(), '<html')
    assert.match(fragment.text().trim(), /^(<!--[\s\S]*?-->\s*)?<div id="calendar"/)
    assert.include(fragment.header('vary') ?? '', 'HX-Request')
    // Navigation links swap #calendar and push their URL
    assert.include(fragment.text(), 'hx-target="#calendar"')
    assert.include(fragment.text(), 'hx-push-url="true"')
    assert.include(
      fragment.text(),
      `href="/w/${workspace.slug}/calendar?view=week&amp;date=2026-06-03"`,
      'previous week'
    )
    assert.include(
      fragment.text(),
      `href="/w/${workspace.slug}/calendar?view=week&amp;date=2026-06-17"`,
      'next week'
    )
    assert.include(
      fragment.text(),
      `href="/w/${workspace.slug}/calendar?view=month&amp;date=2026-06-10"`,
      'month view of the same date'
    )
  })

  test('a bad date or view shows this month, never an error: {$self}')
    .with([
      'date=2026-02-30',
      'date=garbage',
      'date=99999-01-01',
      'date=0001-01-01',
      'date=2026-13-01',
      'view=year',
      'view[]=month&date[]=2026-01-01',
      'date=%00',
    ])
    .run(async ({ client, assert }, query) => {
      const response = await client.get(`/w/${workspace.slug}/calendar?${query}`).loginAs(owner)
      response.assertStatus(200)
      const month = DateTime.now().setZone(workspace.timezone).toFormat('LLLL yyyy')
      assert.include(response.text(), `<h2 id="calendar-period">${month}</h2>`)
    })

  test('a crowded day shows its first posts and "+ N more", which opens the week with all of them', async ({
    client,
    assert,
  }) => {
    const zone = workspace.timezone
    const posts = []
    for (const hour of [8, 9, 10, 11, 12]) {
      posts.push(
        await createPost(workspace, {
          text: `Post at ${hour}`,
          at: DateTime.fromISO('2026-06-10T00:00', { zone }).set({ hour }),
          targets: [{ account: x, status: 'scheduled' }],
        })
      )
    }
    const month = await client
      .get(`/w/${workspace.slug}/calendar?view=month&date=2026-06-01`)
      .loginAs(owner)
    const html = month.text()
    for (const post of posts.slice(0, 3)) assert.equal(dayOfChip(html, post.id), '2026-06-10')
    for (const post of posts.slice(3)) assert.notInclude(html, `id="chip-${post.id}"`)
    assert.include(html, '+ 2 more')
    assert.include(html, `href="/w/${workspace.slug}/calendar?view=week&amp;date=2026-06-10"`)

    const week = await client
      .get(`/w/${workspace.slug}/calendar?view=week&date=2026-06-10`)
      .loginAs(owner)
    for (const post of posts) assert.equal(dayOfChip(week.text(), post.id), '2026-06-10')
    // In time order
    const order = posts.map((post) => week.text().indexOf(`id="chip-${post.id}"`))
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b)
    )
    assert.notInclude(week.text(), 'more</a>')
  })

  test('chips show the networks, the status in words and escaped text; they open the post', async ({
    client,
    assert,
  }) => {
    const zone = workspace.timezone
    const post = await createPost(workspace, {
      text: '<script>alert(1)</script> Brunch & beans',
      at: DateTime.fromISO('2026-06-10T09:15', { zone }),
      targets: [
        { account: x, status: 'published', publishedAt: DateTime.now() },
        { account: linkedin, status: 'failed', lastError: 'LinkedIn refused it' },
      ],
    })
    const html = (
      await client.get(`/w/${workspace.slug}/calendar?view=day&date=2026-06-10`).loginAs(owner)
    ).text()
    const chip = html.slice(html.indexOf(`id="chip-${post.id}"`))
    assert.include(chip, `href="/w/${workspace.slug}/posts/${post.id}"`)
    assert.include(chip, 'aria-label="X"')
    assert.include(chip, 'aria-label="LinkedIn"')
    assert.include(chip, 'Partly published')
    assert.include(chip, '&lt;script&gt;alert(1)&lt;/script&gt; Brunch &amp; beans')
    assert.notInclude(html, '<script>alert(1)')
    assert.include(html, 'Wednesday 10 June 2026')
  })

  test('drafts without a time are not on the calendar: it says they are on the Posts list', async ({
    client,
    assert,
  }) => {
    const undated = await createPost(workspace, {
      at: null,
      targets: [{ account: x, status: 'draft' }],
    })
    await createPost(workspace, { at: null })
    const dated = await createPost(workspace, {
      text: 'A draft with a time',
      at: DateTime.fromISO('2026-06-10T10:00', { zone: workspace.timezone }),
      targets: [{ account: x, status: 'draft' }],
    })
    const html = (
      await client.get(`/w/${workspace.slug}/calendar?date=2026-06-10`).loginAs(owner)
    ).text()
    assert.notInclude(html, `id="chip-${undated.id}"`)
    assert.include(html, '2 drafts have no time yet')
    assert.include(html, `href="/w/${workspace.slug}/posts?status=draft"`)
    // A draft with a time is shown, as a draft, and cannot move (nothing of it waits to go out)
    assert.equal(dayOfChip(html, dated.id), '2026-06-10')
    const start = html.indexOf(`id="chip-${dated.id}"`)
    const chip = html.slice(start, html.indexOf('</article>', start))
    assert.include(chip, '>Draft<')
    assert.notInclude(chip, 'draggable="true"')
    assert.notInclude(chip, 'move-form')
  })

  test('an empty period teaches what to do; viewers see posts but nothing to move them', async ({
    client,
    assert,
  }) => {
    const empty = await client.get(`/w/${workspace.slug}/calendar?date=2026-06-10`).loginAs(owner)
    empty.assertTextIncludes('Nothing scheduled this month')
    empty.assertTextIncludes('Compose a post and pick a date and time')
    assert.include(empty.text(), `href="/w/${workspace.slug}/compose"`)

    const viewer = await createUser()
    await addMember(workspace, viewer, 'viewer')
    const post = await createPost(workspace, {
      at: DateTime.fromISO('2026-06-10T10:00', { zone: workspace.timezone }),
      targets: [{ account: x, status: 'scheduled' }],
    })
    const seen = await client.get(`/w/${workspace.slug}/calendar?date=2026-06-10`).loginAs(viewer)
    seen.assertStatus(200)
    assert.equal(dayOfChip(seen.text(), post.id), '2026-06-10')
    assert.notInclude(seen.text(), 'draggable="true"')
    assert.notInclude(seen.text(), 'move-button')
    assert.notInclude(seen.text(), 'data-move-url')
    assert.notInclude(seen.text(), 'Drag a post')
    const viewerForm = await client
      .get(`/w/${workspace.slug}/calendar/posts/${post.id}/move?view=month&date=2026-06-10`)
      .loginAs(viewer)
    viewerForm.assertStatus(403)

    const editorView = await client
      .get(`/w/${workspace.slug}/calendar?date=2026-06-10`)
      .loginAs(owner)
    const chip = editorView.text().slice(editorView.text().indexOf(`id="chip-${post.id}"`))
    assert.include(chip, 'draggable="true"')
    assert.include(chip, `data-move-url="/w/${workspace.slug}/calendar/posts/${post.id}"`)
    assert.include(chip, 'data-time="10:00"')
    const moveUrl = `/w/${workspace.slug}/calendar/posts/${post.id}/move?view=month&date=2026-06-10`
    assert.include(chip, `href="${moveUrl.replace('&', '&amp;')}"`)
    assert.include(chip, `hx-target="#move-slot-${post.id}"`)
    assert.notInclude(chip.slice(0, chip.indexOf('</article>')), '<form', 'forms load on demand')
  })

  test('"Move" loads a form into the chip for htmx, or opens it on its own page', async ({
    client,
    assert,
  }) => {
    const post = await createPost(workspace, {
      text: 'Brunch <b>menu</b>',
      at: DateTime.fromISO('2026-06-10T10:30', { zone: workspace.timezone }),
      targets: [{ account: x, status: 'scheduled' }],
    })
    const url = `/w/${workspace.slug}/calendar/posts/${post.id}/move?view=week&date=2026-06-08`
    const fragment = await client.get(url).loginAs(owner).header('hx-request', 'true')
    fragment.assertStatus(200)
    const form = fragment.text()
    assert.notInclude(form, '<html')
    assert.include(form, `action="/w/${workspace.slug}/calendar/posts/${post.id}?_method=PUT"`)
    assert.include(form, `hx-put="/w/${workspace.slug}/calendar/posts/${post.id}"`)
    assert.include(form, 'hx-target="#calendar"')
    assert.include(form, 'name="view" value="week"')
    assert.include(form, 'name="date" value="2026-06-08"')
    assert.include(form, 'value="2026-06-10"')
    assert.include(form, 'value="10:30"')
    assert.include(form, '<label for="move-date-')
    assert.include(fragment.header('vary') ?? '', 'HX-Request')

    const page = await client.get(url).loginAs(owner)
    page.assertStatus(200)
    assert.include(page.text(), '<html')
    assert.include(page.text(), 'Move a post')
    assert.include(page.text(), 'Brunch &lt;b&gt;menu&lt;/b&gt;')
    assert.include(
      page.text(),
      `action="/w/${workspace.slug}/calendar/posts/${post.id}?_method=PUT"`
    )
    assert.notInclude(page.text(), 'hx-put=', 'a plain form on its own page')
    assert.include(
      page.text(),
      `href="/w/${workspace.slug}/calendar?view=week&amp;date=2026-06-08"`
    )

    const other = await createWorkspace(owner, { name: 'Other' })
    const theirs = await createPost(other, { at: DateTime.now().plus({ days: 1 }) })
    const notHere = await client
      .get(`/w/${workspace.slug}/calendar/posts/${theirs.id}/move`)
      .loginAs(owner)
    notHere.assertStatus(404)
  })

  test('a month costs the same queries with 2 posts or 30 (no query per post or per day)', async ({
    client,
    assert,
  }) => {
    const zone = workspace.timezone
    const url = `/w/${workspace.slug}/calendar?view=month&date=2026-06-10`
    async function add(count: number) {
      for (let index = 0; index < count; index++) {
        await createPost(workspace, {
          at: DateTime.fromISO('2026-06-01T09:00', { zone }).plus({
            days: index % 28,
            hours: index,
          }),
          targets: [
            { account: x, status: 'scheduled' },
            { account: linkedin, status: index % 2 ? 'published' : 'scheduled' },
          ],
        })
      }
    }
    await add(2)
    const few = await countQueries(() => client.get(url).loginAs(owner))
    await add(28)
    const many = await countQueries(async () => {
      const response = await client.get(url).loginAs(owner)
      assert.isAbove(response.text().split('class="chip ').length - 1, 25)
    })
    assert.equal(many, few)
  })
})
