import { formatUsd } from '#ai/pricing'

/** A day's spend */
export interface DayPoint {
  /** "2026-06-14" */
  date: string
  /** "14" */
  day: string
  costUsd: number
  calls: number
  /** "$0.0400" */
  cost: string
}

/** Geometry of the spend-per-day bar chart, rendered as SVG by partials/usage/chart.edge */
export interface BarChart {
  width: number
  height: number
  /** Top of the plot area and its height (bars grow up from top + plotHeight) */
  top: number
  plotHeight: number
  left: number
  bars: {
    x: number
    y: number
    width: number
    height: number
    /** "14 Jun: $0.0400 (3 calls)", the bar's tooltip */
    title: string
    /** Day number, shown under every few bars */
    label?: string
    labelX: number
  }[]
  /** Horizontal grid lines with their amounts */
  ticks: { y: number; label: string }[]
  /** Summary for screen readers */
  summary: string
}

const WIDTH = 720
const HEIGHT = 200
const LEFT = 64
const RIGHT = 8
const TOP = 10
const BOTTOM = 24

/**
 * Bars of spend per day, scaled to a round maximum. Pure geometry: the
 * template only places the shapes, so the chart needs no script and no
 * inline style (strict CSP).
 */
export function buildBarChart(points: DayPoint[], monthLabel: string): BarChart {
  const plotWidth = WIDTH - LEFT - RIGHT
  const plotHeight = HEIGHT - TOP - BOTTOM
  const highest = points.reduce((max, point) => Math.max(max, point.costUsd), 0)
  const top = niceCeiling(highest)
  const slot = plotWidth / Math.max(1, points.length)
  const barWidth = Math.max(2, slot * 0.7)
  const bars = points.map((point, index) => {
    const height = top === 0 ? 0 : (point.costUsd / top) * plotHeight
    const x = LEFT + index * slot + (slot - barWidth) / 2
    const day = Number(point.day)
    return {
      x: round(x),
      y: round(TOP + plotHeight - height),
      width: round(barWidth),
      height: round(height),
      title: `${point.day} ${monthLabel.split(' ')[0]}: ${formatUsd(point.costUsd)} (${point.calls} call${point.calls === 1 ? '' : 's'})`,
      ...(day === 1 || day % 5 === 0 ? { label: point.day } : {}),
      labelX: round(x + barWidth / 2),
    }
  })
  const ticks = [0, 0.5, 1].map((fraction) => ({
    y: round(TOP + plotHeight - fraction * plotHeight),
    label: formatUsd(top * fraction),
  }))
  const peak = points.find((point) => point.costUsd === highest && highest > 0)
  const summary = peak
    ? `Spend per day in ${monthLabel}. Highest: ${formatUsd(highest)} on ${peak.day} ${monthLabel}.`
    : `Spend per day in ${monthLabel}: nothing spent yet.`
  return { width: WIDTH, height: HEIGHT, top: TOP, plotHeight, left: LEFT, bars, ticks, summary }
}

/** A round number at or above `value` (1, 2, 5 x 10^n), so the axis reads well */
export function niceCeiling(value: number): number {
  if (value <= 0) return 0
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) return step * power
  }
  return 10 * power
}

function round(value: number) {
  return Math.round(value * 10) / 10
}
