// The ffc console: a flag list and one flag's region × service grid, live through server-sent events.
'use strict';

const view = document.getElementById('view');
const LETTERS = { acknowledged: 'A', current: 'C', older: 'O', missing: 'M' };
let stream;

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function show(...nodes) {
  view.replaceChildren(...nodes);
  view.setAttribute('aria-busy', 'false');
}

async function json(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

async function flagList() {
  const { stage, where, flags } = await json('/api/flags');
  document.getElementById('stage').textContent = `stage ${stage} (${where})`;
  const rows = flags.map((f) =>
    el(
      'tr',
      {},
      el(
        'td',
        {},
        f.kind === 'archive' ? f.flagKey : el('a', { href: `#/flag/${encodeURIComponent(f.flagKey)}` }, f.flagKey),
      ),
      el('td', {}, `v${f.version} (${f.kind})`),
      el(
        'td',
        {},
        el(
          'span',
          { class: `badge ${f.rollbackInProgress ? 'rollback' : f.converged ? 'ok' : 'bad'}` },
          f.kind === 'archive'
            ? 'archived'
            : f.rollbackInProgress
              ? 'rollback in progress'
              : f.converged
                ? 'converged'
                : 'not converged',
        ),
      ),
      el('td', {}, `${f.serving}/${f.expected} services`),
      el('td', {}, `${f.changedBy ?? '-'} at ${f.changedAt ?? '-'}`),
    ),
  );
  show(
    el('h2', {}, 'Flags'),
    flags.length === 0
      ? el('p', {}, 'No flags in this stage yet.')
      : el(
          'table',
          { class: 'flags' },
          el('caption', { class: 'notes' }, 'Every flag with the state of its current version'),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...['flag', 'version', 'state', 'serving', 'changed'].map((h) => el('th', { scope: 'col' }, h)),
            ),
          ),
          el('tbody', {}, ...rows),
        ),
  );
}

function timelineText(e) {
  const d = e.details;
  switch (e.type) {
    case 'change.requested':
      return `requested: ${d.reason ?? ''}`;
    case 'change.rejected':
      return `validation rejected it: ${d.ruleIds.join(', ')}${d.messages ? ` — ${d.messages.join('; ')}` : ''}`;
    case 'change.published':
      return `validated and published to ${d.targetServices.length} services`;
    case 'change.applied':
      return `applied ${d.appliedCount}/${d.expectedCount}${d.missingServices.length ? `; missing ${d.missingServices.join(', ')}` : ''}`;
    case 'change.verified':
      return `verified (${d.verifiedServices} services)`;
    case 'change.inconsistent':
      return `inconsistent: ${d.differences.map((x) => `${x.service} has ${x.observedVersion === null ? 'nothing' : `v${x.observedVersion}`}`).join(', ')}`;
    case 'rollback.started':
      return `rollback started v${d.fromVersion} → v${d.toVersion}: ${d.reason}`;
    case 'rollback.completed':
      return `rollback completed v${d.fromVersion} → v${d.toVersion}`;
    case 'rollback.failed':
      return `rollback failed: ${d.error}`;
    case 'alert.raised':
      return `alert (${d.severity}): ${d.message}`;
    default:
      return e.type;
  }
}

/** Arrow keys move the focus across the grid (one tab stop for the whole grid: a roving tabindex). */
function gridKeys(grid, announce) {
  grid.addEventListener('keydown', (event) => {
    const cell = event.target.closest('.cell');
    if (!cell) return;
    const row = cell.closest('.row');
    const cells = [...row.querySelectorAll('.cell')];
    const rows = [...grid.querySelectorAll('.row')];
    let index = cells.indexOf(cell);
    let rowIndex = rows.indexOf(row);
    switch (event.key) {
      case 'ArrowRight':
        index = Math.min(index + 1, cells.length - 1);
        break;
      case 'ArrowLeft':
        index = Math.max(index - 1, 0);
        break;
      case 'ArrowDown':
        rowIndex = Math.min(rowIndex + 1, rows.length - 1);
        break;
      case 'ArrowUp':
        rowIndex = Math.max(rowIndex - 1, 0);
        break;
      case 'Home':
        index = 0;
        break;
      case 'End':
        index = cells.length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    const targetCells = [...rows[rowIndex].querySelectorAll('.cell')];
    const next = targetCells[Math.min(index, targetCells.length - 1)];
    cell.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  });
  grid.addEventListener('focusin', (event) => {
    const cell = event.target.closest('.cell');
    if (cell) announce.textContent = cell.getAttribute('aria-label');
  });
}

let focusedCell;

function renderFlag(page) {
  const { state, labels, timeline } = page;
  const v = state.current.version;
  const summary = state.rollbackInProgress
    ? `rollback of v${state.rollbackInProgress.fromVersion} in progress (by ${state.rollbackInProgress.changedBy})`
    : state.converged
      ? 'converged everywhere'
      : 'not converged';
  const legend = el(
    'ul',
    { class: 'legend', 'aria-label': 'What the cell colours and letters mean' },
    ...Object.entries(labels).map(([cellState, label]) =>
      el(
        'li',
        {},
        el('span', { class: 'cell', 'data-state': cellState, 'aria-hidden': 'true' }, LETTERS[cellState]),
        `${LETTERS[cellState]} = ${label}`,
      ),
    ),
  );
  const announce = el(
    'p',
    { id: 'focused', 'aria-live': 'polite' },
    'Focus the grid and use the arrow keys to read each cell.',
  );
  const grid = el('div', { class: 'grid', role: 'grid', 'aria-label': `Region × service: what each serves of v${v}` });
  let first = true;
  for (const region of state.regions) {
    const header = el(
      'div',
      { class: 'rowheader', role: 'rowheader' },
      `${region.region}: ${region.serving ?? '?'}/${region.expected} ${region.verified ? '✓ verified' : 'not verified'}`,
    );
    const cells = el('div', { class: 'cells' });
    for (const cell of region.services ?? []) {
      const label = `${cell.service} in ${region.region}: ${labels[cell.state]}${cell.version === null ? '' : ` (v${cell.version})`}`;
      const id = `${region.region}/${cell.service}`;
      const tabbable = focusedCell ? focusedCell === id : first;
      first = false;
      cells.append(
        el(
          'span',
          {
            class: 'cell',
            role: 'gridcell',
            tabindex: tabbable ? 0 : -1,
            'data-state': cell.state,
            'data-region': region.region,
            'data-service': cell.service,
            'aria-label': label,
            title: label,
            'data-id': id,
          },
          LETTERS[cell.state],
        ),
      );
    }
    grid.append(el('div', { class: 'row', role: 'row' }, header, cells));
  }
  gridKeys(grid, announce);
  grid.addEventListener('focusin', (event) => {
    const cell = event.target.closest('.cell');
    if (cell) focusedCell = cell.dataset.id;
  });
  const events = el(
    'ol',
    { class: 'timeline', 'aria-label': 'Timeline of the last changes, oldest first' },
    ...timeline.map((e) =>
      el(
        'li',
        {
          class: e.type.startsWith('rollback') ? 'rollback' : e.type === 'alert.raised' ? 'alert' : '',
          'data-type': e.type,
        },
        `${e.occurredAt}  ${e.region}  v${e.version}  ${e.actor}  ${timelineText(e)}`,
      ),
    ),
  );
  const hadFocus = document.activeElement && document.activeElement.classList.contains('cell');
  show(
    el('p', {}, el('a', { href: '#/' }, '← all flags')),
    el('h2', {}, `${state.flagKey} v${v}`),
    el(
      'p',
      { id: 'summary', 'aria-live': 'polite' },
      `${summary}; last known good ${state.lastKnownGood ? `v${state.lastKnownGood.version}` : 'none'}`,
    ),
    legend,
    grid,
    announce,
    ...state.notes.map((n) => el('p', { class: 'notes' }, n)),
    el('h3', {}, 'Timeline'),
    timeline.length ? events : el('p', {}, 'No audit events yet.'),
  );
  // A live update must not steal or drop the keyboard focus.
  if (hadFocus && focusedCell) view.querySelector(`[data-id="${CSS.escape(focusedCell)}"]`)?.focus();
}

function flagPage(flagKey) {
  const source = new EventSource(`/api/flags/${encodeURIComponent(flagKey)}/events`);
  stream = source;
  source.addEventListener('state', (event) => renderFlag(JSON.parse(event.data)));
  source.addEventListener('failure', (event) => show(el('p', { role: 'alert' }, JSON.parse(event.data).error)));
}

function route() {
  stream?.close();
  stream = undefined;
  focusedCell = undefined;
  view.setAttribute('aria-busy', 'true');
  const match = /^#\/flag\/(.+)$/.exec(location.hash);
  if (match) flagPage(decodeURIComponent(match[1]));
  else flagList().catch((error) => show(el('p', { role: 'alert' }, error.message)));
}

window.addEventListener('hashchange', route);
route();
