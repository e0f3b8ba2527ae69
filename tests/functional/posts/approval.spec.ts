import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import { PublishTarget } from '#actions/publishing/publish_target'
import { appQueues } from '#queue/queues'
import { publishJobId } from '#publishing/job_ids'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { isolateQueue } from '#tests/helpers/queue'
import { TEST_TOKENS, connectAccount } from '#tests/helpers/publishing'
import { formBody } from '#tests/helpers/forms'
import { insertPosts } from '#tests/helpers/posts'

test.group('Approval', (group) => {
  isolateDatabase(group)
  isolateQueue(group)

  let owner: User
  let editor: User
  let approver: User
  let workspace: Workspace

  group.each.setup(async () => {
    owner = await createUser({ isAdmin: true })
    editor = await createUser()
    approver = await createUser()
    workspace = await createWorkspace(owner, { name: 'Acme Coffee', timezone: 'Europe/Berlin' })
    workspace.requiresApproval = true
    await workspace.save()
    await addMember(workspace, editor, 'editor')
    await addMember(workspace, approver, 'approver')
  })

  async function submit(client: any, user: User, intent: string, extra: Record<string, unknown>) {
    return client
      .post(`/w/${workspace.slug}/posts`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
      .form(formBody({ baseText: 'Weekend special: two for one', intent, ...extra }))
  }

  test('an editor publishing now asks for approval; at its time the target is held, not sent', async ({
    client,
    assert,
  }) => {
    const account = await connectAccount(workspace, 'x', TEST_TOKENS)
    const response = await submit(client, editor, 'submit', { accountIds: [account.id] })
    response.assertStatus(302)
    const post = await Post.firstOrFail()
    assert.equal(post.approvalState, 'pending')

    // The editor's composer offers no direct publishing
    const page = await client.get(`/w/${workspace.slug}/compose`).loginAs(editor)
    page.assertTextIncludes('Submit for approval')
    assert.notInclude(page.text(), 'value="publish_now"')

    const publishNow = await submit(client, editor, 'publish_now', { accountIds: [account.id] })
    publishNow.assertStatus(302)
    const pending = await Post.query().orderBy('id', 'desc').firstOrFail()
    assert.equal(pending.approvalState, 'pending')
    const [target] = await PostTarget.query().where('post_id', pending.id)
    assert.equal(target.status, 'scheduled')

    const publish = await app.container.make(PublishTarget)
    const result = await publish.execute({ targetId: target.id, seq: target.jobSeq }, 'test-worker')
    assert.deepInclude(result, { kind: 'settled', status: 'held' })
    await target.refresh()
    assert.equal(target.status, 'held')
    assert.include(target.lastError!, 'goes out as soon as it is approved')
    await pending.refresh()
    assert.equal(pending.status, 'needs_attention')
  })

  test('approving releases held targets at once; the detail page shows who approved', async ({
    client,
    assert,
  }) => {
    const account = await connectAccount(workspace, 'x', TEST_TOKENS)
    await submit(client, editor, 'publish_now', { accountIds: [account.id] })
    const post = await Post.firstOrFail()
    const [target] = await PostTarget.query().where('post_id', post.id)
    await (
      await app.container.make(PublishTarget)
    ).execute({ targetId: target.id, seq: target.jobSeq }, 'test-worker')

    const forbidden = await client
      .post(`/w/${workspace.slug}/posts/${post.id}/approve`)
      .loginAs(editor)
      .withCsrfToken()
      .header('hx-request', 'true')
    forbidden.assertStatus(403)
    forbidden.assertTextIncludes('Only owners and approvers can approve posts.')

    const approved = await client
      .post(`/w/${workspace.slug}/posts/${post.id}/approve`)
      .loginAs(approver)
      .withCsrfToken()
      .redirects(0)
      .form({ comment: 'Looks great' })
    approved.assertStatus(302)
    await target.refresh()
    assert.equal(target.status, 'queued')
    assert.equal(target.jobSeq, 2)
    const job = await (await appQueues().getQueue('publish-x')).getJob(publishJobId(target.id, 2))
    assert.exists(job, 'released at once')

    const page = await client.get(`/w/${workspace.slug}/posts/${post.id}`).loginAs(editor)
    page.assertTextIncludes('approved')
    page.assertTextIncludes('Looks great')
    page.assertTextIncludes(approver.fullName)
  })

  test('a rejection needs a comment; editing a rejected or approved post asks again', async ({
    client,
    assert,
  }) => {
    const account = await connectAccount(workspace, 'x', TEST_TOKENS)
    await submit(client, editor, 'submit', { accountIds: [account.id] })
    const post = await Post.firstOrFail()

    const empty = await client
      .post(`/w/${workspace.slug}/posts/${post.id}/reject`)
      .loginAs(approver)
      .withCsrfToken()
      .redirects(0)
      .form({ comment: '' })
    empty.assertStatus(302)
    await post.refresh()
    assert.equal(post.approvalState, 'pending', 'nothing changed')

    await client
      .post(`/w/${workspace.slug}/posts/${post.id}/reject`)
      .loginAs(approver)
      .withCsrfToken()
      .redirects(0)
      .form({ comment: 'Say which weekend' })
    await post.refresh()
    assert.equal(post.approvalState, 'rejected')
    assert.equal(post.approvalComment, 'Say which weekend')

    await client
      .post(`/w/${workspace.slug}/posts/${post.id}/approve`)
      .loginAs(approver)
      .withCsrfToken()
      .redirects(0)
    await post.refresh()
    assert.equal(post.approvalState, 'approved')

    const edit = await client
      .put(`/w/${workspace.slug}/posts/${post.id}`)
      .loginAs(editor)
      .withCsrfToken()
      .redirects(0)
      .form(
        formBody({
          baseText: 'Weekend special (Sat 12th)',
          accountIds: [account.id],
          intent: 'save',
        })
      )
    edit.assertStatus(302)
    await post.refresh()
    assert.equal(post.approvalState, 'pending', "an editor's change needs a new approval")
    assert.equal(post.baseText, 'Weekend special (Sat 12th)')
  })

  test('an approver schedules directly; their own edit keeps the approval', async ({
    client,
    assert,
  }) => {
    const account = await connectAccount(workspace, 'x', TEST_TOKENS)
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)
    const response = await client
      .post(`/w/${workspace.slug}/posts`)
      .loginAs(owner)
      .withCsrfToken()
      .redirects(0)
      .form(
        formBody({
          baseText: 'Owner post',
          accountIds: [account.id],
          scheduleDate: day,
          scheduleTime: '10:00',
          intent: 'schedule',
        })
      )
    response.assertStatus(302)
    const post = await Post.firstOrFail()
    assert.equal(post.approvalState, 'approved')
    assert.equal(post.approvalDecidedById, owner.id)
    assert.equal(post.status, 'scheduled')
  })
})

test.group('Post pages', (group) => {
  isolateDatabase(group)
  isolateQueue(group)

  test('another workspace post, target or action is a 404', async ({ client }) => {
    const owner = await createUser({ isAdmin: true })
    const mine = await createWorkspace(owner, { name: 'Mine' })
    const theirs = await createWorkspace(owner, { name: 'Theirs' })
    const member = await createUser()
    await addMember(mine, member, 'owner')
    const account = await connectAccount(theirs, 'x', TEST_TOKENS)
    await client
      .post(`/w/${theirs.slug}/posts`)
      .loginAs(owner)
      .withCsrfToken()
      .form(formBody({ baseText: 'Theirs', accountIds: [account.id], intent: 'save' }))
    const post = await Post.firstOrFail()
    const [target] = await PostTarget.query().where('post_id', post.id)
    const base = `/w/${mine.slug}/posts/${post.id}`
    for (const [method, url] of [
      ['get', base],
      ['get', `${base}/edit`],
      ['put', base],
      ['delete', base],
      ['post', `${base}/approve`],
      ['put', `${base}/schedule`],
      ['post', `${base}/targets/${target.id}/retry`],
      ['post', `${base}/targets/${target.id}/resolve`],
    ] as const) {
      const request = client[method](url).loginAs(member).redirects(0)
      if (method !== 'get') request.withCsrfToken()
      ;(await request).assertStatus(404)
    }
  })

  test('the post page escapes text and platform words, and lists attempts', async ({
    client,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(owner)
    const account = await connectAccount(workspace, 'x', TEST_TOKENS)
    await client
      .post(`/w/${workspace.slug}/posts`)
      .loginAs(owner)
      .withCsrfToken()
      .form(
        formBody({
          baseText: '<script>alert(1)</script>',
          accountIds: [account.id],
          intent: 'save',
        })
      )
    const post = await Post.firstOrFail()
    await PostTarget.query().where('post_id', post.id).update({
      status: 'failed',
      last_error: 'X refused the post: <img src=x onerror=alert(2)>',
      last_error_detail: '{"detail":"<b>duplicate</b>"}',
      attempt_count: 1,
    })
    const page = await client.get(`/w/${workspace.slug}/posts/${post.id}`).loginAs(owner)
    page.assertStatus(200)
    const html = page.text()
    assert.notInclude(html, '<script>alert(1)</script>')
    assert.notInclude(html, '<img src=x onerror')
    assert.include(html, '&lt;script&gt;alert(1)&lt;/script&gt;')
    assert.include(html, 'Retry now')
    assert.include(html, 'What X (Twitter) said')
  })

  test('the list filters by every state and counts them', async ({ client, assert }) => {
    const owner = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(owner)
    const account = await connectAccount(workspace, 'x', TEST_TOKENS)
    for (const text of ['First draft', 'Second one']) {
      await client
        .post(`/w/${workspace.slug}/posts`)
        .loginAs(owner)
        .withCsrfToken()
        .form(formBody({ baseText: text, accountIds: [account.id], intent: 'save' }))
    }
    const second = await Post.findByOrFail('base_text', 'Second one')
    await PostTarget.query().where('post_id', second.id).update({ status: 'unknown' })

    const all = await client.get(`/w/${workspace.slug}/posts`).loginAs(owner)
    all.assertTextIncludes('First draft')
    all.assertTextIncludes('Second one')
    const unknown = await client
      .get(`/w/${workspace.slug}/posts?status=unknown`)
      .loginAs(owner)
      .header('hx-request', 'true')
    assert.include(unknown.text(), 'Second one')
    assert.notInclude(unknown.text(), 'First draft')
    assert.notInclude(unknown.text(), '<html', 'htmx gets the list fragment')
    assert.match(unknown.text(), /Unknown <span class="count">1<\/span>/)
  })

  test('a big list counts up to 1,000+ and pages by state, newest first', async ({
    client,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(owner)
    const account = await connectAccount(workspace, 'x', TEST_TOKENS)
    // 1,030 failed posts, one a minute back from now: "Failed 1029" is the newest
    await insertPosts(workspace, account, { count: 1030, status: 'failed', text: 'Failed' })
    const first = (
      await client.get(`/w/${workspace.slug}/posts?status=failed`).loginAs(owner)
    ).text()
    assert.match(first, /Failed <span class="count">1,000\+<\/span>/)
    assert.match(first, /All <span class="count">1,000\+<\/span>/)
    assert.match(first, /Unknown <span class="count">0<\/span>/)
    assert.include(first, '>Failed 1029<')
    assert.notInclude(first, '>Failed 1004<', 'the 26th newest is on page 2')
    assert.include(first, 'page=2">Older</a>')
    const second = (
      await client.get(`/w/${workspace.slug}/posts?status=failed&page=2`).loginAs(owner)
    ).text()
    assert.include(second, '>Failed 1004<')
    assert.notInclude(second, '>Failed 1029<')
  })
})
