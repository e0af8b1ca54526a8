// Every replay job (the console's and the CLI's), with Pause, Resume and Cancel per job.

import { $, api, cell, showError } from './common.js'

const final = ['done', 'cancelled']

/** Which controls make sense: pause only where the job runs, resume a job stopped or paused, cancel until it ends. */
function allowed(job) {
  return {
    pause: job.live && job.status === 'running',
    resume: !final.includes(job.status) && (job.status === 'paused' || !job.live),
    cancel: !final.includes(job.status),
  }
}

export async function loadJobs() {
  try {
    const jobs = await api('GET', '/api/replays')
    const body = $('jobs')
    body.replaceChildren()
    for (const job of jobs.reverse()) {
      const row = document.createElement('tr')
      row.dataset.job = job.spec.id
      cell(row, job.spec.id)
      cell(row, `${job.spec.topic} → ${job.spec.targetTopic}`)
      cell(
        row,
        job.live || final.includes(job.status) ? job.status : `${job.status} (not in this console)`,
      ).className = 'job-status'
      cell(row, `${Math.round(job.fraction * 100)}%`)
      cell(row, String(job.counts.replayed))
      cell(row, job.spec.createdBy)
      const controls = cell(row, '')
      const can = allowed(job)
      for (const action of ['pause', 'resume', 'cancel']) {
        const button = document.createElement('button')
        button.type = 'button'
        button.className = `job-${action}`
        button.textContent = action[0].toUpperCase() + action.slice(1)
        button.disabled = !can[action]
        button.addEventListener('click', async () => {
          showError()
          try {
            await api('POST', `/api/replays/${encodeURIComponent(job.spec.id)}/${action}`)
          } catch (error) {
            showError(error)
          }
          await loadJobs()
        })
        controls.appendChild(button)
      }
      body.appendChild(row)
    }
  } catch (error) {
    showError(error)
  }
}

export function setupJobs() {
  $('jobs-refresh').addEventListener('click', loadJobs)
}
