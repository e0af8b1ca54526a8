// The dead-letter console: plain DOM, textContent only (never innerHTML), the API on the same origin.

const $ = (id) => document.getElementById(id)
const state = { topic: undefined, next: undefined, records: [], job: undefined, timer: undefined }

function token() {
  return sessionStorage.getItem('dlq-token') || ''
}

async function api(method, path, body) {
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

function showError(error) {
  $('error').textContent = error ? String(error.message || error) : ''
}

function cell(row, text) {
  const td = document.createElement('td')
  td.textContent = text
  row.appendChild(td)
}

function age(ms) {
  if (ms === undefined || ms === null) return '-'
  const s = Math.round(ms / 1000)
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`
}

async function loadTopics() {
  showError()
  try {
    const filter = new URLSearchParams(location.search).get('filter')
    const topics = await api('GET', `/api/topics${filter ? `?filter=${encodeURIComponent(filter)}` : ''}`)
    const body = $('topics')
    body.replaceChildren()
    for (const t of topics) {
      const row = document.createElement('tr')
      row.dataset.topic = t.topic
      cell(row, t.topic)
      cell(row, t.group || '?')
      cell(row, t.sourceTopic || '?')
      cell(row, String(t.depth))
      cell(row, age(t.oldestAgeMs))
      cell(row, age(t.newestAgeMs))
      cell(
        row,
        Object.entries(t.errorClasses)
          .map(([c, n]) => `${c}: ${n}`)
          .join(', '),
      )
      row.addEventListener('click', () => openTopic(t.topic))
      body.appendChild(row)
    }
  } catch (error) {
    showError(error)
  }
}

function selection() {
  const s = {}
  const errorClass = $('f-error-class').value.trim()
  if (errorClass)
    s.errorClass = errorClass
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean)
  const message = $('f-message').value.trim()
  if (message) s.errorMessage = message
  const key = $('f-key').value
  if (key) s.key = key
  const partition = $('f-partition').value.trim()
  if (/^\d+$/.test(partition)) s.partitions = [Number(partition)]
  const where = $('f-where').value.trim()
  if (where) {
    const match = /^([A-Za-z_][\w.]*)\s*(==|!=|>=|<=|>|<|~)\s*(.*)$/.exec(where)
    if (!match) throw new Error('field filter: use path==value, !=, >, >=, <, <= or ~ (contains)')
    const ops = { '==': 'eq', '!=': 'ne', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte', '~': 'contains' }
    const raw = match[3]
    const value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw
    s.where = [{ path: match[1], op: ops[match[2]], value }]
  }
  return s
}

async function openTopic(topic) {
  state.topic = topic
  $('current-topic').textContent = topic
  $('browse').hidden = false
  $('replay').disabled = true
  $('dry-run-result').textContent = ''
  $('dry-run-sample').replaceChildren()
  await loadRecords(false)
}

async function loadRecords(more) {
  showError()
  try {
    const page = await api('POST', `/api/topics/${encodeURIComponent(state.topic)}/records`, {
      selection: selection(),
      limit: 50,
      ...(more && state.next ? { after: state.next } : {}),
    })
    if (!more) {
      state.records = []
      $('records').replaceChildren()
    }
    state.next = page.next
    $('more').hidden = !page.next
    for (const record of page.records) {
      state.records.push(record)
      const row = document.createElement('tr')
      row.className = 'record'
      row.dataset.offset = `${record.partition}:${record.offset}`
      cell(row, `${record.partition}:${record.offset}`)
      cell(row, new Date(Number(record.timestamp)).toISOString())
      cell(row, `${record.headers['eb.error.class'] || '?'}: ${record.headers['eb.error.message'] || ''}`)
      cell(row, record.key.text ?? record.key.base64 ?? 'null')
      row.addEventListener('click', () => {
        for (const other of document.querySelectorAll('tr.selected')) other.classList.remove('selected')
        row.classList.add('selected')
        $('detail').textContent = JSON.stringify(record, null, 2)
      })
      $('records').appendChild(row)
    }
    $('records-summary').textContent =
      `${state.records.length} matching record(s)${page.next ? ', more available' : ''}`
  } catch (error) {
    showError(error)
  }
}

function replayBody() {
  const body = { topic: state.topic, selection: selection(), target: $('target').value }
  const rate = Number($('rate').value)
  if (rate > 0) body.ratePerSecond = rate
  return body
}

async function dryRun() {
  showError()
  try {
    const report = await api('POST', '/api/replays/dry-run', replayBody())
    const overlap = report.overlappingJobs.length
      ? ` Note: ${report.overlappingJobs.length} earlier job(s) covered these offsets; replaying is a new job.`
      : ''
    $('dry-run-result').textContent =
      `Dry-run: ${report.wouldReplay} of ${report.scanned} record(s) would be replayed to ${report.spec.targetTopic}. Nothing was written.${overlap}`
    const list = $('dry-run-sample')
    list.replaceChildren()
    for (const s of report.sample) {
      const item = document.createElement('li')
      item.textContent = `${s.record.partition}:${s.record.offset} key ${s.record.key.text ?? 'null'} → ${s.to}`
      list.appendChild(item)
    }
    $('replay').disabled = report.wouldReplay === 0
  } catch (error) {
    showError(error)
  }
}

function showJob(job) {
  $('job').hidden = false
  $('job-id').textContent = job.spec.id
  $('job-progress').value = job.fraction ?? 0
  $('job-status').textContent = job.status
  $('job-replayed').textContent = String(job.counts.replayed)
}

async function pollJob() {
  try {
    const job = await api('GET', `/api/replays/${state.job}`)
    showJob(job)
    if (['done', 'cancelled', 'failed'].includes(job.status)) {
      clearInterval(state.timer)
      state.timer = undefined
      await loadTopics()
    }
  } catch (error) {
    if (!String(error.message).startsWith('404')) showError(error)
  }
}

async function replay() {
  showError()
  try {
    const started = await api('POST', '/api/replays', replayBody())
    state.job = started.id
    $('replay').disabled = true
    showJob({ spec: started.spec, status: 'starting', counts: { replayed: 0 }, fraction: 0 })
    clearInterval(state.timer)
    state.timer = setInterval(pollJob, 500)
  } catch (error) {
    showError(error)
  }
}

async function control(action) {
  showError()
  try {
    await api('POST', `/api/replays/${state.job}/${action}`)
  } catch (error) {
    showError(error)
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('token').value = token()
  $('save-token').addEventListener('click', () => {
    sessionStorage.setItem('dlq-token', $('token').value.trim())
    $('who').textContent = token() ? 'token set' : ''
  })
  $('refresh').addEventListener('click', loadTopics)
  $('filter').addEventListener('submit', (event) => {
    event.preventDefault()
    $('replay').disabled = true
    void loadRecords(false)
  })
  $('more').addEventListener('click', () => loadRecords(true))
  $('dry-run').addEventListener('click', dryRun)
  $('replay').addEventListener('click', replay)
  $('job-pause').addEventListener('click', () => control('pause'))
  $('job-resume').addEventListener('click', () => control('resume'))
  $('job-cancel').addEventListener('click', () => control('cancel'))
  void loadTopics()
})
