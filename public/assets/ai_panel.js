/*
 * The composer's AI panels (partials/ai/text_panel.edge, image_panel.edge).
 *
 * Text: the panel's form is sent with fetch() and the answer, one JSON event a
 * line (application/x-ndjson), is written into the target textarea as it
 * arrives. Stop aborts the fetch (the server then stops the provider call and
 * records what was written). The text that was there before is kept for Undo
 * and put back when a generation fails: nothing the person wrote is lost.
 *
 * Images: htmx posts the form and polls the status; once the result is in the
 * page this script announces it with a `herald:media-added` event.
 */
;(() => {
  const NDJSON = 'application/x-ndjson'

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]')
    if (meta) return meta.content
    try {
      return JSON.parse(document.body.getAttribute('hx-headers:inherited') || '{}')['x-csrf-token'] || ''
    } catch {
      return ''
    }
  }

  /** Tells listeners (counters, previews) that the textarea changed. */
  function changed(textarea) {
    textarea.dispatchEvent(new Event('input', { bubbles: true }))
  }

  function setupTextPanel(panel) {
    const form = panel.querySelector('[data-ai-text-form]')
    // Looked up each time: the composer re-renders its form (and this textarea) on some changes.
    const textarea = () => document.getElementById(panel.dataset.target)
    if (!form || !textarea() || panel.dataset.aiReady) return
    panel.dataset.aiReady = 'true'
    for (const element of panel.querySelectorAll('[data-ai-js-only]')) element.hidden = false

    const status = form.querySelector('[data-ai-status]')
    const errorBox = form.querySelector('[data-ai-error]')
    const stopButton = form.querySelector('[data-ai-stop]')
    const undoButton = form.querySelector('[data-ai-undo]')
    const regenerateButton = form.querySelector('[data-ai-purpose="regenerate"]')
    const actionButtons = form.querySelectorAll('[data-ai-generate], [data-ai-purpose]')
    let running = null
    let before = null

    function showError(message) {
      errorBox.textContent = message
      errorBox.hidden = false
    }

    function busy(on) {
      panel.setAttribute('aria-busy', on ? 'true' : 'false')
      textarea().setAttribute('aria-busy', on ? 'true' : 'false')
      stopButton.hidden = !on
      for (const button of actionButtons) button.disabled = on
    }

    /**
     * Target networks: the checked inputs matching the panel's selector, each naming a publisher plugin
     * in data-ai-network (account checkboxes) or its value. Without such inputs on the page, the
     * networks the panel was rendered with.
     */
    function networks() {
      const selector = panel.dataset.networksSelector
      const chosen = selector
        ? [...document.querySelectorAll(selector)].map((input) => input.dataset.aiNetwork || input.value)
        : []
      const offered = selector && document.querySelector(selector.replace(/:checked$/, ''))
      if (chosen.length || offered) return [...new Set(chosen)]
      return [...form.querySelectorAll('[data-ai-static-network]')].map((input) => input.value)
    }

    async function generate(purpose) {
      if (running) return
      errorBox.hidden = true
      const body = new FormData(form)
      body.set('purpose', purpose)
      body.set('baseText', textarea().value)
      body.delete('networks[]')
      for (const network of networks()) body.append('networks[]', network)

      const controller = new AbortController()
      running = controller
      busy(true)
      status.textContent = purpose === 'generate' || purpose === 'regenerate' ? 'Writing…' : 'Rewriting…'
      const previous = textarea().value
      let started = false
      let written = ''
      try {
        const response = await fetch(form.action, {
          method: 'POST',
          body,
          signal: controller.signal,
          headers: { 'accept': `${NDJSON}, application/json;q=0.9`, 'x-csrf-token': csrfToken() },
          credentials: 'same-origin',
        })
        const type = response.headers.get('content-type') || ''
        if (!response.ok || !type.includes(NDJSON)) {
          const answer = type.includes('json') ? await response.json().catch(() => ({})) : {}
          const message =
            answer.error ||
            (response.status === 403
              ? 'This page has expired or you may not generate here. Reload the page and try again.'
              : 'The text could not be generated. Nothing you wrote was changed; try again.')
          showError(message)
          if (answer.field === 'prompt') form.querySelector('[name="prompt"]')?.focus()
          status.textContent = ''
          return
        }
        // The text area now belongs to the generation; what it held is kept for Undo.
        before = previous
        started = true
        textarea().value = ''
        changed(textarea())
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ''
        let finished = false
        while (!finished) {
          const { value, done } = await reader.read()
          if (done) break
          buffer += value
          let newline
          while ((newline = buffer.indexOf('\n')) !== -1) {
            const line = buffer.slice(0, newline).trim()
            buffer = buffer.slice(newline + 1)
            if (!line) continue
            const event = JSON.parse(line)
            if (event.type === 'delta') {
              written += event.text
              textarea().value = written
              textarea().scrollTop = textarea().scrollHeight
              changed(textarea())
            } else if (event.type === 'done') {
              finished = true
              status.textContent = `Written with ${form.querySelector('[name="model"]')?.selectedOptions?.[0]?.textContent?.split(' · ')[0] || 'AI'} · ${event.cost} · ${(event.latencyMs / 1000).toFixed(1)} s`
              panel.dispatchEvent(new CustomEvent('herald:ai-text-done', { bubbles: true, detail: { generationId: event.generationId, cost: event.cost, text: written } }))
            } else if (event.type === 'error') {
              finished = true
              textarea().value = previous
              changed(textarea())
              before = null
              status.textContent = ''
              showError(`${event.status === 'refused' ? 'Refused: ' : ''}${event.message} Your text was put back.`)
            }
          }
        }
        if (!finished) throw new Error('incomplete')
        regenerateButton.hidden = false
      } catch (error) {
        if (controller.signal.aborted) {
          status.textContent = written
            ? 'Stopped. What was written so far is kept; Undo puts back your text.'
            : 'Stopped.'
          if (!written && started) {
            textarea().value = previous
            changed(textarea())
          }
        } else {
          if (started) {
            textarea().value = previous
            changed(textarea())
          }
          status.textContent = ''
          showError('The connection was lost while generating. Your text was put back; try again.')
        }
      } finally {
        running = null
        busy(false)
        undoButton.hidden = before === null || textarea().value === before
      }
    }

    form.addEventListener('submit', (event) => {
      event.preventDefault()
      generate(event.submitter?.value || 'generate')
    })
    for (const button of form.querySelectorAll('[data-ai-purpose]')) {
      button.addEventListener('click', () => generate(button.dataset.aiPurpose))
    }
    stopButton.addEventListener('click', () => running?.abort())
    undoButton.addEventListener('click', () => {
      if (before === null) return
      textarea().value = before
      before = null
      changed(textarea())
      undoButton.hidden = true
      status.textContent = 'Your text is back.'
      textarea().focus()
    })
  }

  function setupImagePanel(panel) {
    if (!panel.dataset.aiReady) {
      panel.dataset.aiReady = 'true'
      const source = document.getElementById(panel.dataset.source)
      const prompt = panel.querySelector('[name="imagePrompt"]')
      for (const element of panel.querySelectorAll('[data-ai-js-only]')) element.hidden = !source
      panel.querySelector('[data-ai-use-text]')?.addEventListener('click', () => {
        if (!source || !prompt) return
        prompt.value = source.value.trim()
        prompt.focus()
      })
      // Starts from the post text while the description is still empty.
      if (source && prompt && !prompt.value.trim() && source.value.trim()) prompt.value = source.value.trim()
    }
    const result = panel.querySelector('[data-ai-image-result]')
    if (result && !result.dataset.announced) {
      result.dataset.announced = 'true'
      panel.dispatchEvent(
        new CustomEvent('herald:media-added', {
          bubbles: true,
          detail: { id: Number(result.dataset.mediaId), url: result.dataset.mediaUrl, alt: result.dataset.mediaAlt },
        })
      )
    }
  }

  function scan() {
    for (const panel of document.querySelectorAll('[data-ai-text-panel]')) setupTextPanel(panel)
    for (const panel of document.querySelectorAll('[data-ai-image-panel]')) setupImagePanel(panel)
  }

  // A generated post is a good start for the image: used while the description is empty.
  document.addEventListener('herald:ai-text-done', (event) => {
    for (const panel of document.querySelectorAll('[data-ai-image-panel]')) {
      const prompt = panel.querySelector('[name="imagePrompt"]')
      if (prompt && !prompt.value.trim()) prompt.value = event.detail.text.trim()
    }
  })

  // Panels and results arrive through htmx swaps too (the image status polls itself).
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true })
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan)
  else scan()
})()
