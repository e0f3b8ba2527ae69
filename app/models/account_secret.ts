import { AccountSecretSchema } from '#database/schema'

/**
 * Encrypted tokens of a social account. Never read the columns here: they
 * are ciphertexts; app/services/account_tokens.ts decrypts and refreshes.
 */
export default class AccountSecret extends AccountSecretSchema {}
