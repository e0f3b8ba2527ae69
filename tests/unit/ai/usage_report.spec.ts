import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { monthWindow } from '#ai/budget'
import { buildBarChart, niceCeiling } from '#ai/usage_chart'
import { csvField, ledgerCsv } from '#ai/ledger_csv'

test.group('AI usage: months, chart, CSV', () => {
  test('a month is counted in the workspace timezone, across DST', ({ assert }) => {
    const at = DateTime.fromISO('2026-03-31T23:30:00Z')
    const berlin = monthWindow('Europe/Berlin', undefined, at)
    assert.equal(berlin.key, '2026-04')
    assert.equal(berlin.start.toISO(), '2026-03-31T22:00:00.000Z')
    assert.equal(berlin.end.toISO(), '2026-04-30T22:00:00.000Z')
    const march = monthWindow('Europe/Berlin', '2026-03', at)
    assert.equal(march.start.toISO(), '2026-02-28T23:00:00.000Z')
    assert.equal(march.label, 'March 2026')
    assert.equal(monthWindow('America/New_York', 'not-a-month', at).key, '2026-03')
  })

  test('the chart scales to a round maximum and labels the highest day', ({ assert }) => {
    assert.equal(niceCeiling(0), 0)
    assert.equal(niceCeiling(0.079), 0.1)
    assert.equal(niceCeiling(0.12), 0.2)
    assert.equal(niceCeiling(3.4), 5)
    const days = Array.from({ length: 30 }, (_, index) => ({
      date: `2026-06-${String(index + 1).padStart(2, '0')}`,
      day: String(index + 1),
      costUsd: index === 11 ? 0.12 : index === 3 ? 0.06 : 0,
      calls: index === 11 ? 3 : index === 3 ? 1 : 0,
      cost: '',
    }))
    const chart = buildBarChart(days, 'June 2026')
    assert.lengthOf(chart.bars, 30)
    const tallest = chart.bars[11]
    assert.equal(tallest.title, '12 June: $0.1200 (3 calls)')
    assert.closeTo(tallest.height / chart.plotHeight, 0.6, 0.01)
    assert.closeTo(chart.bars[3].height * 2, tallest.height, 0.2)
    assert.equal(chart.bars[0].height, 0)
    assert.deepEqual(
      chart.ticks.map((tick) => tick.label),
      ['$0.00', '$0.1000', '$0.2000']
    )
    assert.equal(chart.summary, 'Spend per day in June 2026. Highest: $0.1200 on 12 June 2026.')
    assert.equal(
      buildBarChart(
        days.map((day) => ({ ...day, costUsd: 0 })),
        'June 2026'
      ).bars[11].height,
      0
    )
  })

  test('CSV fields are quoted as needed and formulas neutralised', ({ assert }) => {
    assert.equal(csvField('plain'), 'plain')
    assert.equal(csvField('a, b'), '"a, b"')
    assert.equal(csvField('say "hi"'), '"say ""hi"""')
    assert.equal(csvField('=SUM(A1)'), "'=SUM(A1)")
    assert.equal(csvField('@cmd'), "'@cmd")
    assert.equal(csvField(-3), '-3')
    assert.equal(csvField(null), '')
    const csv = ledgerCsv([
      {
        id: '7',
        createdAt: DateTime.fromISO('2026-06-12T09:30:00', { zone: 'Europe/Berlin' }),
        user: 'Olga',
        kind: 'text',
        purpose: 'generate',
        pluginId: 'openrouter',
        model: 'anthropic/claude-3.5-sonnet',
        status: 'succeeded',
        inputTokens: 100,
        outputTokens: 20,
        costUsd: 0.00045,
        latencyMs: 1234,
        error: null,
        prompt: 'line one\nline two',
      },
    ])
    const [header, row] = csv.split('\r\n')
    assert.isTrue(header.startsWith('id,created_at,user'))
    assert.equal(
      row,
      '7,2026-06-12T09:30:00.000+02:00,Olga,text,generate,openrouter,anthropic/claude-3.5-sonnet,succeeded,100,20,0.000450,1234,,"line one\nline two"'
    )
  })
})
