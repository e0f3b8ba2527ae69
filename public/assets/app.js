/*
 * Herald's only page script (CSP forbids inline script): small progressive
 * enhancements on top of htmx. Everything works without it.
 */

// Filter the workspace switcher as you type.
document.addEventListener('input', (event) => {
  const input = event.target
  if (!(input instanceof HTMLInputElement) || !input.matches('[data-filter-list]')) return
  const list = document.getElementById(input.dataset.filterList)
  if (!list) return
  const needle = input.value.trim().toLowerCase()
  for (const item of list.querySelectorAll('li')) {
    item.hidden = needle !== '' && !item.textContent.toLowerCase().includes(needle)
  }
})

// Ask before destructive actions (archive, deactivate, remove member).
document.addEventListener('submit', (event) => {
  const form = event.target
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault()
    event.stopImmediatePropagation()
  }
}, true)

// A failed htmx request (403, 5xx, network) must never fail silently.
document.addEventListener('htmx:response:error', (event) => {
  const status = event.detail?.ctx?.response?.status
  // These answers carry their own explanation, swapped in where the person acted (402: an AI budget
  // is reached, 409: refused as things stand, 422: invalid input, 429: slow down).
  if ([402, 409, 422, 429].includes(status)) return
  const region = document.getElementById('request-errors')
  if (!region) return
  region.textContent =
    status === 403
      ? 'This page has expired. Reload it and try again.'
      : 'Something went wrong while saving. Nothing you typed was lost; try again.'
  region.hidden = false
})
