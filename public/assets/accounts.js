/*
 * Accounts page: copy a platform's callback URL (or scopes) to the clipboard.
 * Without JavaScript the value stays selectable text.
 */
document.addEventListener('click', async (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null
  if (!button) return
  const source = document.getElementById(button.dataset.copy)
  if (!source) return
  try {
    await navigator.clipboard.writeText(source.textContent.trim())
    button.textContent = 'Copied'
  } catch {
    const range = document.createRange()
    range.selectNodeContents(source)
    const selection = window.getSelection()
    selection.removeAllRanges()
    selection.addRange(range)
    button.textContent = 'Selected: press Ctrl+C'
  }
  setTimeout(() => {
    button.textContent = 'Copy'
  }, 2500)
})

// An avatar that does not load (expired CDN link, offline) shows the account's initials instead.
function showInitials(image) {
  const initials = document.createElement('span')
  initials.className = 'account-avatar initials'
  initials.setAttribute('aria-hidden', 'true')
  initials.textContent = image.dataset.initials || '?'
  image.replaceWith(initials)
}
document.addEventListener(
  'error',
  (event) => {
    if (event.target instanceof HTMLImageElement && event.target.matches('img.account-avatar')) {
      showInitials(event.target)
    }
  },
  true
)
for (const image of document.querySelectorAll('img.account-avatar')) {
  if (image.complete && image.naturalWidth === 0) showInitials(image)
}
