import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import { appQueues } from '#queue/queues'
import { publishJobId } from '#publishing/job_ids'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { isolateQueue } from '#tests/helpers/queue'
import { TEST_TOKENS, connectAccount } from '#tests/helpers/publishing'
import { storeTestImage } from '#tests/helpers/media'
import { formBody } from '#tests/helpers/forms'

test.group('Composer', (group) => {
  isolateDatabase(group)
  isolateQueue(group)

  let owner: User
  let workspace: Workspace

  group.each.setup(async () => {
    owner = await createUser({ isAdmin: true })
    workspace = await createWorkspace(owner, { name: 'Acme Coffee', timezone: 'Europe/Berlin' })
  })

  async function accounts() {
    const x = await connectAccount(workspace, 'x', TEST_TOKENS, {
      displayName: 'Acme on X',
      handle: 'acme',
    })
    const linkedin = await connectAccount(workspace, 'linkedin', TEST_TOKENS, {
      displayName: 'Acme on LinkedIn',
    })
    return { x, linkedin }
  }

  test('the composer lists the workspace accounts and explains an empty one', async ({
    client,
  }) => {
    const empty = await client.get(`/w/${workspace.slug}/compose`).loginAs(owner)
    empty.assertStatus(200)
    empty.assertTextIncludes('No accounts yet.')
    empty.assertTextIncludes('id="composer-text"')

    await accounts()
    const page = await client.get(`/w/${workspace.slug}/compose`).loginAs(owner)
    page.assertTextIncludes('Acme on X')
    page.assertTextIncludes('Acme on LinkedIn')
    page.assertTextIncludes('Europe/Berlin, UTC+01:00')
  })

  test('viewers cannot open the composer or post', async ({ client }) => {
    const viewer = await createUser()
    await addMember(workspace, viewer, 'viewer')
    ;(await client.get(`/w/${workspace.slug}/compose`).loginAs(viewer)).assertStatus(403)
    const post = await client
      .post(`/w/${workspace.slug}/posts`)
      .loginAs(viewer)
      .withCsrfToken()
      .header('hx-request', 'true')
      .form({ baseText: 'hello', intent: 'save' })
    post.assertStatus(403)
    post.assertTextIncludes('Viewers and approvers cannot edit posts.')
  })

  test('the preview counts characters the way each network does', async ({ client, assert }) => {
    const { x, linkedin } = await accounts()
    const text = `Grand opening 🎉 ${'a'.repeat(250)} https://acme.com/a-very-long-path-to-a-page`
    const response = await client
      .post(`/w/${workspace.slug}/compose/preview`)
      .loginAs(owner)
      .withCsrfToken()
      .header('hx-request', 'true')
      .form({ baseText: text, accountIds: [x.id, linkedin.id], live: '1' })
    response.assertStatus(200)
    const html = response.text()
    // X: the emoji counts 2 and the link 23, whatever its length.
    const xCount = 'Grand opening '.length + 2 + 1 + 250 + 1 + 23
    assert.include(html, `X (Twitter): ${xCount} / 280`)
    assert.include(html, `LinkedIn: ${[...text].length} / 3000`)
    assert.include(html, 'hx-swap-oob="true"')
    assert.notInclude(html, '<form', 'typing re-renders only the live regions')
    assert.include(html, `${xCount - 280} too many`)
  })

  test('scheduling creates the targets and a delayed job at the chosen local time', async ({
    client,
    assert,
  }) => {
    const { x, linkedin } = await accounts()
    const day = DateTime.now().setZone('Europe/Berlin').plus({ days: 2 }).toFormat('yyyy-MM-dd')
    const response = await client
      .post(`/w/${workspace.slug}/posts`)
      .loginAs(owner)
      .withCsrfToken()
      .redirects(0)
      .form({
        baseText: 'Fresh roast on Thursday',
        accountIds: [x.id, linkedin.id],
        scheduleDate: day,
        scheduleTime: '09:00',
        intent: 'schedule',
      })
    response.assertStatus(302)
    const post = await Post.query().where('workspace_id', workspace.id).firstOrFail()
    assert.equal(response.header('location'), `/w/${workspace.slug}/posts/${post.id}`)
    const expected = DateTime.fromISO(`${day}T09:00`, { zone: 'Europe/Berlin' })
    assert.equal(post.scheduledAt!.toMillis(), expected.toMillis())
    assert.equal(post.status, 'scheduled')

    const targets = await PostTarget.query().where('post_id', post.id).orderBy('id')
    assert.deepEqual(
      targets.map((target) => [target.pluginId, target.status, target.jobSeq]),
      [
        ['x', 'scheduled', 1],
        ['linkedin', 'scheduled', 1],
      ]
    )
    const queue = await appQueues().getQueue('publish-x')
    const job = await queue.getJob(publishJobId(targets[0].id, 1))
    assert.exists(job)
    assert.deepEqual(job!.data, { targetId: targets[0].id, seq: 1 })
    assert.closeTo(job!.timestamp + job!.opts.delay!, expected.toMillis(), 1500)
  })

  test('a post too long for X is refused beside the X account; nothing is lost or saved', async ({
    client,
    assert,
  }) => {
    const { x, linkedin } = await accounts()
    const text = `Our <b>story</b> ${'words '.repeat(60)}`
    const response = await client
      .post(`/w/${workspace.slug}/posts`)
      .loginAs(owner)
      .withCsrfToken()
      .form({ baseText: text, accountIds: [x.id, linkedin.id], intent: 'publish_now' })
    response.assertStatus(422)
    const html = response.text()
    assert.include(html, `id="field-targets-${x.id}-error"`)
    assert.notInclude(html, `id="field-targets-${linkedin.id}-error"`)
    assert.include(html, 'Our &lt;b&gt;story&lt;/b&gt;', 'the text comes back, escaped')
    assert.include(html, `value="${x.id}" checked`)
    assert.equal((await Post.query().where('workspace_id', workspace.id)).length, 0)
  })

  test('a time in the hour skipped by the clock change is refused in words', async ({ client }) => {
    const { x } = await accounts()
    const response = await client
      .post(`/w/${workspace.slug}/posts`)
      .loginAs(owner)
      .withCsrfToken()
      .form({
        baseText: 'Spring forward',
        accountIds: [x.id],
        scheduleDate: '2027-03-28',
        scheduleTime: '02:30',
        intent: 'schedule',
      })
    response.assertStatus(422)
    response.assertTextIncludes('02:30 does not exist on 28 Mar 2027 in Europe/Berlin')
  })

  test('09:00 Europe/Berlin stays 09:00 local across the DST change', async ({
    client,
    assert,
  }) => {
    const { x } = await accounts()
    const at = async (date: string) => {
      await client
        .post(`/w/${workspace.slug}/posts`)
        .loginAs(owner)
        .withCsrfToken()
        .form({
          baseText: `Morning post ${date}`,
          accountIds: [x.id],
          scheduleDate: date,
          scheduleTime: '09:00',
          intent: 'schedule',
        })
      const post = await Post.query().where('base_text', `Morning post ${date}`).firstOrFail()
      const [target] = await PostTarget.query().where('post_id', post.id)
      const job = await (await appQueues().getQueue('publish-x')).getJob(publishJobId(target.id, 1))
      return { post, target, runsAt: job!.timestamp + job!.opts.delay! }
    }
    const before = await at('2027-03-27')
    const after = await at('2027-03-29')
    assert.equal(before.post.scheduledAt!.toUTC().toISO(), '2027-03-27T08:00:00.000Z')
    assert.equal(after.post.scheduledAt!.toUTC().toISO(), '2027-03-29T07:00:00.000Z')
    assert.closeTo(after.runsAt, Date.parse('2027-03-29T07:00:00Z'), 1500)
    assert.equal(after.target.dueAt!.setZone('Europe/Berlin').toFormat('HH:mm'), '09:00')
  })

  test('customised variants and a thread are kept per account', async ({ client, assert }) => {
    const { x, linkedin } = await accounts()
    const image = await storeTestImage(workspace)
    const response = await client
      .post(`/w/${workspace.slug}/posts`)
      .loginAs(owner)
      .withCsrfToken()
      .redirects(0)
      .form(
        formBody({
          baseText: 'The long LinkedIn story about our roastery',
          mediaIds: [image.id],
          accountIds: [x.id, linkedin.id],
          variants: {
            [`a${x.id}`]: {
              customize: 'true',
              parts: [{ text: 'Thread 1/2', mediaIds: [image.id] }, { text: 'Thread 2/2' }],
            },
          },
          intent: 'save',
        })
      )
    response.assertStatus(302)
    const post = await Post.query()
      .where('workspace_id', workspace.id)
      .preload('media')
      .firstOrFail()
    assert.deepEqual(
      post.media.map((asset) => asset.id),
      [image.id]
    )
    const targets = await PostTarget.query().where('post_id', post.id).orderBy('id')
    assert.deepEqual(targets[0].overrideParts, [
      { text: 'Thread 1/2', mediaIds: [image.id] },
      { text: 'Thread 2/2', mediaIds: [] },
    ])
    assert.isNull(targets[1].overrideParts)
    assert.deepEqual(
      targets.map((target) => target.status),
      ['draft', 'draft']
    )

    const edit = await client.get(`/w/${workspace.slug}/posts/${post.id}/edit`).loginAs(owner)
    edit.assertStatus(200)
    edit.assertTextIncludes('Post 2 of the thread')
    edit.assertTextIncludes('Thread 2/2')
  })

  test('another workspace media or accounts are refused', async ({ client, assert }) => {
    const { x } = await accounts()
    const other = await createWorkspace(owner, { name: 'Other Client' })
    const theirImage = await storeTestImage(other)
    const theirAccount = await connectAccount(other, 'x', TEST_TOKENS)
    const response = await client
      .post(`/w/${workspace.slug}/posts`)
      .loginAs(owner)
      .withCsrfToken()
      .form({
        baseText: 'Hi',
        accountIds: [x.id, theirAccount.id],
        mediaIds: [theirImage.id],
        intent: 'save',
      })
    response.assertStatus(422)
    response.assertTextIncludes('no longer in the media library')
    response.assertTextIncludes('no longer connected to this workspace')
    assert.equal((await Post.query().where('workspace_id', workspace.id)).length, 0)
  })
})
