/*
 * The composer's one piece of glue: an image the AI panel just generated
 * (herald:media-added, with { id } in detail) is attached to the post being
 * written. The hidden #composer-attach input carries its id into the
 * composer's structural re-render, which then shows it in the media strip and
 * in every account's preview.
 */
document.addEventListener('herald:media-added', (event) => {
  const input = document.getElementById('composer-attach')
  const id = event.detail && event.detail.id
  if (!(input instanceof HTMLInputElement) || !id || !window.htmx) return
  const attached = [...input.form.querySelectorAll('input[name="mediaIds[]"]:checked')]
  if (attached.some((box) => box.value === String(id))) return
  input.value = String(id)
  input.disabled = false
  window.htmx.trigger(input, 'attach')
})
