/*
 * The calendar's drag and drop. A chip dropped on another day moves its post
 * there at the same local time, by submitting the chip's own "Move" form with
 * the new date: the same request, rules and answer (the calendar re-rendered
 * with the outcome in words) as typing the date. Without JavaScript, or from
 * the keyboard, the "Move" form does it all.
 */
;(() => {
  let dragged = null
  let over = null

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
    const form = chip.querySelector('form[data-calendar-move]')
    const from = chip.closest('[data-calendar-day]')
    reset()
    if (!form || from === day) return
    form.elements.scheduleDate.value = day.dataset.calendarDay
    // The post keeps its time of day, whatever was typed in its form and not sent.
    form.elements.scheduleTime.value = form.elements.scheduleTime.defaultValue
    // Shown on its new day at once; the server's calendar replaces this either way.
    chip.classList.add('is-moving')
    day.querySelector('.chips')?.append(chip.parentElement)
    form.requestSubmit()
  })

  // Escape closes an open "Move" and gives the focus back to its button.
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !(event.target instanceof Element)) return
    const open = event.target.closest('details.move-to[open]')
    if (!open) return
    open.open = false
    open.querySelector('summary')?.focus()
  })

  // One "Move" open at a time.
  document.addEventListener(
    'toggle',
    (event) => {
      const details = event.target
      if (!(details instanceof HTMLDetailsElement) || !details.matches('.move-to') || !details.open) {
        return
      }
      for (const other of document.querySelectorAll('details.move-to[open]')) {
        if (other !== details) other.open = false
      }
    },
    true
  )

  // After the calendar comes back from a move, the focus goes to the moved
  // post, the field the server refused or its refusal, so keyboard users keep their place.
  document.addEventListener('htmx:after:swap', () => {
    const calendar = document.getElementById('calendar')
    if (!calendar) return
    const target =
      calendar.querySelector('details.move-to[open] [aria-invalid="true"]') ??
      calendar.querySelector('[data-calendar-focus]') ??
      calendar.querySelector('#calendar-notice')
    target?.focus()
  })
})()
