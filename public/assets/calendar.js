/*
 * The calendar's drag and drop, and its "Move" forms.
 *
 * A chip dropped on another day moves its post there at the same local time:
 * the same request as the "Move" form (PUT data-move-url with the date, the
 * time and the period on screen), answered by the calendar re-rendered with
 * the outcome in words. "Move" links load their form into the chip (htmx);
 * this file only opens, closes and focuses them. Without JavaScript the link
 * opens the form on its own page.
 */
;(() => {
  let dragged = null
  let over = null

  const calendar = () => document.getElementById('calendar')

  function chipOf(target) {
    return target instanceof Element ? target.closest('[data-calendar-chip][draggable="true"]') : null
  }

  function dayOf(target) {
    return target instanceof Element ? target.closest('#calendar [data-calendar-day]') : null
  }

  function highlight(day) {
    if (over === day) return
    over?.classList.remove('drop-target')
    over = day
    over?.classList.add('drop-target')
  }

  function reset() {
    dragged?.classList.remove('is-dragging')
    dragged = null
    highlight(null)
  }

  document.addEventListener('dragstart', (event) => {
    const chip = chipOf(event.target)
    if (!chip) return
    dragged = chip
    chip.classList.add('is-dragging')
    event.dataTransfer.effectAllowed = 'move'
    event.dataTransfer.setData('text/plain', chip.dataset.calendarChip)
  })

  document.addEventListener('dragover', (event) => {
    if (!dragged) return
    const day = dayOf(event.target)
    highlight(day)
    if (!day) return
    event.preventDefault()
    event.dataTransfer.dropEffect = 'move'
  })

  document.addEventListener('dragend', reset)

  document.addEventListener('drop', (event) => {
    const chip = dragged
    const day = dayOf(event.target)
    if (!chip || !day) return reset()
    event.preventDefault()
    const from = chip.closest('[data-calendar-day]')
    reset()
    if (from === day || !window.htmx) return
    const shown = calendar()
    // Shown on its new day at once; the calendar the server sends replaces it either way.
    chip.classList.add('is-moving')
    day.querySelector('.chips')?.append(chip.parentElement)
    window.htmx.ajax('PUT', chip.dataset.moveUrl, {
      source: chip,
      target: '#calendar',
      swap: 'outerHTML',
      values: {
        scheduleDate: day.dataset.calendarDay,
        scheduleTime: chip.dataset.time,
        view: shown.dataset.calendar,
        date: shown.dataset.calendarAnchor,
      },
    })
  })

  function slotOf(button) {
    return document.getElementById(button.getAttribute('aria-controls'))
  }

  function close(button, focus) {
    const slot = slotOf(button)
    if (slot) slot.replaceChildren()
    button.setAttribute('aria-expanded', 'false')
    if (focus) button.focus()
  }

  function closeAll(except) {
    for (const button of document.querySelectorAll('[data-calendar-move-button][aria-expanded="true"]')) {
      if (button !== except) close(button, false)
    }
  }

  // "Move" again, or a click elsewhere, closes the form; opening one closes the others.
  document.addEventListener(
    'click',
    (event) => {
      const target = event.target instanceof Element ? event.target : null
      const button = target?.closest('[data-calendar-move-button]')
      if (button && slotOf(button)?.childElementCount) {
        event.preventDefault()
        event.stopPropagation()
        close(button, true)
        return
      }
      if (!target?.closest('.move-to')) closeAll(null)
      else if (button) closeAll(button)
    },
    true
  )

  // Escape closes an open form and gives the focus back to its "Move".
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !(event.target instanceof Element)) return
    const button = event.target.closest('.move-to')?.querySelector('[data-calendar-move-button]')
    if (button?.getAttribute('aria-expanded') === 'true') close(button, true)
  })

  document.addEventListener('htmx:after:swap', (event) => {
    // A "Move" form arrived in its chip: open, with the date field focused.
    // (htmx fires this on the element that asked; the swapped one is the request's target)
    const swapped = event.detail?.ctx?.target
    const slot = swapped instanceof Element && swapped.matches('.move-slot') ? swapped : null
    if (slot) {
      document.querySelector(`[aria-controls="${slot.id}"]`)?.setAttribute('aria-expanded', 'true')
      slot.querySelector('input[type="date"]')?.focus()
      return
    }
    // The calendar came back from a move: the focus goes to the field the
    // server refused, the moved post, or the refusal, so keyboard users keep their place.
    const shown = calendar()
    if (!shown || !shown.querySelector('#calendar-notice')) return
    const focus =
      shown.querySelector('.move-slot [aria-invalid="true"]') ??
      shown.querySelector('[data-calendar-focus]') ??
      shown.querySelector('#calendar-notice')
    focus?.focus()
  })
})()
