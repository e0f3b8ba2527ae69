import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import type SocialAccount from '#models/social_account'
import { isolateDatabase } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { TEST_TOKENS, connectAccount } from '#tests/helpers/publishing'
import { createPost } from '#tests/helpers/posts'

const ORDER = ['x', 'linkedin', 'facebook', 'instagram']

/** The part of a page from an opening marker to the next closing tag given */
function section(html: string, marker: string, end: string) {
  const start = html.indexOf(marker)
  return start === -1 ? '' : html.slice(start, html.indexOf(end, start))
}

/** The networks of the icons in a piece of HTML, in the order they show */
function icons(html: string) {
  return [...html.matchAll(/class="network-icon network-([a-z]+)"/g)].map((match) => match[1])
}

test.group('Networks: one order on every page', (group) => {
  isolateDatabase(group)

  test('a post to all four networks lists them X, LinkedIn, Facebook, Instagram everywhere', async ({
    client,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(owner, { name: 'Acme Coffee' })
    // Connected (and targeted) in neither the order shown nor alphabetical order, with names
    // sorting the other way, so no order of ids, plugin ids or names passes by chance.
    const accounts: Record<string, SocialAccount> = {}
    for (const [pluginId, name] of [
      ['instagram', 'Acme A'],
      ['linkedin', 'Acme B'],
      ['facebook', 'Acme C'],
      ['x', 'Acme D'],
    ]) {
      accounts[pluginId] = await connectAccount(workspace, pluginId, TEST_TOKENS, {
        displayName: name,
      })
    }
    const targets = Object.values(accounts).map((account) => ({
      account,
      status: 'scheduled' as const,
    }))
    const at = DateTime.now().setZone(workspace.timezone).plus({ days: 1 })
    const upcoming = await createPost(workspace, { at, targets })
    const published = await createPost(workspace, {
      at: DateTime.now().minus({ minutes: 5 }),
      targets: Object.values(accounts).map((account) => ({
        account,
        status: 'published' as const,
        publishedAt: DateTime.now().minus({ minutes: 5 }),
        url: `https://example.com/${account.pluginId}`,
      })),
    })
    const get = async (path: string) => {
      const response = await client.get(`/w/${workspace.slug}${path}`).loginAs(owner)
      response.assertStatus(200)
      return response.text()
    }

    const list = await get('/posts')
    const row = section(list, `/posts/${upcoming.id}"`, '</tr>')
    assert.deepEqual(icons(row), ORDER, 'posts list')

    const detail = section(await get(`/posts/${upcoming.id}`), 'id="post-targets"', '</section>')
    assert.deepEqual(icons(detail), ORDER, 'post page')

    const calendar = await get(`/calendar?view=week&date=${at.toISODate()}`)
    assert.deepEqual(icons(section(calendar, `id="chip-${upcoming.id}"`, '</article>')), ORDER)

    const dashboard = await get('')
    const next = section(dashboard, `id="upcoming-post-${upcoming.id}"`, '</li>')
    assert.deepEqual(icons(next), ORDER, 'next 7 days')
    const went = section(dashboard, `id="published-post-${published.id}"`, '</li>')
    assert.deepEqual(icons(went), ORDER, 'published this week')

    const composer = await get('/compose')
    assert.deepEqual(
      [...composer.matchAll(/data-ai-network="([a-z]+)"/g)].map((match) => match[1]),
      ORDER,
      'composer account picker'
    )

    const accountsPage = section(await get('/accounts'), 'id="connected-accounts"', '</section>')
    const byId = new Map(Object.values(accounts).map((account) => [account.id, account.pluginId]))
    assert.deepEqual(
      [...accountsPage.matchAll(/id="account-(\d+)"/g)].map((match) => byId.get(Number(match[1]))),
      ORDER,
      'accounts page'
    )
  })
})
