// Search as you type in the key worker list. Without this file the list is a plain select
// grouped by organisation, which works on its own; this only hides the options that do not
// match what is typed (name, job title or organisation) and never changes the chosen value.
const pickers = document.querySelectorAll('select[data-picker="key-worker"]')

for (const select of pickers) {
  const search = document.createElement('input')
  search.type = 'search'
  search.id = `${select.id}-search`
  search.className = 'govuk-input govuk-!-width-two-thirds govuk-!-margin-bottom-2'
  search.autocomplete = 'off'
  search.setAttribute('aria-controls', select.id)
  const label = document.createElement('label')
  label.className = 'govuk-label'
  label.htmlFor = search.id
  label.textContent = 'Search the list'
  const count = document.createElement('p')
  count.className = 'govuk-body-s'
  count.setAttribute('aria-live', 'polite')
  select.before(label, search, count)

  const filter = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean)
    let shown = 0
    for (const group of select.querySelectorAll('optgroup')) {
      let any = false
      for (const option of group.querySelectorAll('option')) {
        const text = `${option.textContent} ${group.label}`.toLowerCase()
        const match = option.selected || words.every((word) => text.includes(word))
        option.hidden = !match
        any = any || match
        if (match && !option.selected) shown += 1
      }
      group.hidden = !any
    }
    count.textContent = words.length ? `${shown} ${shown === 1 ? 'person matches' : 'people match'}` : ''
    if (words.length && shown > 0 && select.size < 2) {
      select.size = Math.min(shown + 1, 8)
    } else if (!words.length) {
      select.size = 0
    }
  }
  search.addEventListener('input', filter)
}
