// The console page: navigation, dead-letter topics with their depth trend, records, replay jobs.
// Plain DOM, textContent only (never innerHTML), the API on the same origin.

import { loadCatalogTopics, setupBrowser } from './browser.js'
import { lineChart, sparkline } from './chart.js'
import { $, age, api, cell, showError, token } from './common.js'
import { loadGroups, setupGroups } from './groups.js'
import { loadJobs, setupJobs } from './jobs.js'

const state = {
  topic: undefined,
  next: undefined,
  records: [],
  job: undefined,
  timer: undefined,
  history: [],
}
const pages = ['groups', 'dead-letters', 'browser']

/** One page at a time, picked by the address's hash (so the back button and links work). */
function showPage() {
  const wanted = location.hash.slice(1)
  const current = pages.includes(wanted) ? wanted : 'dead-letters'
  for (const id of pages) $(id).hidden = id !== current
  for (const link of document.querySelectorAll('#nav a'))
    link.classList.toggle('current', link.getAttribute('href') === `#${current}`)
  if (current === 'groups') void loadGroups()
  if (current === 'browser') void loadCatalogTopics()
  if (current === 'dead-letters') void loadJobs()
}

async function loadDepthHistory() {
  try {
    state.history = (await api('GET', '/api/dead-letters/history')).topics
  } catch (error) {
    state.history = []
    showError(error)
  }
}

function historyOf(topic) {
  return state.history.find((entry) => entry.topic === topic)?.samples ?? []
}

function drawTopicCharts(topic) {
  const samples = historyOf(topic)
  lineChart($('depth-chart'), [{ name: 'depth', points: samples.map((s) => [s.at, s.depth]) }], {
    label: `depth of ${topic}`,
  })
  lineChart(
    $('age-chart'),
    [
      {
        name: 'oldest (min)',
        points: samples.map((s) => [s.at, Math.round((s.oldestAgeMs ?? 0) / 6000) / 10]),
      },
    ],
    { label: `age of the oldest record of ${topic}` },
  )
}

async function loadTopics() {
  showError()
  try {
    const filter = new URLSearchParams(location.search).get('filter')
    const [topics] = await Promise.all([
      api('GET', `/api/topics${filter ? `?filter=${encodeURIComponent(filter)}` : ''}`),
      loadDepthHistory(),
    ])
    const body = $('topics')
    body.replaceChildren()
    for (const t of topics) {
      const row = document.createElement('tr')
      row.dataset.topic = t.topic
      cell(row, t.topic)
      cell(row, t.group || '?')
      cell(row, t.sourceTopic || '?')
      cell(row, String(t.depth))
      cell(row, '').appendChild(sparkline(historyOf(t.topic).map((s) => s.depth)))
      cell(row, age(t.oldestAgeMs))
      cell(row, age(t.newestAgeMs))
      cell(
        row,
        t.scanError === undefined
          ? Object.entries(t.errorClasses)
              .map(([c, n]) => `${c}: ${n}`)
              .join(', ')
          : `records not read: ${t.scanError}`,
      )
      row.addEventListener('click', () => openTopic(t.topic))
      body.appendChild(row)
    }
    if (state.topic) drawTopicCharts(state.topic)
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
  drawTopicCharts(topic)
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
      await Promise.all([loadTopics(), loadJobs()])
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
  setupGroups()
  setupBrowser()
  setupJobs()
  window.addEventListener('hashchange', showPage)
  showPage()
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
