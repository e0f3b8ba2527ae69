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
