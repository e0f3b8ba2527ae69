import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Generation from '#models/generation'
import Workspace from '#models/workspace'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import {
  ledgerOf,
  ledgerRow,
  STREAM_ACCEPT,
  TEXT_MODEL,
  useFakeOpenRouter,
} from '#tests/helpers/ai'
import { SweepGenerations } from '#actions/ai/sweep_generations'

/**
 * The ledger read back: the AI usage page (this month in the workspace's
 * timezone, by model, person and day), the CSV, the budget and who may
 * change it, interrupted generations.
 */
test.group('AI usage page, CSV and budget', (group) => {
  isolateDatabase(group)
  const { fake } = useFakeOpenRouter(group)

  async function setup() {
    const owner = await createUser({ isAdmin: true, fullName: 'Olga Owner' })
    const workspace = await createWorkspace(owner, {
      name: 'Acme Coffee',
      timezone: 'Europe/Berlin',
    })
    const editor = await createUser({ fullName: 'Eddie Editor' })
    await addMember(workspace, editor, 'editor')
    return { owner, editor, workspace }
  }

  test('spend this month by model, person and day, with the chart; last month and other clients apart', async ({
    client,
    assert,
  }) => {
    const { owner, editor, workspace } = await setup()
    const now = DateTime.now().setZone('Europe/Berlin')
    await ledgerRow(workspace, { costUsd: 0.5, userId: owner.id, at: now })
    await ledgerRow(workspace, { costUsd: 0.25, userId: editor.id, at: now })
    await ledgerRow(workspace, {
      costUsd: 0.04,
      userId: editor.id,
      kind: 'image',
      model: 'google/gemini-2.5-flash-image',
      at: now,
    })
    await ledgerRow(workspace, {
      costUsd: 0,
      userId: editor.id,
      status: 'refused',
      error: "The provider's moderation refused this prompt: violence.",
      at: now,
    })
    // Midnight in Berlin starts the month: 30 minutes before it is last month's spend.
    const monthStart = now.startOf('month')
    await ledgerRow(workspace, { costUsd: 9, at: monthStart.minus({ minutes: 30 }) })
    await ledgerRow(workspace, { costUsd: 0.01, at: monthStart.plus({ minutes: 30 }) })
    const other = await createWorkspace(owner, { name: 'Other Client' })
    await ledgerRow(other, { costUsd: 7 })

    const page = await client.get(`/w/${workspace.slug}/usage`).loginAs(editor)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, `Spent in ${now.toFormat('LLLL yyyy')}`)
    assert.include(html, '$0.8000')
    assert.notInclude(html, '$9.00')
    assert.notInclude(html, '$7.00')
    assert.include(html, 'google/gemini-2.5-flash-image')
    assert.include(html, 'Olga Owner')
    assert.include(html, 'Eddie Editor')
    assert.include(html, 'Refused by moderation')
    assert.include(html, 'moderation refused this prompt: violence.')
    const bars = html.match(/<rect class="bar"/g) ?? []
    assert.lengthOf(bars, now.daysInMonth!)
    assert.include(html, `<title>${now.toFormat('d')} ${now.toFormat('LLLL')}: `)
    assert.match(html, /Highest: \$0\.(79|80)00/)

    const previous = await client
      .get(`/w/${workspace.slug}/usage`)
      .qs({ month: monthStart.minus({ days: 1 }).toFormat('yyyy-MM') })
      .loginAs(editor)
    assert.include(previous.text(), '$9.00')
    assert.include(previous.text(), 'Next month')
  })

  test('the CSV holds every call of the month, spreadsheet formulas neutralised', async ({
    client,
    assert,
  }) => {
    const { owner, workspace } = await setup()
    await ledgerRow(workspace, {
      costUsd: 0.123456,
      userId: owner.id,
      prompt: '=HYPERLINK("http://evil")',
    })
    await ledgerRow(workspace, { costUsd: 0.5, status: 'failed', error: 'Provider down, "502"' })
    const response = await client.get(`/w/${workspace.slug}/usage.csv`).loginAs(owner)
    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'text/csv; charset=utf-8')
    assert.include(response.header('content-disposition'), `ai-usage-${workspace.slug}-`)
    const lines = response.text().trim().split('\r\n')
    assert.equal(
      lines[0],
      'id,created_at,user,kind,purpose,plugin,model,status,input_tokens,output_tokens,cost_usd,latency_ms,error,prompt'
    )
    assert.lengthOf(lines, 3)
    assert.include(lines[1], ',failed,')
    assert.include(lines[1], '"Provider down, ""502"""')
    assert.include(lines[2], 'Olga Owner')
    assert.include(lines[2], ',0.123456,')
    assert.include(lines[2], `"'=HYPERLINK(""http://evil"")"`)
    // Times in the workspace's timezone (Berlin: +01:00, or +02:00 in summer)
    assert.match(lines[2].split(',')[1], /\+0[12]:00$/)
  })

  test('owners raise the budget, and generation works again; editors may not', async ({
    client,
    assert,
  }) => {
    const { owner, editor, workspace } = await setup()
    workspace.monthlyAiBudgetUsd = 0.1
    await workspace.save()
    await ledgerRow(workspace, { costUsd: 0.1 })

    const refused = await client
      .post(`/w/${workspace.slug}/ai/text`)
      .loginAs(editor)
      .withCsrfToken()
      .header('accept', STREAM_ACCEPT)
      .form({ prompt: 'Spring menu', model: TEXT_MODEL })
    refused.assertStatus(402)
    const usage = await client.get(`/w/${workspace.slug}/usage`).loginAs(editor)
    assert.include(
      usage.text(),
      'generation is paused until the month ends or the budget is raised'
    )
    assert.notInclude(usage.text(), 'id="budget-form"')

    const denied = await client
      .put(`/w/${workspace.slug}/usage/budget`)
      .loginAs(editor)
      .withCsrfToken()
      .header('hx-request', 'true')
      .form({ monthlyAiBudgetUsd: '50' })
    denied.assertStatus(403)

    const invalid = await client
      .put(`/w/${workspace.slug}/usage/budget`)
      .loginAs(owner)
      .withCsrfToken()
      .header('hx-request', 'true')
      .form({ monthlyAiBudgetUsd: '-3' })
    invalid.assertStatus(422)
    assert.include(invalid.text(), 'must be at least 0')
    assert.include(invalid.text(), 'value="-3"')

    const raised = await client
      .put(`/w/${workspace.slug}/usage/budget`)
      .loginAs(owner)
      .withCsrfToken()
      .form({ monthlyAiBudgetUsd: '25' })
      .redirects(0)
    raised.assertStatus(302)
    assert.equal((await Workspace.findOrFail(workspace.id)).monthlyAiBudgetUsd, 25)

    const allowed = await client
      .post(`/w/${workspace.slug}/ai/text`)
      .loginAs(editor)
      .withCsrfToken()
      .header('accept', STREAM_ACCEPT)
      .form({ prompt: 'Spring menu', model: TEXT_MODEL })
    allowed.assertStatus(200)
    assert.lengthOf(fake.requestsTo('/chat/completions'), 1)

    const cleared = await client
      .put(`/w/${workspace.slug}/usage/budget`)
      .loginAs(owner)
      .withCsrfToken()
      .form({ monthlyAiBudgetUsd: '' })
      .redirects(0)
    cleared.assertStatus(302)
    assert.isNull((await Workspace.findOrFail(workspace.id)).monthlyAiBudgetUsd)
  })

  test('a generation left running by a stopped process is closed as interrupted', async ({
    assert,
  }) => {
    const { workspace } = await setup()
    const stale = await ledgerRow(workspace, {
      status: 'running',
      at: DateTime.now().minus({ minutes: 45 }),
    })
    const fresh = await ledgerRow(workspace, { status: 'running' })
    const closed = await new SweepGenerations().execute(30)
    assert.equal(closed, 1)
    await stale.refresh()
    await fresh.refresh()
    assert.equal(stale.status, 'failed')
    assert.include(stale.error, 'Interrupted')
    assert.equal(fresh.status, 'running')
    assert.lengthOf(await ledgerOf(workspace), 2)
    const running = await Generation.query()
      .where('workspace_id', workspace.id)
      .where('status', 'running')
    assert.lengthOf(running, 1)
  })
})
