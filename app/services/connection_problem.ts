/**
 * Why connecting a social account did not work, in words for the Accounts
 * page (denied consent, a state that does not match, missing permissions, an
 * Instagram account not linked to a Page...). Never carries a token.
 */
export class ConnectionProblem extends Error {
  constructor(
    message: string,
    /** Where to show it: the workspace the flow started in, when known */
    readonly workspaceSlug?: string
  ) {
    super(message)
    this.name = 'ConnectionProblem'
  }
}
