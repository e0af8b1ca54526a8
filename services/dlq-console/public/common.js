// Shared by the console's pages: DOM lookups, the same-origin JSON API, and error display.

export const $ = (id) => document.getElementById(id)

export function token() {
  return sessionStorage.getItem('dlq-token') || ''
}

export async function api(method, path, body) {
  const headers = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (token()) headers.authorization = `Bearer ${token()}`
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const data = await response.json().catch(() => ({}))
  if (!response.ok)
    throw new Error(`${response.status}: ${data.message || data.error || response.statusText}`)
  return data
}

export function showError(error) {
  $('error').textContent = error ? String(error.message || error) : ''
}

export function cell(row, text) {
  const td = document.createElement('td')
  td.textContent = text
  row.appendChild(td)
  return td
}

export function age(ms) {
  if (ms === undefined || ms === null) return '-'
  const s = Math.round(ms / 1000)
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`
}
