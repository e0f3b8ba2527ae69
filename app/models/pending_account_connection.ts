import { PendingAccountConnectionSchema } from '#database/schema'

/**
 * Accounts a person may add after a sign-in that reached several (Facebook
 * Pages, Instagram business accounts). `candidates` is a ciphertext: read
 * and written only through app/services/pending_connections.ts.
 */
export default class PendingAccountConnection extends PendingAccountConnectionSchema {
  static selfAssignPrimaryKey = true
}
