import { inspect } from 'node:util'
import type { PluginManifest } from '../../manifest.js'
import type { CapturingLogger } from '../capturing_logger.js'
import type { RecordedRequest } from '../fetch_http_client.js'

/** Values of the manifest's secret settings (at least 4 characters, shorter values cannot be searched for). */
export function secretValues(manifest: PluginManifest, settings: object): string[] {
  const values = settings as Record<string, unknown>
  return manifest.settings
    .filter((field) => field.secret === true)
    .map((field) => values[field.name])
    .filter((value): value is string => typeof value === 'string' && value.length >= 4)
}

/** Problems when any captured log entry contains a secret value; each names the offending entry. */
export function checkSecretsNotLogged(log: CapturingLogger, secrets: readonly string[]): string[] {
  const problems: string[] = []
  log.entries.forEach((entry, index) => {
    const rendered = inspect(entry, { depth: 10, breakLength: Infinity, maxStringLength: null })
    if (secrets.some((secret) => rendered.includes(secret))) {
      const message = entry.message === undefined ? '' : ` '${entry.message.slice(0, 60)}'`
      problems.push(
        `log entry ${index + 1} (${entry.level}${message}) contains a secret setting value`
      )
    }
  })
  return problems
}

/** Hosts the plugin may reach: the manifest's hosts and the hosts of URL settings. */
export function allowedHosts(manifest: PluginManifest, settings: object): string[] {
  const values = settings as Record<string, unknown>
  const fromSettings = manifest.settings
    .filter((field) => field.type === 'url' && typeof values[field.name] === 'string')
    .flatMap((field) =>
      URL.canParse(String(values[field.name])) ? [new URL(String(values[field.name])).host] : []
    )
  return [...manifest.network.hosts, ...fromSettings]
}

function matches(host: string, pattern: string): boolean {
  const bare = (value: string) => value.replace(/:\d+$/, '')
  if (pattern.startsWith('*.')) return bare(host).endsWith(pattern.slice(1))
  return pattern.includes(':') ? host === pattern : bare(host) === pattern
}

/** Problems when a recorded request went to a host outside `hosts`. */
export function checkHosts(
  requests: readonly RecordedRequest[],
  hosts: readonly string[]
): string[] {
  const outside = new Set(
    requests
      .map((request) => new URL(request.url).host)
      .filter((host) => !hosts.some((pattern) => matches(host, pattern)))
  )
  return [...outside].map(
    (host) => `the plugin called ${host}, which is neither in network.hosts nor a URL setting`
  )
}
