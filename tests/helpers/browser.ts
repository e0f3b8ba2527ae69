import type { Page } from 'playwright'
import { PASSWORD } from '#tests/helpers/factories'

/**
 * Fills and sends the sign-in form a page shows, as a person does, and waits
 * for the agency dashboard (`/`) it leads to.
 */
export async function submitSignIn(page: Page, email: string, password: string = PASSWORD) {
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => url.pathname === '/')
}

/** Opens the sign-in page in a new page (the test's `visit`) and signs in; returns the page */
export async function visitSignedIn(visit: (url: string) => Promise<Page>, email: string) {
  const page = await visit('/login')
  await submitSignIn(page, email)
  return page
}

/** Signs a page in (another browser context's page, say) through the sign-in page */
export async function signIn(page: Page, email: string) {
  await page.goto('/login')
  await submitSignIn(page, email)
}

/**
 * On a post page: waits until each of its accounts shows published (the
 * workers and the page's live poll at work), the post's badge says so, and
 * every network has its "View on …" link.
 */
export async function waitUntilPublishedOn(page: Page, networks: string[], timeout = 150_000) {
  await page
    .locator('#post-targets [data-status="published"]')
    .nth(networks.length - 1)
    .waitFor({ timeout })
  await page.locator('#post-status-badge').getByText('Published').waitFor()
  for (const network of networks) {
    await page
      .locator('#post-targets')
      .getByText(`View on ${network}`)
      .first()
      .waitFor({ timeout: 1000 })
  }
}
