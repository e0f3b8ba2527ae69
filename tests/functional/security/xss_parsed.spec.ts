import { test } from '@japa/runner'
import { parse } from 'parse5'
import type { DefaultTreeAdapterMap } from 'parse5'
import Generation from '#models/generation'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import PublishAttempt from '#models/publish_attempt'
import SocialAccount from '#models/social_account'
import { DateTime } from 'luxon'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { isolateQueue } from '#tests/helpers/queue'
import { connectAccount } from '#tests/helpers/publishing'
import { storeTestImage } from '#tests/helpers/media'

type Node = DefaultTreeAdapterMap['node']
type Element = DefaultTreeAdapterMap['element']

/** Strings that would run or inject behaviour if rendered as markup or as a URL */
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "' autofocus onfocus='alert(1)",
  '" hx-get="/admin/users" hx-trigger="load',
  'javascript:alert(1)',
  '</textarea><script>alert(1)</script>',
  '=HYPERLINK("https://evil.example","click")',
]

/**
 * Proof that nothing executes: the page is parsed like a browser would, and
 * no element may carry an event handler, a script of anything but Herald's
 * own files, a javascript: URL, or an htmx attribute the payload wrote.
 */
function executableParts(html: string): string[] {
  const problems: string[] = []
  const visit = (node: Node) => {
    if ('tagName' in node) {
      const element = node as Element
      if (element.tagName === 'script') {
        const src = element.attrs.find((attr) => attr.name === 'src')?.value ?? ''
        if (!/^\/(assets|vendor)\/[\w.-]+\.js$/.test(src)) problems.push(`script src="${src}"`)
      }
      for (const attr of element.attrs) {
        if (attr.name.startsWith('on')) problems.push(`<${element.tagName} ${attr.name}>`)
        if (['href', 'src', 'action', 'formaction'].includes(attr.name)) {
          if (/^\s*javascript:/i.test(attr.value)) problems.push(`${attr.name}="${attr.value}"`)
        }
        if (attr.name.startsWith('hx-') && attr.value.includes('/admin/users')) {
          problems.push(`<${element.tagName} ${attr.name}="${attr.value}">`)
        }
        if (attr.name === 'autofocus' && element.tagName !== 'input') {
          problems.push(`<${element.tagName} autofocus>`)
        }
      }
      if (element.tagName === 'template') visit((element as any).content)
    }
    for (const child of ('childNodes' in node ? node.childNodes : []) as Node[]) visit(child)
  }
  visit(parse(html))
  return problems
}

test.group('Security: user and AI text never executes (parsed HTML)', (group) => {
  isolateDatabase(group)
  isolateQueue(group)

  test('every page that renders posts, accounts, media and AI output: {$self}')
    .with(PAYLOADS)
    .run(async ({ client, assert }, payload) => {
      const admin = await createUser({ isAdmin: true, fullName: payload })
      const workspace = await createWorkspace(admin, { name: `Client ${payload}` })
      const editor = await createUser({ fullName: payload })
      await addMember(workspace, editor, 'editor')
      const account = await connectAccount(
        workspace,
        'x',
        { accessToken: 'xss-test-token-value-0001', scopes: [] },
        { displayName: payload, handle: payload }
      )
      await SocialAccount.query().where('id', account.id).update({
        avatar_url: payload,
        status: 'needs_reconnect',
        status_reason: payload,
      })
      const image = await storeTestImage(workspace, { altText: payload })
      const post = await Post.create({
        workspaceId: workspace.id,
        authorId: editor.id,
        baseText: payload,
        status: 'failed',
        approvalState: 'rejected',
        approvalComment: payload,
        approvalDecidedById: admin.id,
        scheduledAt: DateTime.now().plus({ hours: 2 }),
      })
      await post.related('media').attach({ [image.id]: { position: 0 } })
      const target = await PostTarget.create({
        postId: post.id,
        workspaceId: workspace.id,
        socialAccountId: account.id,
        pluginId: 'x',
        status: 'unknown',
        overrideParts: [{ text: payload, mediaIds: [image.id] }],
        lastError: payload,
        lastErrorDetail: payload,
        url: payload,
        publishedParts: [],
        preflight: [{ code: 'xss', message: payload, blocking: false }],
        dueAt: DateTime.now().plus({ hours: 2 }),
      })
      await PublishAttempt.create({
        postTargetId: target.id,
        attemptNo: 1,
        startedAt: DateTime.now(),
        leaseExpiresAt: DateTime.now(),
        finishedAt: DateTime.now(),
        outcome: 'unknown',
        message: payload,
        responseExcerpt: payload,
      })
      await Generation.create({
        workspaceId: workspace.id,
        userId: editor.id,
        kind: 'text',
        pluginId: 'openrouter',
        model: payload,
        prompt: payload,
        outputText: payload,
        status: 'failed',
        error: payload,
        costUsd: 0.01,
      })

      const base = `/w/${workspace.slug}`
      const pages = [
        '/',
        base,
        `${base}/posts`,
        `${base}/posts?status=unknown`,
        `${base}/posts/${post.id}`,
        `${base}/posts/${post.id}/edit`,
        `${base}/compose`,
        `${base}/accounts`,
        `${base}/media`,
        `${base}/usage`,
        `${base}/usage.csv`,
        `${base}/members`,
        `${base}/settings`,
      ]
      for (const url of pages) {
        const response = await client.get(url).loginAs(admin)
        assert.isBelow(response.status(), 400, url)
        if (url.endsWith('.csv')) {
          // A spreadsheet would run a formula: cells starting with = + - @ are neutralised.
          assert.notMatch(response.text(), /(^|,)"?[=+\-@]/m, 'CSV formula injection')
          continue
        }
        assert.deepEqual(executableParts(response.text()), [], url)
      }
      const preview = await client
        .post(`${base}/compose/preview`)
        .loginAs(admin)
        .withCsrfToken()
        .header('hx-request', 'true')
        .form({ baseText: payload, accountIds: [account.id] })
      assert.deepEqual(executableParts(preview.text()), [], 'composer preview')
    })
})
