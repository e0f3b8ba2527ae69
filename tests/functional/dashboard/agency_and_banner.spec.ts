import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import SocialAccount from '#models/social_account'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import type { TargetStatus } from '#publishing/target_status'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { TEST_TOKENS, connectAccount } from '#tests/helpers/publishing'
import { createPost, insertPosts } from '#tests/helpers/posts'
import { countQueries } from '#tests/helpers/query_count'

/** The HTML of a workspace's card on the agency dashboard */
function card(html: string, workspace: Workspace) {
  const start = html.indexOf(`id="workspace-card-${workspace.id}"`)
  return start === -1 ? '' : html.slice(start, html.indexOf('</article>', start))
}

/** The words of a card's meta line (timezone · role · approval), separators included */
function metaLine(cardHtml: string) {
  const start = cardHtml.indexOf('<div class="meta">')
  const html = start === -1 ? '' : cardHtml.slice(start, cardHtml.indexOf('</div>', start))
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

async function postsIn(workspace: Workspace, statuses: TargetStatus[]) {
  const account = await connectAccount(workspace, 'x', TEST_TOKENS)
  for (const status of statuses) {
    await createPost(workspace, {
      at: DateTime.now().minus({ hours: 1 }),
      targets: [{ account, status, lastError: `Because ${status}` }],
    })
  }
  return account
}

test.group('Agency dashboard: attention per workspace', (group) => {
  isolateDatabase(group)

  test('each card counts its posts failed, unknown, held, missed and needing reconnect, like the workspace dashboard', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const acme = await createWorkspace(admin, { name: 'Acme Coffee' })
    const bean = await createWorkspace(admin, { name: 'Bean Bar' })
    const calm = await createWorkspace(admin, { name: 'Calm Tea' })
    await postsIn(acme, ['failed', 'failed', 'unknown', 'held', 'published', 'scheduled'])
    const beanAccount = await postsIn(bean, ['needs_reconnect', 'missed'])
    await SocialAccount.query().where('id', beanAccount.id).update({ status: 'needs_reconnect' })
    await postsIn(calm, ['published', 'scheduled'])
    await bean.merge({ requiresApproval: true }).save()

    const response = await client.get('/').loginAs(admin)
    response.assertStatus(200)
    const html = response.text()

    const acmeCard = card(html, acme)
    assert.match(acmeCard, /data-attention="failed"><strong>2<\/strong> failed</)
    assert.match(acmeCard, /data-attention="unknown"><strong>1<\/strong> unknown</)
    assert.match(acmeCard, /data-attention="held"><strong>1<\/strong> held</)
    assert.include(acmeCard, `href="/w/${acme.slug}/posts?status=failed"`)
    assert.include(acmeCard, `href="/w/${acme.slug}/posts?status=unknown"`)
    assert.notInclude(acmeCard, 'needs_reconnect')

    const beanCard = card(html, bean)
    assert.match(beanCard, /data-attention="needs_reconnect"><strong>1<\/strong> needs reconnect</)
    assert.match(beanCard, /data-attention="accounts"><strong>1<\/strong> account to reconnect</)
    assert.include(beanCard, `href="/w/${bean.slug}/accounts"`)
    assert.notInclude(beanCard, 'data-attention="failed"')
    assert.match(beanCard, /data-attention="missed"><strong>1<\/strong> missed</)

    // The same counts as the workspace dashboard the card opens
    const dashboard = (await client.get(`/w/${acme.slug}`).loginAs(admin)).text()
    for (const [status, total] of [
      ['failed', 2],
      ['unknown', 1],
      ['held', 1],
    ] as const) {
      assert.match(acmeCard, new RegExp(`data-attention="${status}"><strong>${total}</strong>`))
      assert.match(
        dashboard,
        new RegExp(`id="attention-count-${status}">\\s*<strong>${total}</strong>`),
        status
      )
    }

    const calmCard = card(html, calm)
    assert.include(calmCard, 'Nothing needs attention')
    assert.notInclude(calmCard, 'data-attention')
    // The card still opens the workspace's dashboard
    assert.include(calmCard, `href="/w/${calm.slug}"`)

    // Separators only between the parts present: none trailing, none doubled
    assert.equal(metaLine(acmeCard), 'Europe/Berlin · Owner')
    assert.equal(metaLine(beanCard), 'Europe/Berlin · Owner · Approval required')
    for (const workspace of [acme, bean, calm]) {
      const meta = metaLine(card(html, workspace))
      assert.notMatch(meta, /(^·|·$|·\s*·)/, workspace.name)
    }
  })

  test('members see the counts of their workspaces only', async ({ client, assert }) => {
    const admin = await createUser({ isAdmin: true })
    const member = await createUser()
    const mine = await createWorkspace(admin, { name: 'Mine' })
    const theirs = await createWorkspace(admin, { name: 'Theirs' })
    await addMember(mine, member, 'viewer')
    await postsIn(mine, ['failed'])
    await postsIn(theirs, ['failed', 'failed'])
    const html = (await client.get('/').loginAs(member)).text()
    assert.match(card(html, mine), /<strong>1<\/strong> failed/)
    assert.equal(metaLine(card(html, mine)), 'Europe/Berlin · Viewer')
    assert.equal(card(html, theirs), '')
  })

  test('the counts of every card come from one query, however many workspaces', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    for (const name of ['One', 'Two']) {
      await postsIn(await createWorkspace(admin, { name }), ['failed', 'held'])
    }
    // The first request also checks once whether the first-run setup is done.
    await client.get('/').loginAs(admin)
    const few = await countQueries(() => client.get('/').loginAs(admin))
    for (const name of ['Three', 'Four', 'Five', 'Six']) {
      await postsIn(await createWorkspace(admin, { name }), ['failed', 'unknown'])
    }
    const many = await countQueries(async () => {
      const response = await client.get('/').loginAs(admin)
      assert.lengthOf(response.text().match(/data-attention="failed"/g) ?? [], 6)
    })
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})

test.group('Workspace banner: posts that failed or may have gone out', (group) => {
  isolateDatabase(group)

  let owner: User
  let workspace: Workspace

  group.each.setup(async () => {
    owner = await createUser({ isAdmin: true })
    workspace = await createWorkspace(owner, { name: 'Acme Coffee' })
  })

  function banner(html: string) {
    const start = html.indexOf('id="banner-posts"')
    return start === -1 ? '' : html.slice(start, html.indexOf('</div>', start))
  }

  test('failed and unknown posts: one danger banner on every workspace page, linking to the filtered lists', async ({
    client,
    assert,
  }) => {
    await postsIn(workspace, ['failed', 'failed', 'unknown', 'held'])
    for (const path of ['', '/calendar', '/posts', '/accounts', '/settings']) {
      const html = (await client.get(`/w/${workspace.slug}${path}`).loginAs(owner)).text()
      const text = banner(html)
      assert.include(text, '2 posts failed and 1 may have gone out:', path)
      assert.include(text, `href="/w/${workspace.slug}/posts?status=failed"`)
      assert.include(text, `href="/w/${workspace.slug}/posts?status=unknown"`)
      assert.match(html, /<div class="banner danger" role="status" id="banner-posts">/)
    }
  })

  test('only unknown: a warning that says the post may have gone out', async ({
    client,
    assert,
  }) => {
    await postsIn(workspace, ['unknown'])
    const html = (await client.get(`/w/${workspace.slug}`).loginAs(owner)).text()
    assert.match(html, /<div class="banner warning" role="status" id="banner-posts">/)
    assert.include(banner(html), '1 post may have gone out:')
    assert.include(banner(html), `href="/w/${workspace.slug}/posts?status=unknown"`)
  })

  test('only failed, counted in posts (two failed accounts of one post are one post)', async ({
    client,
    assert,
  }) => {
    const x = await connectAccount(workspace, 'x', TEST_TOKENS)
    const linkedin = await connectAccount(workspace, 'linkedin', TEST_TOKENS)
    await createPost(workspace, {
      at: DateTime.now().minus({ hours: 1 }),
      targets: [
        { account: x, status: 'failed' },
        { account: linkedin, status: 'failed' },
      ],
    })
    const html = (await client.get(`/w/${workspace.slug}/calendar`).loginAs(owner)).text()
    assert.include(banner(html), '1 post failed to go out.')
    assert.include(banner(html), 'Review it')
  })

  test('past 99 posts in a state, the banner, the dashboard and the card say "99+"', async ({
    client,
    assert,
  }) => {
    const account = await postsIn(workspace, ['unknown', 'unknown'])
    await insertPosts(workspace, account, { count: 100, status: 'failed', text: 'Failed' })
    const dashboard = (await client.get(`/w/${workspace.slug}`).loginAs(owner)).text()
    assert.include(banner(dashboard), '99+ posts failed and 2 may have gone out:')
    assert.match(dashboard, /id="attention-count-failed">\s*<strong>99\+<\/strong> failed/)
    assert.match(dashboard, /id="attention-count-unknown">\s*<strong>2<\/strong> unknown/)
    const agency = card((await client.get('/').loginAs(owner)).text(), workspace)
    assert.match(agency, /data-attention="failed"><strong>99\+<\/strong> failed</)
    assert.match(agency, /data-attention="unknown"><strong>2<\/strong> unknown</)
  })

  test("nothing failed: no banner; another workspace's failures stay there", async ({
    client,
    assert,
  }) => {
    await postsIn(workspace, ['published', 'scheduled', 'held', 'missed'])
    const other = await createWorkspace(owner, { name: 'Other' })
    await postsIn(other, ['failed'])
    const html = (await client.get(`/w/${workspace.slug}`).loginAs(owner)).text()
    assert.notInclude(html, 'id="banner-posts"')
  })

  test('the banners cost one query per page, with accounts to reconnect and failed posts together', async ({
    client,
    assert,
  }) => {
    const account = await postsIn(workspace, ['failed'])
    await SocialAccount.query().where('id', account.id).update({ status: 'needs_reconnect' })
    const url = `/w/${workspace.slug}/members`
    const withBoth = await countQueries(async () => {
      const html = (await client.get(url).loginAs(owner)).text()
      assert.include(html, `id="banner-account-${account.id}"`)
      assert.include(html, 'id="banner-posts"')
    })
    const quiet = await createWorkspace(owner, { name: 'Quiet' })
    const withNone = await countQueries(async () => {
      const html = (await client.get(`/w/${quiet.slug}/members`).loginAs(owner)).text()
      assert.notInclude(html, 'class="banner')
    })
    assert.equal(withBoth, withNone)
  })
})
