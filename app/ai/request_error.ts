/**
 * A generation refused before any call to a provider (not set up, unknown
 * model, nothing to rewrite): `field` names the form field it is about,
 * `status` the HTTP status to answer with.
 */
export class AiRequestError extends Error {
  constructor(
    message: string,
    readonly field: string | undefined,
    readonly status = 422
  ) {
    super(message)
    this.name = 'AiRequestError'
  }
}
