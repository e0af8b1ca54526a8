// Consumer groups: every group with its state and lag; one group's members, partitions and lag chart.

import { lineChart } from './chart.js'
import { $, api, cell, showError } from './common.js'

const state = { group: undefined }

export async function loadGroups() {
  showError()
  try {
    const { groups } = await api('GET', '/api/groups')
    const body = $('group-list')
    body.replaceChildren()
    for (const g of groups) {
      const row = document.createElement('tr')
      row.dataset.group = g.groupId
      cell(row, g.groupId)
      cell(row, g.state)
      cell(row, String(g.members))
      cell(row, String(g.totalLag))
      row.addEventListener('click', () => openGroup(g.groupId))
      body.appendChild(row)
    }
    if (state.group) await openGroup(state.group)
  } catch (error) {
    showError(error)
  }
}

/** Each partition's lag as one line over the samples the console's timer took. */
function lagSeries(history) {
  const lines = new Map()
  for (const sample of history.samples) {
    for (const p of sample.partitions) {
      const name = `${p.topic}[${p.partition}]`
      if (!lines.has(name)) lines.set(name, [])
      lines.get(name).push([sample.at, p.lag])
    }
  }
  return [...lines].map(([name, points]) => ({ name, points }))
}

export async function openGroup(groupId) {
  state.group = groupId
  showError()
  try {
    const [group, history] = await Promise.all([
      api('GET', `/api/groups/${encodeURIComponent(groupId)}`),
      api('GET', `/api/groups/${encodeURIComponent(groupId)}/lag-history`),
    ])
    $('group').hidden = false
    $('group-id').textContent = group.groupId
    $('group-state').textContent = `${group.state}, total lag ${group.totalLag}`
    const members = $('group-members')
    members.replaceChildren()
    for (const m of group.members) {
      const row = document.createElement('tr')
      cell(row, m.clientId)
      cell(row, m.host)
      cell(row, m.assignment.map((a) => `${a.topic}[${a.partitions.join(',')}]`).join(' ') || '-')
      members.appendChild(row)
    }
    if (group.members.length === 0) cell(members.insertRow(), 'no members: nothing consumes now')
    const partitions = $('group-partitions')
    partitions.replaceChildren()
    for (const p of group.partitions) {
      const row = document.createElement('tr')
      row.dataset.partition = `${p.topic}[${p.partition}]`
      cell(row, p.topic)
      cell(row, String(p.partition))
      cell(row, p.committed ?? '-')
      cell(row, p.end)
      cell(row, String(p.lag))
      partitions.appendChild(row)
    }
    lineChart($('lag-chart'), lagSeries(history), {
      label: `lag of ${groupId} per partition`,
      empty: history.intervalMs
        ? 'No lag measured yet for this group.'
        : 'Lag history is off (DLQ_METRICS_INTERVAL=0).',
    })
    $('lag-chart-note').textContent = history.intervalMs
      ? `Measured every ${history.intervalMs / 1000}s, the last ${Math.round(history.windowMs / 60000)} min kept.`
      : ''
  } catch (error) {
    showError(error)
  }
}

export function setupGroups() {
  $('groups-refresh').addEventListener('click', loadGroups)
  // An open group follows its lag as the console measures it, as the anchors' live views do.
  setInterval(() => {
    if (state.group && !$('groups').hidden && document.visibilityState === 'visible')
      void openGroup(state.group)
  }, 5_000)
}
