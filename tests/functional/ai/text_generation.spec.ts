import { test } from '@japa/runner'
import aiConfig from '#config/ai'
import Generation from '#models/generation'
import Workspace from '#models/workspace'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { waitFor } from '#tests/helpers/queue'
import {
  browserSession,
  events,
  ledgerOf,
  ledgerRow,
  NDJSON,
  readEvents,
  STREAM_ACCEPT,
  TEXT_MODEL,
  useFakeOpenRouter,
  withoutOpenRouterKey,
} from '#tests/helpers/ai'
import { FAKE_REPLY } from '#tests/fakes/openrouter'

/**
 * AI text from the composer, through the real HTTP server, the OpenRouter
 * plugin and a fake OpenRouter on 127.0.0.1: streaming, stop, the ledger row
 * of every call, errors in words, retries, budget.
 */
async function setup() {
  const owner = await createUser({ isAdmin: true })
  const workspace = await createWorkspace(owner, { name: 'Acme Coffee' })
  await Workspace.query()
    .where('id', workspace.id)
    .update({
      brand_tone: 'Warm and playful, never salesy',
      brand_audience: 'Commuters in Berlin',
      banned_words: JSON.stringify(['cheap', 'synergy']),
      default_hashtags: JSON.stringify(['#coffee', '#berlin']),
    })
  await workspace.refresh()
  return { owner, workspace }
}

const ask = { prompt: 'Announce the spring menu', model: TEXT_MODEL, purpose: 'generate' }

test.group('AI text: streamed into the composer', (group) => {
  isolateDatabase(group)
  const { fake } = useFakeOpenRouter(group)

  test('the text arrives while the model is still writing, then the cost; the ledger has the call', async ({
    assert,
  }) => {
    const { owner, workspace } = await setup()
    const session = await browserSession(owner, workspace)
    fake.holdStream(3)
    const response = await session.postText({ ...ask, networks: ['x', 'linkedin'] })
    assert.equal(response.status, 200)
    assert.include(response.headers.get('content-type') ?? '', NDJSON)

    const { seen, reader } = await readEvents(
      response,
      (list) => list.filter((event) => event.type === 'delta').length === 3
    )
    // Three words are in the composer while the fake still holds the rest of the answer.
    assert.isTrue(fake.streams[0].held)
    assert.equal(seen[0].type, 'start')
    const running = await Generation.findOrFail(seen[0].generationId)
    assert.equal(running.status, 'running')

    fake.release()
    const rest: Record<string, any>[] = []
    let buffer = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += value
    }
    rest.push(...events(buffer))
    const all = [...seen, ...rest]
    const text = all
      .filter((event) => event.type === 'delta')
      .map((event) => event.text)
      .join('')
    assert.equal(text, FAKE_REPLY)
    const done = all.at(-1)!
    assert.equal(done.type, 'done')
    assert.match(done.cost, /^\$0\.\d{4}$/)

    const row = await Generation.findOrFail(done.generationId)
    assert.equal(row.status, 'succeeded')
    assert.equal(row.kind, 'text')
    assert.equal(row.purpose, 'generate')
    assert.equal(row.pluginId, 'openrouter')
    assert.equal(row.model, 'anthropic/claude-3.5-sonnet')
    assert.equal(row.userId, owner.id)
    assert.equal(row.outputText, FAKE_REPLY)
    assert.isAbove(row.inputTokens, 0)
    assert.equal(row.outputTokens, FAKE_REPLY.match(/\S+\s*/g)!.length)
    assert.closeTo(row.costUsd, done.costUsd, 1e-9)
    assert.isAbove(row.costUsd, 0)
    assert.isNotNull(row.latencyMs)
    assert.include(row.prompt, 'Announce the spring menu')
  })

  test('the prompt carries the brand voice and the chosen networks limits', async ({
    client,
    assert,
  }) => {
    const { owner, workspace } = await setup()
    const response = await client
      .post(`/w/${workspace.slug}/ai/text`)
      .loginAs(owner)
      .withCsrfToken()
      .header('accept', STREAM_ACCEPT)
      .form({ ...ask, networks: ['x', 'linkedin'] })
    response.assertStatus(200)
    const [request] = fake.requestsTo('/chat/completions')
    const [system, user] = request.body!.messages as { role: string; content: string }[]
    assert.equal(system.role, 'system')
    assert.include(system.content, 'Acme Coffee')
    assert.include(system.content, 'Warm and playful, never salesy')
    assert.include(system.content, 'Commuters in Berlin')
    assert.include(system.content, 'Never use these words: cheap, synergy.')
    assert.include(system.content, '#coffee #berlin')
    assert.include(system.content, 'X (Twitter) (at most 280 characters)')
    assert.include(system.content, 'LinkedIn (at most 3000 characters)')
    assert.include(system.content, 'Keep it within 280 characters')
    assert.equal(user.content, 'Announce the spring menu')
    assert.equal(request.body!.stream, true)
    assert.equal(request.body!.model, 'anthropic/claude-3.5-sonnet')
  })

  test('shorten for X and adapt for LinkedIn rewrite the post text with that network limit', async ({
    client,
    assert,
  }) => {
    const { owner, workspace } = await setup()
    const post = 'Our spring menu is here: rhubarb buns, cold brew with elderflower, and more.'
    for (const [purpose, limit] of [
      ['shorten_x', 'at most 280 characters'],
      ['adapt_linkedin', 'at most 3000 characters'],
    ]) {
      fake.reset()
      const response = await client
        .post(`/w/${workspace.slug}/ai/text`)
        .loginAs(owner)
        .withCsrfToken()
        .header('accept', STREAM_ACCEPT)
        .form({ model: TEXT_MODEL, purpose, baseText: post, prompt: '' })
      response.assertStatus(200)
      assert.equal(events(response.text()).at(-1)!.type, 'done')
      const user = (fake.requestsTo('/chat/completions')[0].body!.messages as any[])[1].content
      assert.include(user, limit)
      assert.include(user, post)
    }
    const purposes = (await ledgerOf(workspace)).map((row) => row.purpose)
    assert.deepEqual(purposes, ['shorten_x', 'adapt_linkedin'])

    const empty = await client
      .post(`/w/${workspace.slug}/ai/text`)
      .loginAs(owner)
      .withCsrfToken()
      .header('accept', STREAM_ACCEPT)
      .form({ model: TEXT_MODEL, purpose: 'shorten_x', baseText: '' })
    empty.assertStatus(422)
    assert.equal(empty.body().field, 'baseText')
    assert.include(empty.body().error, 'Write or generate the post first')
  })

  test('stop: the provider call is aborted and the row is cancelled with what was written', async ({
    assert,
  }) => {
    const { owner, workspace } = await setup()
    const session = await browserSession(owner, workspace)
    fake.holdStream(2)
    const stop = new AbortController()
    const response = await session.postText(ask, stop.signal)
    const { seen } = await readEvents(
      response,
      (list) => list.filter((event) => event.type === 'delta').length === 2
    )
    stop.abort()
    const id = seen[0].generationId
    const row = await waitFor(
      async () => {
        const found = await Generation.find(id)
        return found?.status === 'cancelled' ? found : undefined
      },
      { message: 'the generation to be cancelled' }
    )
    const written = seen
      .filter((event) => event.type === 'delta')
      .map((event) => event.text)
      .join('')
    assert.equal(row.outputText, written)
    assert.equal(row.error, 'Stopped before it finished.')
    // No usage arrived: tokens estimated and priced from the model catalog ($3 / $15 per M).
    assert.isAbove(row.outputTokens, 0)
    assert.isAbove(row.costUsd, 0)
    await waitFor(() => fake.streams[0].closedByClient, { message: 'the fake to see the close' })
    fake.release()
  })

  test('two generations of the same person at once both complete', async ({ client, assert }) => {
    const { owner, workspace } = await setup()
    fake.chunkDelayMs = 5
    const send = () =>
      client
        .post(`/w/${workspace.slug}/ai/text`)
        .loginAs(owner)
        .withCsrfToken()
        .header('accept', STREAM_ACCEPT)
        .form(ask)
    const [first, second] = await Promise.all([send(), send()])
    for (const response of [first, second]) {
      response.assertStatus(200)
      assert.equal(events(response.text()).at(-1)!.type, 'done')
    }
    const rows = await ledgerOf(workspace)
    assert.lengthOf(rows, 2)
    assert.deepEqual(
      rows.map((row) => row.status),
      ['succeeded', 'succeeded']
    )
    assert.lengthOf(fake.streams, 2)
  })

  test('without JavaScript the form post returns the composer with the whole text', async ({
    client,
    assert,
  }) => {
    const { owner, workspace } = await setup()
    const response = await client
      .post(`/w/${workspace.slug}/ai/text`)
      .loginAs(owner)
      .withCsrfToken()
      .form({ ...ask, networks: ['x'] })
    response.assertStatus(200)
    assert.include(response.text(), 'café on Main Street')
    assert.include(response.text(), 'Announce the spring menu')
    const [request] = fake.requestsTo('/chat/completions')
    assert.equal(request.body!.stream, false)
    const [row] = await ledgerOf(workspace)
    assert.equal(row.status, 'succeeded')
  })
})

test.group('AI text: failures in words, never losing the prompt', (group) => {
  isolateDatabase(group)
  const { fake } = useFakeOpenRouter(group)

  async function generate(client: any, owner: any, workspace: any, fields = {}) {
    const response = await client
      .post(`/w/${workspace.slug}/ai/text`)
      .loginAs(owner)
      .withCsrfToken()
      .header('accept', STREAM_ACCEPT)
      .form({ ...ask, ...fields })
    return response
  }

  test('provider down: retried with backoff, then the error; a provider that recovers succeeds', async ({
    client,
    assert,
  }) => {
    const { owner, workspace } = await setup()
    const saved = { ...aiConfig.retry }
    aiConfig.retry.baseDelayMs = 20
    try {
      fake.fail(502)
      const down = await generate(client, owner, workspace)
      down.assertStatus(200)
      const error = events(down.text()).at(-1)!
      assert.equal(error.type, 'error')
      assert.equal(error.status, 'failed')
      assert.include(error.message, 'unavailable (HTTP 502')
      assert.include(error.message, '(tried 3 times)')
      assert.lengthOf(fake.requestsTo('/chat/completions'), 3)

      fake.reset()
      fake.fail(503, { times: 2 })
      const recovered = await generate(client, owner, workspace)
      assert.equal(events(recovered.text()).at(-1)!.type, 'done')
      assert.lengthOf(fake.requestsTo('/chat/completions'), 3)
    } finally {
      Object.assign(aiConfig.retry, saved)
    }
    const rows = await ledgerOf(workspace)
    assert.deepEqual(
      rows.map((row) => row.status),
      ['failed', 'succeeded']
    )
    assert.include(rows[0].error, 'unavailable')
    assert.include(rows[0].prompt, 'Announce the spring menu')
  })

  test('bad key, no credits, rate limit: one call each, a sentence that says what to do', async ({
    client,
    assert,
  }) => {
    const { owner, workspace } = await setup()
    const cases: [() => void, string][] = [
      [() => fake.revokeKey(), 'OpenRouter rejected the API key'],
      [() => fake.fail(402), 'out of credits'],
      [
        () => fake.rateLimit({ resetAt: new Date(Date.now() + 5 * 60_000) }),
        "The provider's rate limit is reached; try again in 5 minutes.",
      ],
    ]
    for (const [arrange, words] of cases) {
      fake.reset()
      arrange()
      const response = await generate(client, owner, workspace)
      const last = events(response.text()).at(-1)!
      assert.equal(last.type, 'error')
      assert.include(last.message, words)
      assert.lengthOf(fake.requestsTo('/chat/completions'), 1)
    }
    const rows = await ledgerOf(workspace)
    assert.deepEqual(
      rows.map((row) => row.status),
      ['failed', 'failed', 'failed']
    )
  })

  test('moderation refusals are recorded and shown as refusals', async ({ client, assert }) => {
    const { owner, workspace } = await setup()
    fake.moderate(['violence'])
    const blocked = await generate(client, owner, workspace)
    const first = events(blocked.text()).at(-1)!
    assert.equal(first.status, 'refused')
    assert.equal(first.message, "The provider's moderation refused this prompt: violence.")

    fake.reset()
    fake.refuse('I will not write that.')
    const refused = await generate(client, owner, workspace)
    const list = events(refused.text())
    assert.equal(list.at(-1)!.status, 'refused')
    assert.include(list.at(-1)!.message, 'I will not write that.')

    const rows = await ledgerOf(workspace)
    assert.deepEqual(
      rows.map((row) => row.status),
      ['refused', 'refused']
    )
  })

  test('a provider that does not answer in time is stopped and recorded as a timeout', async ({
    client,
    assert,
  }) => {
    const { owner, workspace } = await setup()
    const saved = aiConfig.textTimeoutMs
    aiConfig.textTimeoutMs = 400
    try {
      fake.hang()
      const response = await generate(client, owner, workspace)
      const last = events(response.text()).at(-1)!
      assert.equal(last.type, 'error')
      assert.include(last.message, 'took longer than 0 s')
    } finally {
      aiConfig.textTimeoutMs = saved
    }
    const [row] = await ledgerOf(workspace)
    assert.equal(row.status, 'failed')
  })

  test('an unknown model or a missing prompt is refused before any call (422, field named)', async ({
    client,
    assert,
  }) => {
    const { owner, workspace } = await setup()
    const unknown = await generate(client, owner, workspace, { model: 'openrouter:acme/nope' })
    unknown.assertStatus(422)
    assert.equal(unknown.body().field, 'model')
    assert.include(unknown.body().error, 'does not offer the model "acme/nope"')

    const empty = await generate(client, owner, workspace, { prompt: '' })
    empty.assertStatus(422)
    assert.equal(empty.body().field, 'prompt')

    assert.lengthOf(fake.requestsTo('/chat/completions'), 0)
    assert.lengthOf(await ledgerOf(workspace), 0)
  })

  test('budget reached: refused with the budget and who can raise it, no call made', async ({
    client,
    assert,
  }) => {
    const { owner, workspace } = await setup()
    workspace.monthlyAiBudgetUsd = 0.05
    await workspace.save()
    await ledgerRow(workspace, { costUsd: 0.03 })
    await ledgerRow(workspace, { costUsd: 0.02 })

    const response = await generate(client, owner, workspace)
    response.assertStatus(402)
    assert.include(response.body().error, 'reached its AI budget of $0.0500')
    assert.include(
      response.body().error,
      'A workspace owner or an agency admin can raise the budget'
    )
    assert.lengthOf(fake.requestsTo('/chat/completions'), 0)

    const page = await client.get(`/w/${workspace.slug}/compose`).loginAs(owner)
    assert.include(page.text(), 'reached its AI budget')
  })

  test('without an API key the panels say how to configure one', async ({ client, assert }) => {
    const { owner, workspace } = await setup()
    withoutOpenRouterKey()
    const editor = await createUser()
    await addMember(workspace, editor, 'editor')

    const asAdmin = await client.get(`/w/${workspace.slug}/compose`).loginAs(owner)
    asAdmin.assertStatus(200)
    assert.include(asAdmin.text(), 'need an OpenRouter API key (API key (OPENROUTER_API_KEY))')
    assert.include(asAdmin.text(), 'href="/admin/plugins/openrouter"')
    const asEditor = await client.get(`/w/${workspace.slug}/compose`).loginAs(editor)
    assert.include(
      asEditor.text(),
      'Ask an agency admin to add it under Admin › Plugins › OpenRouter'
    )
    assert.notInclude(asEditor.text(), 'href="/admin/plugins/openrouter"')

    const refused = await generate(client, editor, workspace)
    refused.assertStatus(409)
    assert.include(refused.body().error, 'OPENROUTER_API_KEY')
  })

  test('viewers may not open the composer or generate (403)', async ({ client, assert }) => {
    const { workspace } = await setup()
    const viewer = await createUser()
    await addMember(workspace, viewer, 'viewer')
    const page = await client.get(`/w/${workspace.slug}/compose`).loginAs(viewer)
    page.assertStatus(403)
    const response = await generate(client, viewer, workspace)
    response.assertStatus(403)
    assert.lengthOf(await ledgerOf(workspace), 0)
  })
})
