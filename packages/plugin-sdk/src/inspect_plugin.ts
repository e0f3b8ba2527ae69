import { CONTRACT_VERSIONS, isPluginKind, PLUGIN_KINDS, type PluginKind } from './versions.js'
import { OPTIONAL_METHODS, REQUIRED_DATA, REQUIRED_METHODS } from './required_methods.js'
import { inspectPublisherData } from './inspect_publisher_data.js'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function inspectKind(kind: PluginKind, implementation: unknown): string[] {
  const where = `kinds['${kind}']`
  if (!isRecord(implementation))
    return [`${where} must be an object implementing ${CONTRACT_VERSIONS[kind]}`]
  const problems: string[] = []
  if (implementation.contract !== CONTRACT_VERSIONS[kind]) {
    problems.push(
      `${where}.contract is ${JSON.stringify(implementation.contract)}; set it to '${CONTRACT_VERSIONS[kind]}'`
    )
  }
  for (const method of REQUIRED_METHODS[kind]) {
    if (typeof implementation[method] !== 'function') {
      problems.push(
        `${where}.${method} is missing; ${CONTRACT_VERSIONS[kind]} requires it to be a function`
      )
    }
  }
  for (const method of OPTIONAL_METHODS[kind]) {
    const value = implementation[method]
    if (value !== undefined && typeof value !== 'function') {
      problems.push(`${where}.${method} must be a function or left out`)
    }
  }
  for (const field of REQUIRED_DATA[kind]) {
    if (!isRecord(implementation[field]))
      problems.push(`${where}.${field} is missing; it must be an object`)
  }
  if (kind === 'publisher' && problems.length === 0)
    problems.push(...inspectPublisherData(implementation))
  return problems
}

/**
 * Checks a plugin's default export against the kinds its manifest declares: the same kinds, each with the
 * right contract literal, required methods and data. Returns readable problems (empty when fine); the host
 * uses it at boot and the contract kit in tests.
 */
export function inspectPlugin(
  definition: unknown,
  declaredKinds: readonly PluginKind[],
  manifestId?: string
): string[] {
  if (!isRecord(definition)) return ['the default export must be definePlugin({ kinds: { ... } })']
  const problems: string[] = []
  if (definition.id !== undefined && manifestId !== undefined && definition.id !== manifestId) {
    problems.push(
      `definition id '${String(definition.id)}' differs from manifest id '${manifestId}'`
    )
  }
  const kinds = definition.kinds
  if (!isRecord(kinds)) return [...problems, 'the definition has no `kinds` object']
  for (const key of Object.keys(kinds)) {
    if (!isPluginKind(key))
      problems.push(`kinds['${key}'] is not a kind; use one of ${PLUGIN_KINDS.join(', ')}`)
    else if (!declaredKinds.includes(key)) {
      problems.push(
        `kinds['${key}'] is implemented but not declared; add '${key}' to the manifest kinds`
      )
    }
  }
  for (const kind of declaredKinds) {
    if (kinds[kind] === undefined) {
      problems.push(`the manifest declares '${kind}' but kinds['${kind}'] is not implemented`)
    } else {
      problems.push(...inspectKind(kind, kinds[kind]))
    }
  }
  return problems
}
