import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import SocialAccount from '#models/social_account'
import Workspace from '#models/workspace'
import type User from '#models/user'
import { workerHealth } from '#queue/worker_health'
import type { TargetStatus } from '#publishing/target_status'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { TEST_TOKENS, connectAccount } from '#tests/helpers/publishing'
import { createPost } from '#tests/helpers/posts'
import { countQueries } from '#tests/helpers/query_count'

const ZONE = 'Europe/Berlin'

/** The HTML of one section of the dashboard */
function section(html: string, id: string) {
  const start = html.indexOf(`<section id="${id}"`)
  return start === -1 ? '' : html.slice(start, html.indexOf('</section>', start))
}

test.group('Workspace dashboard', (group) => {
  isolateDatabase(group)

  let owner: User
  let workspace: Workspace
  let x: SocialAccount

  group.each.setup(async () => {
    owner = await createUser({ isAdmin: true })
    workspace = await createWorkspace(owner, { name: 'Acme Coffee', timezone: ZONE })
    x = await connectAccount(workspace, 'x', TEST_TOKENS, { displayName: 'Acme on X' })
  })

  test('needs attention lists exactly the targets and accounts that need a person, worst first', async ({
    client,
    assert,
  }) => {
    const linkedin = await connectAccount(workspace, 'linkedin', TEST_TOKENS, {
      displayName: 'Acme on LinkedIn',
    })
    await SocialAccount.query().where('id', linkedin.id).update({
      status: 'needs_reconnect',
      status_reason: 'LinkedIn says the access was revoked.',
    })
    const at = DateTime.now().minus({ hours: 3 })
    const posts: Partial<Record<TargetStatus, number>> = {}
    for (const status of [
      'failed',
      'unknown',
      'held',
      'missed',
      'needs_reconnect',
      'scheduled',
      'queued',
      'retrying',
      'publishing',
      'published',
      'draft',
    ] as TargetStatus[]) {
      const post = await createPost(workspace, {
        text: `Post that is ${status}`,
        at,
        targets: [{ account: x, status, lastError: `Reason for ${status}` }],
      })
      posts[status] = post.id
    }
    // A scheduled post on the account to reconnect is at risk
    await createPost(workspace, {
      at: DateTime.now().plus({ days: 1 }),
      targets: [{ account: linkedin, status: 'scheduled' }],
    })
    // Another workspace's failure is not this one's business
    const other = await createWorkspace(owner, { name: 'Other Client' })
    const otherAccount = await connectAccount(other, 'x', TEST_TOKENS)
    const otherPost = await createPost(other, {
      text: 'Not ours',
      at,
      targets: [{ account: otherAccount, status: 'failed', lastError: 'Other reason' }],
    })

    const response = await client.get(`/w/${workspace.slug}`).loginAs(owner)
    response.assertStatus(200)
    const attention = section(response.text(), 'attention')
    const listed = [...attention.matchAll(/id="attention-target-\d+" data-status="(\w+)"/g)].map(
      (match) => match[1]
    )
    assert.deepEqual(listed, ['failed', 'unknown', 'needs_reconnect', 'missed', 'held'])
    for (const status of ['failed', 'unknown', 'held', 'missed', 'needs_reconnect']) {
      assert.include(
        attention,
        `href="/w/${workspace.slug}/posts/${posts[status as TargetStatus]}"`
      )
      assert.include(attention, `Reason for ${status}`)
      assert.include(
        attention,
        `<a href="/w/${workspace.slug}/posts?status=${status}" class="attention-count`
      )
    }
    for (const status of ['scheduled', 'queued', 'retrying', 'publishing', 'published', 'draft']) {
      assert.notInclude(attention, `Post that is ${status}`)
    }
    assert.notInclude(attention, 'Not ours')
    assert.notInclude(attention, `/posts/${otherPost.id}"`)
    assert.include(attention, 'Acme on X on X (Twitter)')
    assert.match(attention, /<strong>1<\/strong> failed/)

    // The account to reconnect, with its reason and the posts it puts at risk
    assert.include(attention, `id="attention-account-${linkedin.id}"`)
    assert.include(attention, 'LinkedIn says the access was revoked.')
    assert.include(attention, '1 scheduled post will fail until then.')
    assert.include(attention, `href="/w/${workspace.slug}/accounts#account-${linkedin.id}"`)
    assert.notInclude(attention, `id="attention-account-${x.id}"`)
    assert.notInclude(attention, 'All clear')
  })

  test('many targets in a state: the newest are listed, the count says how many', async ({
    client,
    assert,
  }) => {
    const ids: number[] = []
    for (let index = 0; index < 11; index++) {
      const post = await createPost(workspace, {
        at: DateTime.now().minus({ hours: 2 }),
        targets: [{ account: x, status: 'failed', lastError: 'Refused' }],
      })
      ids.push(post.id)
      await db
        .from('post_targets')
        .where('post_id', post.id)
        .update({
          updated_at: DateTime.now()
            .minus({ minutes: 60 - index })
            .toJSDate(),
        })
    }
    const attention = section(
      (await client.get(`/w/${workspace.slug}`).loginAs(owner)).text(),
      'attention'
    )
    const listed = [...attention.matchAll(/href="\/w\/[^/]+\/posts\/(\d+)"/g)].map((match) =>
      Number(match[1])
    )
    assert.deepEqual(listed, ids.slice(3).reverse(), 'the 8 newest, newest first')
    assert.match(attention, /<strong>11<\/strong> failed/)
  })

  test('workers not running: everyone is told posts are not going out; admins get the System link', async ({
    client,
    assert,
  }) => {
    const editor = await createUser()
    await addMember(workspace, editor, 'editor')
    await db.from('worker_heartbeats').delete()
    await db.table('worker_heartbeats').insert({
      worker_id: 'test-host:1:abc',
      hostname: 'test-host',
      pid: 1,
      queues: JSON.stringify(['publish-x']),
      backend: 'postgres',
      started_at: new Date(Date.now() - 3_600_000),
      last_seen_at: new Date(Date.now() - 15 * 60_000),
    })
    workerHealth.enabled = true
    workerHealth.resetCache()
    try {
      const forEditor = section(
        (await client.get(`/w/${workspace.slug}`).loginAs(editor)).text(),
        'attention'
      )
      assert.include(forEditor, 'id="attention-workers"')
      assert.include(forEditor, 'Posts are not going out.')
      assert.include(forEditor, 'Tell an agency admin')
      assert.notInclude(forEditor, 'href="/admin/system"')
      const forAdmin = section(
        (await client.get(`/w/${workspace.slug}`).loginAs(owner)).text(),
        'attention'
      )
      assert.include(forAdmin, 'href="/admin/system"')

      await db.from('worker_heartbeats').update({ last_seen_at: new Date() })
      workerHealth.resetCache()
      const fresh = section(
        (await client.get(`/w/${workspace.slug}`).loginAs(editor)).text(),
        'attention'
      )
      assert.notInclude(fresh, 'attention-workers')
      assert.include(fresh, 'All clear')
    } finally {
      workerHealth.enabled = false
      workerHealth.resetCache()
    }
  })

  test('nothing to do: "All clear", and empty sections that teach', async ({ client, assert }) => {
    const html = (await client.get(`/w/${workspace.slug}`).loginAs(owner)).text()
    assert.include(section(html, 'attention'), 'All clear')
    assert.include(section(html, 'upcoming'), 'Nothing goes out in the next 7 days')
    assert.include(section(html, 'upcoming'), `href="/w/${workspace.slug}/compose"`)
    assert.include(section(html, 'published'), 'Nothing went out yet this week')
    assert.notInclude(html, 'id="banner-posts"')
  })

  test('upcoming: the next 7 days only, drafts left out, times in the workspace timezone', async ({
    client,
    assert,
  }) => {
    const now = DateTime.now()
    const soon = await createPost(workspace, {
      text: 'In an hour',
      at: now.plus({ hours: 1 }),
      targets: [{ account: x, status: 'scheduled' }],
    })
    const edge = await createPost(workspace, {
      text: 'Almost a week',
      at: now.plus({ days: 7 }).minus({ minutes: 10 }),
      targets: [{ account: x, status: 'scheduled' }],
    })
    const pending = await createPost(workspace, {
      text: 'Awaiting approval',
      at: now.plus({ days: 2 }),
      approval: 'pending',
      targets: [{ account: x, status: 'scheduled' }],
    })
    const later = await createPost(workspace, {
      at: now.plus({ days: 7, hours: 1 }),
      targets: [{ account: x, status: 'scheduled' }],
    })
    const past = await createPost(workspace, {
      at: now.minus({ hours: 1 }),
      targets: [{ account: x, status: 'published', publishedAt: now.minus({ hours: 1 }) }],
    })
    const draft = await createPost(workspace, {
      at: now.plus({ days: 1 }),
      targets: [{ account: x, status: 'draft' }],
    })

    const upcoming = section(
      (await client.get(`/w/${workspace.slug}`).loginAs(owner)).text(),
      'upcoming'
    )
    const listed = [...upcoming.matchAll(/id="upcoming-post-(\d+)"/g)].map((match) =>
      Number(match[1])
    )
    assert.deepEqual(listed, [soon.id, pending.id, edge.id])
    for (const post of [later, past, draft])
      assert.notInclude(upcoming, `upcoming-post-${post.id}"`)
    assert.include(upcoming, '3 posts · Europe/Berlin')
    const local = soon.scheduledAt!.setZone(ZONE)
    assert.include(
      upcoming,
      `${local.toFormat('ccc d LLL')}<strong>${local.toFormat('HH:mm')}</strong>`
    )
    assert.include(upcoming, 'Pending approval')
    assert.include(upcoming, 'Scheduled')
    assert.include(upcoming, 'aria-label="X"')
  })

  test('published this week: since Monday in the workspace timezone, with the live links', async ({
    client,
    assert,
  }) => {
    const facebook = await connectAccount(workspace, 'facebook', TEST_TOKENS, {
      displayName: 'Acme Page',
    })
    const now = DateTime.now().setZone(ZONE)
    const monday = now.startOf('week')
    const during = monday.plus({ milliseconds: Math.floor(now.diff(monday).toMillis() / 2) })
    const thisWeek = await createPost(workspace, {
      text: 'Went out this week',
      at: during,
      targets: [
        {
          account: x,
          status: 'published',
          publishedAt: during,
          url: 'https://x.com/acme/status/42',
        },
        {
          account: facebook,
          status: 'published',
          publishedAt: during,
          url: 'https://www.facebook.com/123_456',
        },
      ],
    })
    const lastWeek = await createPost(workspace, {
      text: 'Went out last week',
      at: monday.minus({ hours: 1 }),
      targets: [
        {
          account: x,
          status: 'published',
          publishedAt: monday.minus({ hours: 1 }),
          url: 'https://x.com/acme/status/41',
        },
      ],
    })

    const published = section(
      (await client.get(`/w/${workspace.slug}`).loginAs(owner)).text(),
      'published'
    )
    assert.include(published, `id="published-post-${thisWeek.id}"`)
    assert.notInclude(published, `published-post-${lastWeek.id}"`)
    assert.include(published, 'href="https://x.com/acme/status/42"')
    assert.include(published, 'href="https://www.facebook.com/123_456"')
    assert.include(published, 'rel="noopener noreferrer"')
    assert.include(published, `1 post since ${monday.toFormat('ccc d LLL')}`)
  })

  test('AI spend this month against the budget, with the way to the usage page', async ({
    client,
    assert,
  }) => {
    const zone = ZONE
    const thisMonth = DateTime.now().setZone(zone).startOf('month').plus({ hours: 1 })
    async function spend(costUsd: number, at: DateTime) {
      await db.table('generations').insert({
        workspace_id: workspace.id,
        kind: 'text',
        plugin_id: 'openrouter',
        model: 'test/model',
        prompt: 'Write a post',
        status: 'succeeded',
        cost_usd: costUsd,
        created_at: at.toJSDate(),
      })
    }
    await spend(2.5, thisMonth)
    await spend(5, thisMonth.minus({ months: 1 }))

    const unlimited = section(
      (await client.get(`/w/${workspace.slug}`).loginAs(owner)).text(),
      'ai-spend'
    )
    assert.include(unlimited, '<strong>$2.50</strong>')
    assert.include(unlimited, 'No monthly budget is set')
    assert.include(unlimited, `href="/w/${workspace.slug}/usage"`)

    await Workspace.query().where('id', workspace.id).update({ monthly_ai_budget_usd: 10 })
    const budgeted = section(
      (await client.get(`/w/${workspace.slug}`).loginAs(owner)).text(),
      'ai-spend'
    )
    assert.include(budgeted, 'of the $10.00 budget')
    assert.include(budgeted, '25% of the budget used')
    assert.match(budgeted, /<meter min="0" max="10" value="2.5"/)

    await spend(8, thisMonth)
    const reached = section(
      (await client.get(`/w/${workspace.slug}`).loginAs(owner)).text(),
      'ai-spend'
    )
    assert.include(reached, '<strong>$10.50</strong>')
    assert.include(reached, 'The budget is reached')
  })

  test('the dashboard answers htmx with its sections only, and Vary: HX-Request', async ({
    client,
    assert,
  }) => {
    const fragment = await client
      .get(`/w/${workspace.slug}`)
      .loginAs(owner)
      .header('hx-request', 'true')
    fragment.assertStatus(200)
    assert.notInclude(fragment.text(), '<html')
    assert.include(fragment.text(), 'id="dashboard"')
    assert.include(fragment.header('vary') ?? '', 'HX-Request')
  })

  test('the dashboard costs the same queries with a few posts or many (no query per line)', async ({
    client,
    assert,
  }) => {
    const linkedin = await connectAccount(workspace, 'linkedin', TEST_TOKENS)
    const now = DateTime.now()
    async function add(count: number) {
      for (let index = 0; index < count; index++) {
        await createPost(workspace, {
          at: now.plus({ hours: index + 1 }),
          targets: [
            { account: x, status: 'scheduled' },
            { account: linkedin, status: 'scheduled' },
          ],
        })
        await createPost(workspace, {
          at: now.minus({ minutes: index + 1 }),
          targets: [
            { account: x, status: index % 2 ? 'failed' : 'unknown', lastError: 'No' },
            {
              account: linkedin,
              status: 'published',
              publishedAt: now.minus({ minutes: index + 1 }),
              url: 'https://www.linkedin.com/feed/update/urn:li:share:1',
            },
          ],
        })
      }
    }
    const url = `/w/${workspace.slug}`
    await add(1)
    const few = await countQueries(() => client.get(url).loginAs(owner))
    await add(10)
    const many = await countQueries(async () => {
      const html = (await client.get(url).loginAs(owner)).text()
      assert.isAbove(html.split('id="upcoming-post-').length - 1, 10)
      assert.isAbove(html.split('id="attention-target-').length - 1, 10)
    })
    assert.equal(many, few)
  })
})
