const WHERE = "kinds['publisher']"

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function isCount(value: unknown, minimum: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= minimum
}

function inspectLimits(limits: Record<string, unknown>): string[] {
  const problems: string[] = []
  const at = `${WHERE}.limits`
  if (limits.countCharacters !== 'plain' && limits.countCharacters !== 'twitter-weighted') {
    problems.push(`${at}.countCharacters must be 'plain' or 'twitter-weighted'`)
  }
  if (!isCount(limits.maxChars, 1)) problems.push(`${at}.maxChars must be an integer >= 1`)
  if (!isCount(limits.maxMedia, 0)) problems.push(`${at}.maxMedia must be an integer >= 0`)
  if (!isCount(limits.maxThreadParts, 1))
    problems.push(`${at}.maxThreadParts must be an integer >= 1`)
  if (!isCount(limits.maxMediaBytes, 0))
    problems.push(`${at}.maxMediaBytes must be an integer >= 0`)
  if (typeof limits.requiresMedia !== 'boolean')
    problems.push(`${at}.requiresMedia must be a boolean`)
  const types = limits.mediaTypes
  if (
    !Array.isArray(types) ||
    !types.every((type) => typeof type === 'string' && type.includes('/'))
  ) {
    problems.push(`${at}.mediaTypes must be a list of MIME types such as 'image/jpeg'`)
  }
  if (limits.requiresMedia === true && limits.maxMedia === 0) {
    problems.push(`${at} requires media but allows none (maxMedia is 0)`)
  }
  if (
    limits.mediaDelivery !== undefined &&
    !['upload', 'url'].includes(String(limits.mediaDelivery))
  ) {
    problems.push(`${at}.mediaDelivery must be 'upload' or 'url' when set`)
  }
  const ratio = limits.aspectRatio
  if (ratio !== undefined) {
    const range = isRecord(ratio) ? ratio : {}
    const bound = (value: unknown) =>
      typeof value === 'number' && Number.isFinite(value) && value > 0
    if (!bound(range.min) || !bound(range.max) || (range.min as number) > (range.max as number)) {
      problems.push(`${at}.aspectRatio must be { min, max } with 0 < min <= max (width / height)`)
    }
  }
  if (limits.postsPer24Hours !== undefined && !isCount(limits.postsPer24Hours, 1)) {
    problems.push(`${at}.postsPer24Hours must be an integer >= 1 when set`)
  }
  return problems
}

function inspectOAuth(oauth: Record<string, unknown>): string[] {
  const problems: string[] = []
  const at = `${WHERE}.oauth`
  for (const field of ['authorizeUrl', 'tokenUrl'] as const) {
    if (typeof oauth[field] !== 'string' || oauth[field] === '')
      problems.push(`${at}.${field} must be a URL`)
  }
  const scopes = oauth.scopes
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) {
    problems.push(`${at}.scopes must be a list of strings`)
  }
  const publishScopes = oauth.publishScopes
  if (
    publishScopes !== undefined &&
    (!Array.isArray(publishScopes) ||
      !publishScopes.every(
        (scope) => typeof scope === 'string' && Array.isArray(scopes) && scopes.includes(scope)
      ))
  ) {
    problems.push(`${at}.publishScopes must be a list of scopes taken from ${at}.scopes`)
  }
  if (typeof oauth.pkce !== 'boolean') problems.push(`${at}.pkce must be a boolean`)
  if (oauth.clientAuth !== 'basic' && oauth.clientAuth !== 'body') {
    problems.push(`${at}.clientAuth must be 'basic' or 'body'`)
  }
  const driver = oauth.allyDriver
  if (
    driver !== undefined &&
    !['twitterX', 'linkedinOpenidConnect', 'facebook'].includes(String(driver))
  ) {
    problems.push(
      `${at}.allyDriver must be 'twitterX', 'linkedinOpenidConnect' or 'facebook' when set`
    )
  }
  return problems
}

/** Checks a publisher's declarative `limits` and `oauth` (both must already be objects). */
export function inspectPublisherData(publisher: Record<string, unknown>): string[] {
  const limits = publisher.limits
  const oauth = publisher.oauth
  return [
    ...(isRecord(limits) ? inspectLimits(limits) : []),
    ...(isRecord(oauth) ? inspectOAuth(oauth) : []),
  ]
}
