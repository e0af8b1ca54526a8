// The topic browser: any catalog topic by offset, time or key, decoded, with a field or text filter.

import { $, api, cell, showError } from './common.js'

const state = { next: undefined }

function shown(bytes) {
  if (bytes.kind === 'avro') return JSON.stringify(bytes.value)
  if (bytes.kind === 'null') return 'null'
  const why = bytes.error ? ` (not decoded: ${bytes.error})` : ''
  return bytes.text !== undefined ? `${bytes.text}${why}` : `base64:${bytes.base64}${why}`
}

function query(page) {
  const params = new URLSearchParams()
  const mode = $('b-mode').value
  const add = (name, id) => {
    const value = $(id).value.trim()
    if (value) params.set(name, value)
  }
  add('partition', 'b-partition')
  if (mode === 'offset') add('offset', 'b-offset')
  if (mode === 'timestamp') add('timestamp', 'b-timestamp')
  if (mode === 'key') {
    params.set('key', $('b-key').value)
    add('scan', 'b-scan')
  }
  add('where', 'b-where')
  add('q', 'b-q')
  add('limit', 'b-limit')
  if (page) {
    params.set('partition', String(page.partition))
    params.set('offset', page.offset)
  }
  return params
}

async function read(page) {
  showError()
  try {
    const topic = $('b-topic').value.trim()
    if (!topic) throw new Error('choose a topic to read')
    const result = await api('GET', `/api/browse/${encodeURIComponent(topic)}?${query(page)}`)
    const body = $('b-records')
    body.replaceChildren()
    for (const r of result.records) {
      const row = document.createElement('tr')
      row.className = 'b-record'
      row.dataset.offset = `${r.partition}:${r.offset}`
      cell(row, `${r.partition}:${r.offset}`)
      cell(row, new Date(Number(r.timestamp)).toISOString())
      cell(row, shown(r.key))
      cell(row, shown(r.value)).className = 'value'
      row.addEventListener('click', () => {
        $('b-detail').textContent = JSON.stringify(r, null, 2)
      })
      body.appendChild(row)
    }
    const read = result.ranges
      .filter((range) => range.from !== range.to)
      .map((range) => `${range.partition}:${range.from}–${range.to}`)
      .join(', ')
    const why = result.stopped === 'timeout' ? ` Stopped after ${result.bounds.timeoutMs / 1000}s.` : ''
    $('b-summary').textContent =
      `${result.records.length} record(s) shown; ${result.scanned} read from offsets ${read || 'none'}` +
      ` (at most ${result.bounds.maxScan} per request, ${result.bounds.maxLimit} shown).${why}`
    state.next = result.next
    $('b-next').hidden = !result.next
  } catch (error) {
    showError(error)
  }
}

export async function loadCatalogTopics() {
  try {
    const { topics } = await api('GET', '/api/catalog/topics')
    $('b-topics').replaceChildren(
      ...topics.map((t) => {
        const option = document.createElement('option')
        option.value = t.topic
        option.label = `${t.eventTypes.join(', ')}${t.exists ? '' : ' (not created)'}`
        return option
      }),
    )
  } catch (error) {
    showError(error)
  }
}

export function setupBrowser() {
  $('browse-form').addEventListener('submit', (event) => {
    event.preventDefault()
    void read()
  })
  $('b-next').addEventListener('click', () => read(state.next))
}
