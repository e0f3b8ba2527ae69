import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import type SocialAccount from '#models/social_account'
import { appQueues } from '#queue/queues'
import { publishJobId } from '#publishing/job_ids'
import { isolateDatabase } from '#tests/helpers/database'
import { isolateQueue } from '#tests/helpers/queue'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { TEST_TOKENS, connectAccount } from '#tests/helpers/publishing'
import { createPost } from '#tests/helpers/posts'
import { dayOfChip, timeOfChip } from '#tests/helpers/calendar'

const ZONE = 'Europe/Berlin'

/**
 * Moving posts from the calendar: plain form posts go to PUT
 * /posts/:post/schedule with back=calendar; htmx (drag and drop, "Move")
 * goes to PUT /calendar/posts/:post and gets the calendar back. Both go
 * through ReschedulePost, which alone decides what may move.
 */
test.group('Calendar: moving posts', (group) => {
  isolateDatabase(group)
  isolateQueue(group)

  let owner: User
  let workspace: Workspace
  let x: SocialAccount
  /** Ten days ahead, local midnight: always in the future */
  let base: DateTime

  group.each.setup(async () => {
    owner = await createUser({ isAdmin: true })
    workspace = await createWorkspace(owner, { name: 'Acme Coffee', timezone: ZONE })
    x = await connectAccount(workspace, 'x', TEST_TOKENS)
    base = DateTime.now().setZone(ZONE).plus({ days: 10 }).startOf('day')
  })

  function scheduled(at: DateTime, account = x) {
    return createPost(workspace, { at, targets: [{ account, status: 'scheduled' }] })
  }

  function htmxMove(client: any, user: User, post: { id: number }, fields: Record<string, string>) {
    return client
      .put(`/w/${workspace.slug}/calendar/posts/${post.id}`)
      .loginAs(user)
      .withCsrfToken()
      .header('hx-request', 'true')
      .form(fields)
  }

  test('a plain "Move" form post moves the post and comes back to the calendar at its new day', async ({
    client,
    assert,
  }) => {
    const post = await scheduled(base.set({ hour: 10, minute: 30 }))
    const to = base.plus({ days: 3 })
    const response = await client
      .post(`/w/${workspace.slug}/posts/${post.id}/schedule?_method=PUT`)
      .loginAs(owner)
      .withCsrfToken()
      .redirects(0)
      .form({
        scheduleDate: to.toISODate()!,
        scheduleTime: '10:30',
        back: 'calendar',
        view: 'week',
        date: base.toISODate()!,
      })
    response.assertStatus(302)
    assert.equal(
      response.header('location'),
      `/w/${workspace.slug}/calendar?view=week&date=${to.toISODate()}`
    )
    await post.refresh()
    assert.equal(
      post.scheduledAt!.setZone(ZONE).toFormat('yyyy-MM-dd HH:mm'),
      `${to.toISODate()} 10:30`
    )
    const [target] = await PostTarget.query().where('post_id', post.id)
    assert.equal(target.status, 'scheduled')
    assert.equal(target.dueAt!.toMillis(), post.scheduledAt!.toMillis())
    assert.equal(target.jobSeq, 2, 'a new job for the new time')
    const job = await (await appQueues().getQueue('publish-x')).getJob(publishJobId(target.id, 2))
    assert.exists(job)

    assert.include(
      response.flashMessage('success'),
      `Moved to ${to.toFormat('ccc d LLL yyyy')}, 10:30 (Europe/Berlin, UTC`
    )
    const calendar = await client.get(response.header('location')!).loginAs(owner)
    assert.equal(dayOfChip(calendar.text(), post.id), to.toISODate())
  })

  test("the Move page's plain form: moved, back on the calendar; bad input comes back on the page as typed (422)", async ({
    client,
    assert,
  }) => {
    const post = await scheduled(base.set({ hour: 10, minute: 30 }))
    const url = `/w/${workspace.slug}/calendar/posts/${post.id}?_method=PUT`
    const plainMove = (fields: Record<string, string>) =>
      client.post(url).loginAs(owner).withCsrfToken().redirects(0).form(fields)

    const refused = await plainMove({
      scheduleDate: 'next tuesday',
      scheduleTime: '10:30',
      view: 'week',
      date: base.toISODate()!,
    })
    refused.assertStatus(422)
    const html = refused.text()
    assert.include(html, '<html', 'the Move page, not a fragment')
    assert.include(html, 'Move a post')
    assert.include(html, 'value="next tuesday"', 'what was typed is kept')
    assert.include(html, 'Enter a date, like 2026-12-24.')
    assert.include(html, `aria-describedby="move-date-${post.id}-error"`)
    assert.include(html, 'name="view" value="week"')
    assert.notInclude(html, 'hx-put=')
    await post.refresh()
    assert.equal(post.scheduledAt!.setZone(ZONE).toISODate(), base.toISODate())

    const to = base.plus({ days: 2 })
    const moved = await plainMove({
      scheduleDate: to.toISODate()!,
      scheduleTime: '18:00',
      view: 'week',
      date: base.toISODate()!,
    })
    moved.assertStatus(302)
    assert.equal(
      moved.header('location'),
      `/w/${workspace.slug}/calendar?view=week&date=${to.toISODate()}`
    )
    assert.include(
      moved.flashMessage('success'),
      `Moved to ${to.toFormat('ccc d LLL yyyy')}, 18:00`
    )
    await post.refresh()
    assert.equal(
      post.scheduledAt!.setZone(ZONE).toFormat('yyyy-MM-dd HH:mm'),
      `${to.toISODate()} 18:00`
    )

    // A refusal of the action (the time has passed) goes back to the calendar, said in words
    const past = await plainMove({
      scheduleDate: DateTime.now().setZone(ZONE).minus({ days: 1 }).toISODate()!,
      scheduleTime: '09:00',
      view: 'week',
      date: base.toISODate()!,
    })
    past.assertStatus(302)
    assert.equal(
      past.header('location'),
      `/w/${workspace.slug}/calendar?view=week&date=${base.toISODate()}`
    )
    assert.include(past.flashMessage('error'), 'That time has passed')
  })

  test('htmx moves answer with the calendar re-rendered where it was, the post on its new day and focused', async ({
    client,
    assert,
  }) => {
    const post = await scheduled(base.set({ hour: 10, minute: 30 }))
    const to = base.plus({ days: 1 })
    const response = await htmxMove(client, owner, post, {
      scheduleDate: to.toISODate()!,
      scheduleTime: '10:30',
      view: 'month',
      date: base.toISODate()!,
    })
    response.assertStatus(200)
    const html = response.text()
    assert.notInclude(html, '<html')
    assert.match(html.trim(), /^(<!--[\s\S]*?-->\s*)?<div id="calendar"/)
    assert.include(response.header('vary') ?? '', 'HX-Request')
    assert.include(html, 'Moved to')
    assert.include(html, base.toFormat('LLLL yyyy'), 'the month on screen')
    assert.equal(dayOfChip(html, post.id), to.toISODate())
    assert.equal(timeOfChip(html, post.id), '10:30')
    assert.match(
      html,
      new RegExp(`href="/w/${workspace.slug}/posts/${post.id}"[^>]*data-calendar-focus`)
    )
    await post.refresh()
    assert.equal(post.scheduledAt!.setZone(ZONE).toISODate(), to.toISODate())
  })

  test("a move out of the period on screen links to the post's new day", async ({
    client,
    assert,
  }) => {
    const post = await scheduled(base.set({ hour: 9 }))
    const to = base.plus({ months: 2 })
    const response = await htmxMove(client, owner, post, {
      scheduleDate: to.toISODate()!,
      scheduleTime: '09:00',
      view: 'week',
      date: base.toISODate()!,
    })
    response.assertStatus(200)
    assert.notInclude(response.text(), `id="chip-${post.id}"`)
    assert.include(
      response.text(),
      `href="/w/${workspace.slug}/calendar?view=week&amp;date=${to.toISODate()}"`
    )
    assert.include(response.text(), 'Show its day')
  })

  test('a published post is refused in words (409), as a form post and with htmx; nothing changes', async ({
    client,
    assert,
  }) => {
    const at = DateTime.now().setZone(ZONE).minus({ hours: 2 })
    const post = await createPost(workspace, {
      at,
      targets: [{ account: x, status: 'published', publishedAt: at }],
    })
    const fields = {
      scheduleDate: base.toISODate()!,
      scheduleTime: '09:00',
      view: 'month',
      date: at.toISODate()!,
    }
    const refused = await htmxMove(client, owner, post, fields)
    refused.assertStatus(409)
    assert.include(refused.text(), 'id="calendar"')
    assert.include(
      refused.text(),
      'Nothing of this post is waiting to go out, so there is nothing to move.'
    )
    assert.equal(dayOfChip(refused.text(), post.id), at.toISODate())

    const plain = await client
      .post(`/w/${workspace.slug}/posts/${post.id}/schedule?_method=PUT`)
      .loginAs(owner)
      .withCsrfToken()
      .redirects(0)
      .form({ ...fields, back: 'calendar' })
    plain.assertStatus(302)
    assert.equal(
      plain.header('location'),
      `/w/${workspace.slug}/calendar?view=month&date=${at.toISODate()}`
    )
    assert.include(plain.flashMessage('error'), 'Nothing of this post is waiting to go out')

    const stored = await Post.findOrFail(post.id)
    assert.equal(stored.scheduledAt!.toMillis(), post.scheduledAt!.toMillis())
  })

  test('a time that has passed is refused by the action, in words', async ({ client, assert }) => {
    const post = await scheduled(base.set({ hour: 9 }))
    const yesterday = DateTime.now().setZone(ZONE).minus({ days: 1 })
    const response = await htmxMove(client, owner, post, {
      scheduleDate: yesterday.toISODate()!,
      scheduleTime: '09:00',
      view: 'month',
      date: base.toISODate()!,
    })
    response.assertStatus(409)
    assert.include(response.text(), 'That time has passed. Pick a time in the future.')
    await post.refresh()
    assert.equal(post.scheduledAt!.setZone(ZONE).toISODate(), base.toISODate())
  })

  test('bad input is a 422 with the "Move" form open, the field named and what was typed kept', async ({
    client,
    assert,
  }) => {
    const post = await scheduled(base.set({ hour: 9 }))
    const response = await htmxMove(client, owner, post, {
      scheduleDate: 'next tuesday',
      scheduleTime: '09:00',
      view: 'month',
      date: base.toISODate()!,
    })
    response.assertStatus(422)
    const html = response.text()
    assert.include(html, 'Enter a date, like 2026-12-24.')
    assert.include(html, 'aria-expanded="true"')
    const slot = html.slice(html.indexOf(`id="move-slot-${post.id}"`))
    assert.match(slot, /^id="move-slot-\d+">\s*<form/, 'the form is open in its chip')
    assert.include(html, 'value="next tuesday"')
    assert.include(html, `aria-describedby="move-date-${post.id}-error"`)
    assert.include(html, `id="move-date-${post.id}-error"`)
    assert.include(html, 'aria-invalid="true"')

    // The hour skipped when clocks go forward does not exist: said, tied to the time field.
    const endOfMarch = DateTime.fromISO(`${base.year + 1}-03-31`, { zone: ZONE })
    const spring = endOfMarch.minus({ days: endOfMarch.weekday % 7 })
    assert.equal(spring.weekday, 7, 'the last Sunday of March')
    const gap = await htmxMove(client, owner, post, {
      scheduleDate: spring.toISODate()!,
      scheduleTime: '02:30',
      view: 'month',
      date: base.toISODate()!,
    })
    gap.assertStatus(422)
    assert.include(gap.text(), 'does not exist on')
    assert.include(gap.text(), `id="move-time-${post.id}-error"`)
    await post.refresh()
    assert.equal(post.scheduledAt!.setZone(ZONE).toISODate(), base.toISODate())
  })

  test('viewers and approvers cannot move posts', async ({ client, assert }) => {
    const post = await scheduled(base.set({ hour: 9 }))
    for (const role of ['viewer', 'approver'] as const) {
      const member = await createUser()
      await addMember(workspace, member, role)
      const fields = { scheduleDate: base.plus({ days: 1 }).toISODate()!, scheduleTime: '09:00' }
      const htmx = await htmxMove(client, member, post, fields)
      htmx.assertStatus(403)
      const plain = await client
        .post(`/w/${workspace.slug}/posts/${post.id}/schedule?_method=PUT`)
        .loginAs(member)
        .withCsrfToken()
        .redirects(0)
        .form({ ...fields, back: 'calendar' })
      plain.assertStatus(302)
      assert.include(plain.flashMessage('error'), 'Viewers and approvers cannot edit posts.')
      htmx.assertTextIncludes('Viewers and approvers cannot edit posts.')
    }
    await post.refresh()
    assert.equal(post.scheduledAt!.setZone(ZONE).toISODate(), base.toISODate())
  })

  test("another workspace's post is a 404 from the calendar's endpoint and the schedule endpoint", async ({
    client,
    assert,
  }) => {
    const other = await createWorkspace(owner, { name: 'Other Client' })
    const theirAccount = await connectAccount(other, 'x', TEST_TOKENS)
    const theirs = await createPost(other, {
      at: base.set({ hour: 9 }),
      targets: [{ account: theirAccount, status: 'scheduled' }],
    })
    const fields = { scheduleDate: base.plus({ days: 1 }).toISODate()!, scheduleTime: '09:00' }
    const htmx = await htmxMove(client, owner, theirs, fields)
    htmx.assertStatus(404)
    const plain = await client
      .post(`/w/${workspace.slug}/posts/${theirs.id}/schedule?_method=PUT`)
      .loginAs(owner)
      .withCsrfToken()
      .redirects(0)
      .form({ ...fields, back: 'calendar' })
    plain.assertStatus(404)
    await theirs.refresh()
    assert.equal(theirs.scheduledAt!.setZone(ZONE).toISODate(), base.toISODate())
  })
})
