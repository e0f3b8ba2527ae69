import { test } from '@japa/runner'
import MediaAsset from '#models/media_asset'
import { isolateDatabase } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { ledgerRow, TEXT_MODEL, useFakeOpenRouter } from '#tests/helpers/ai'

/** AI output and what people typed are data: escaped on every AI studio page */
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "' autofocus onfocus='alert(1)",
]

function assertInert(assert: any, html: string, payload: string) {
  assert.notInclude(html, payload, `rendered unescaped: ${payload}`)
  assert.notMatch(html, /<script>alert|<img src=x|<svg onload|onfocus='alert/)
}

test.group('Security: AI studio text is always escaped', (group) => {
  isolateDatabase(group)
  const { fake } = useFakeOpenRouter(group)

  test('AI output, prompts, errors, alt text and file names: {$self}')
    .with(PAYLOADS)
    .run(async ({ client, assert }, payload) => {
      const owner = await createUser({ isAdmin: true, fullName: payload })
      const workspace = await createWorkspace(owner)
      await ledgerRow(workspace, {
        userId: owner.id,
        prompt: payload,
        error: payload,
        model: payload,
      })
      const image = await ledgerRow(workspace, { kind: 'image', status: 'failed', error: payload })
      await MediaAsset.create({
        workspaceId: workspace.id,
        storagePlugin: 'local-media',
        storageKey: 'w1/x.png',
        url: `http://127.0.0.1/media/x.png?${payload}`,
        mime: 'image/png',
        bytes: 10,
        width: 1,
        height: 1,
        altText: payload,
        source: 'ai',
        originalName: payload,
        prompt: payload,
        model: payload,
        createdById: owner.id,
      })

      for (const url of [
        `/w/${workspace.slug}/usage`,
        `/w/${workspace.slug}/media`,
        `/w/${workspace.slug}/ai/images/${image.id}`,
      ]) {
        const response = await client.get(url).loginAs(owner)
        response.assertStatus(200)
        assertInert(assert, response.text(), payload)
      }

      fake.reply = payload
      const page = await client
        .post(`/w/${workspace.slug}/ai/text`)
        .loginAs(owner)
        .withCsrfToken()
        .form({ prompt: payload, model: TEXT_MODEL })
      page.assertStatus(200)
      assertInert(assert, page.text(), payload)
    })
})
