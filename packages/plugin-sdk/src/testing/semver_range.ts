type Version = [number, number, number]
type Bound = { op: '>=' | '<' | '>' | '<='; version: Version }

const PARTIAL =
  /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/

/** Parses `1`, `1.2`, `1.x`, `1.2.3`: wildcard or missing parts are undefined. */
function parsePartial(text: string): (number | undefined)[] | undefined {
  const match = PARTIAL.exec(text)
  if (!match) return undefined
  const parts = match
    .slice(1, 4)
    .map((part) => (part === undefined || /[xX*]/.test(part) ? undefined : Number(part)))
  const firstWild = parts.indexOf(undefined)
  return firstWild === -1
    ? parts
    : parts.map((part, index) => (index < firstWild ? part : undefined))
}

function compare(a: Version, b: Version): number {
  for (let index = 0; index < 3; index++) {
    if (a[index] !== b[index]) return a[index] - b[index]
  }
  return 0
}

/** The exclusive upper bound of a partial version: `1.2` -> `1.3.0`, `1` -> `2.0.0`. */
function bump(parts: (number | undefined)[]): Version {
  const [major = 0, minor, patch] = parts
  if (minor === undefined) return [major + 1, 0, 0]
  if (patch === undefined) return [major, minor + 1, 0]
  return [major, minor, patch + 1]
}

function floor(parts: (number | undefined)[]): Version {
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0]
}

function caretCeiling(parts: (number | undefined)[]): Version {
  const [major = 0, minor, patch] = parts
  if (major > 0 || minor === undefined) return [major + 1, 0, 0]
  if (minor > 0 || patch === undefined) return [0, minor + 1, 0]
  return [0, 0, patch + 1]
}

function toBounds(comparator: string): Bound[] | undefined {
  const match = /^(\^|~|>=|<=|>|<|=)?\s*(.*)$/.exec(comparator)
  const parts = match && parsePartial(match[2])
  if (!match || !parts) return undefined
  const op = match[1] ?? '='
  if (parts[0] === undefined)
    return op === '<' || op === '>' ? [{ op: '<', version: [0, 0, 0] }] : []
  const exact = parts[2] !== undefined
  switch (op) {
    case '^':
      return [
        { op: '>=', version: floor(parts) },
        { op: '<', version: caretCeiling(parts) },
      ]
    case '~':
      return [
        { op: '>=', version: floor(parts) },
        { op: '<', version: bump(parts[1] === undefined ? parts : parts.slice(0, 2)) },
      ]
    case '>=':
      return [{ op: '>=', version: floor(parts) }]
    case '>':
      return [exact ? { op: '>', version: floor(parts) } : { op: '>=', version: bump(parts) }]
    case '<':
      return [{ op: '<', version: floor(parts) }]
    case '<=':
      return [exact ? { op: '<=', version: floor(parts) } : { op: '<', version: bump(parts) }]
    default:
      return [
        { op: '>=', version: floor(parts) },
        ...(exact
          ? [{ op: '<=' as const, version: floor(parts) }]
          : [{ op: '<' as const, version: bump(parts) }]),
      ]
  }
}

function holds(version: Version, bound: Bound): boolean {
  const order = compare(version, bound.version)
  if (bound.op === '>=') return order >= 0
  if (bound.op === '>') return order > 0
  if (bound.op === '<') return order < 0
  return order <= 0
}

/**
 * Whether `version` satisfies a semver `range` (`^1.0.0`, `~1.2`, `>=1 <3`, `1.x`, `*`, `a || b`), or
 * undefined when the range uses syntax this small parser does not know (hyphen ranges, prerelease tags are
 * ignored). The host checks with the `semver` package.
 */
export function satisfiesRange(version: string, range: string): boolean | undefined {
  const parsed = parsePartial(version)
  if (!parsed || parsed.includes(undefined)) return undefined
  const current = floor(parsed)
  let satisfied = false
  for (const alternative of range.split('||')) {
    const comparators = alternative
      .trim()
      .replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean)
    const bounds: Bound[] = []
    for (const comparator of comparators) {
      const parsedBounds = toBounds(comparator)
      if (!parsedBounds) return undefined
      bounds.push(...parsedBounds)
    }
    if (bounds.every((bound) => holds(current, bound))) satisfied = true
  }
  return satisfied
}
