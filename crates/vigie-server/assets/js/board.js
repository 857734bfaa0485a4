// The task board: the response tasks the user may see, one column per status, the
// warning-to-response figures (GET /coord/chain), a form for a new task (prefilled when it
// comes from an alert) and, for each task, its details, history and the changes of status the
// user may try. The server alone decides what is visible and which change is allowed: the
// board shows its answers and its errors.

import { h, clear } from './dom.js';
import { formErrors, field, checkbox, option, audienceFields, dayInput, isDay } from './form.js';
import { api, get, forget } from './api.js';
import { t, num, day, current, plural } from './i18n.js';
import { dl, dec, pct, when, markingBanner, sharedWith } from './warning.js';
import { banner } from './detail.js';
import { STATUSES, TASK_TYPES, statusName, typeName, priorityName, places } from './tasks.js';

const money = (n) => (n === null || n === undefined ? '–'
  : new Intl.NumberFormat(current(), { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(n));

/** The warning-to-response figures. */
function chainFigures(chain) {
  const f = chain.figures || {};
  const outcomes = Object.entries(f.outcomes || {});
  const hours = (x) => (x === null || x === undefined ? '–' : t('chain.hours', { n: dec(x, 1) }));
  return h('div', { id: 'chain-figures', dataset: { alerts: f.alerts, withTask: f.with_task, withAccepted: f.with_accepted_task, other: f.other_alerts || 0 } },
    h('ul', { class: 'figures' },
      h('li', {}, h('span', { class: 'fig' }, num(f.alerts)), h('span', {}, t('chain.alerts'))),
      h('li', {}, h('span', { class: 'fig' }, num(f.with_task)), h('span', {}, t('chain.withTask'))),
      h('li', {}, h('span', { class: 'fig' }, num(f.with_accepted_task)), h('span', {}, t('chain.withAccepted'))),
      h('li', {}, h('span', { class: 'fig', id: 'chain-share' }, pct(f.share_responded)), h('span', {}, t('chain.share'))),
      h('li', {}, h('span', { class: 'fig', id: 'chain-median' }, hours(f.median_hours_to_accepted)), h('span', {}, t('chain.median')))),
    f.other_alerts ? h('p', { class: 'hint', id: 'chain-other' }, plural('chain.other', f.other_alerts, num)) : null,
    dl([
      [t('chain.mean'), hours(f.mean_hours_to_accepted)],
      [t('chain.outcomes'), outcomes.length === 0 ? t('chain.noOutcomes')
        : h('ul', { class: 'plain', id: 'chain-outcomes' }, outcomes.map(([s, n]) => h('li', { dataset: { status: s, n } }, `${statusName(s)}: ${num(n)}`)))],
    ]));
}

/** One task as a card: marking, title (opens the task), type, where, deadline, priority, assignee. */
function card(task, open) {
  return h('li', { class: 'task-card', dataset: { id: task.id, status: task.status } },
    markingBanner(task.audience && task.audience.marking),
    h('h4', {}, h('button', { type: 'button', class: 'link', onclick: () => open(task.id) }, task.title)),
    h('p', { class: 'task-type' }, typeName(task.task_type)),
    dl([
      [t('task.where'), places(task)],
      [t('task.deadline'), day(task.deadline)],
      [t('task.priority'), priorityName(task.priority)],
      [t('task.assignee'), task.assignee || t('task.nobody')],
    ]));
}


/** The new-task form; `prefill` (from an alert) sets the alert, the places and the title. */
function taskForm({ tasks, communities, prefill, onCreated }) {
  const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
  const title = h('input', { name: 'title', autocomplete: 'off', maxlength: 300, required: true });
  const type = h('select', { name: 'task_type' }, TASK_TYPES.map((x) => option(x, typeName(x), x === 'early-warning')));
  const countries = h('input', { name: 'countries', autocomplete: 'off', required: true });
  const regions = h('input', { name: 'regions', autocomplete: 'off' });
  const effort = h('input', { name: 'effort_days', type: 'number', min: 0, step: 'any', inputmode: 'decimal', required: true });
  const budget = h('input', { name: 'budget', type: 'number', min: 0, step: 'any', inputmode: 'decimal' });
  const deadline = dayInput({ name: 'deadline', required: true });
  const priority = h('select', { name: 'priority' }, [1, 2, 3, 4, 5].map((p) => option(p, priorityName(p), p === 3)));
  const depends = h('select', { name: 'depends_on', multiple: true, size: Math.min(5, Math.max(2, tasks.length)) },
    tasks.map((x) => option(x.id, `${x.title} (${statusName(x.status)})`)));
  const alert = h('input', { name: 'alert', autocomplete: 'off' });
  const consentRequired = checkbox('task-consent-required', t('task.consentRequired'));
  const consentObtained = checkbox('task-consent-obtained', t('task.consentObtained'));
  // Controls are named by their path in the request body (the API's `field`).
  consentRequired.input.name = 'consent_required';
  consentObtained.input.name = 'consent_obtained';
  const audience = audienceFields('task',
    communities.map((c) => option(`community:${c.id}`, t('task.dist.community', { name: c.name || c.id }))));
  const status = h('p', { class: 'status', id: 'task-form-status', role: 'status' });
  const formError = h('p', { class: 'error', id: 'task-form-error', role: 'alert' });
  if (prefill) {
    if (prefill.alert) alert.value = prefill.alert;
    if (prefill.title) title.value = prefill.title.slice(0, 300);
    const unit = prefill.unit || '';
    if (unit) {
      countries.value = unit.split('/')[0];
      if (unit.includes('/')) regions.value = unit;
    }
  }

  const form = h('form', { id: 'task-form', class: 'task-form', novalidate: true, 'aria-labelledby': 'task-form-h' },
    h('h2', { id: 'task-form-h' }, t('task.new')),
    field('task-title', t('task.title'), title),
    h('div', { class: 'row2' }, field('task-type', t('task.type'), type), field('task-priority', t('task.priority'), priority)),
    h('div', { class: 'row2' },
      field('task-countries', t('task.countries'), countries, t('task.countriesHint')),
      field('task-regions', t('task.regions'), regions, t('task.regionsHint'))),
    h('div', { class: 'row3' },
      field('task-effort', t('task.effort'), effort),
      field('task-budget', t('task.budget'), budget, t('task.budgetHint')),
      field('task-deadline', t('task.deadline'), deadline)),
    field('task-depends', t('task.dependsOn'), depends, tasks.length ? t('task.dependsHint') : t('task.noTasksYet')),
    h('fieldset', { class: 'consent' }, h('legend', {}, t('task.consent')), consentRequired.el, consentObtained.el),
    field('task-alert', t('task.alert'), alert, t('task.alertHint')),
    audience.el,
    formError,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('task.create'))),
    status);

  const errors = formErrors(form, formError);
  const { reset: resetErrors } = errors;
  const showError = errors.show.bind(errors);
  const number = (input, id, needed) => {
    const v = input.value.trim();
    if (!v) { if (needed) showError(id, t('task.needValue')); return needed ? null : undefined; }
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) { showError(id, t('task.needNumber')); return null; }
    return n;
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    resetErrors();
    status.textContent = '';
    if (!title.value.trim()) { showError('task-title', t('task.needValue')); return; }
    if (list(countries.value).length === 0) { showError('task-countries', t('task.needValue')); return; }
    const effortDays = number(effort, 'task-effort', true);
    if (effortDays === null) return;
    const budgetValue = number(budget, 'task-budget', false);
    if (budgetValue === null) return;
    if (!deadline.value.trim()) { showError('task-deadline', t('task.needValue')); return; }
    if (!isDay(deadline.value.trim())) { showError('task-deadline', t('date.invalid')); return; }
    const body = {
      title: title.value.trim(),
      task_type: type.value,
      countries: list(countries.value).map((c) => c.toUpperCase()),
      regions: list(regions.value),
      effort_days: effortDays,
      deadline: deadline.value.trim(),
      priority: Number(priority.value),
      depends_on: [...depends.selectedOptions].map((o) => o.value),
      consent_required: consentRequired.input.checked,
      consent_obtained: consentObtained.input.checked,
      audience: audience.value(),
    };
    if (budgetValue !== undefined) body.budget = budgetValue;
    if (alert.value.trim()) body.alert = alert.value.trim();
    await errors.submitting(async () => {
      const created = await api('/tasks', { method: 'POST', body });
      forget();
      for (const el of [title, countries, regions, effort, budget, deadline, alert]) el.value = '';
      depends.selectedIndex = -1;
      consentRequired.input.checked = false;
      consentObtained.input.checked = false;
      status.textContent = t('task.created', { title: created.title });
      await onCreated(created);
    });
  });
  return form;
}

/** The changes of status the user may try on `task`, as controls. */
function transitions(task, me, orgs, run) {
  const mine = me && me.user && me.user.org;
  const owner = mine && task.audience && task.audience.owner === mine;
  const assignee = mine && task.assignee === mine;
  const s = task.status;
  const out = [];
  const button = (to, label, cls, extra) => h('button', {
    type: 'button', class: cls || null, dataset: { to }, onclick: () => run(to, extra ? extra() : {}),
  }, label);
  const note = h('input', { autocomplete: 'off', maxlength: 1000 });
  const noteValue = () => (note.value.trim() ? { note: note.value.trim() } : {});
  if (owner && (s === 'open' || s === 'declined')) {
    const org = h('select', {}, orgs.map((o) => option(o, o, false)));
    out.push(h('div', { class: 'action' },
      field('tr-org', t('task.proposeTo'), org),
      button('proposed', t('task.do.propose'), 'primary', () => ({ org: org.value, ...noteValue() }))));
  }
  if (assignee && s === 'proposed') {
    const consent = task.consent_required ? checkbox('tr-consent', t('task.consentObtained'), task.consent_obtained) : null;
    out.push(h('div', { class: 'action' },
      consent && consent.el,
      h('div', { class: 'buttons' },
        button('accepted', t('task.do.accept'), 'primary', () => ({ ...(consent ? { consent_obtained: consent.input.checked } : {}), ...noteValue() })),
        button('declined', t('task.do.decline'), null, noteValue))));
  }
  if (assignee && s === 'accepted') out.push(h('div', { class: 'buttons' }, button('in-progress', t('task.do.start'), 'primary', noteValue)));
  if (assignee && s === 'in-progress') {
    const outcome = h('textarea', { rows: 3, maxlength: 2000 });
    out.push(h('div', { class: 'action' },
      field('tr-outcome', t('task.outcome'), outcome, t('task.outcomeHint')),
      h('div', { class: 'buttons' },
        button('done', t('task.do.done'), 'primary', () => ({ outcome: outcome.value.trim(), ...noteValue() })),
        button('failed', t('task.do.failed'), 'danger', () => ({ outcome: outcome.value.trim(), ...noteValue() })))));
  }
  if (owner && ['proposed', 'declined', 'accepted'].includes(s)) {
    out.push(h('div', { class: 'buttons' }, button('open', t('task.do.reopen'), null, noteValue)));
  }
  if (out.length === 0) return h('p', { class: 'empty', id: 'task-no-actions' }, t('task.noActions'));
  return h('div', {}, field('tr-note', t('task.note'), note), out);
}

function historyList(history) {
  if (!history || history.length === 0) return h('p', { class: 'empty' }, t('task.noHistory'));
  return h('ol', { class: 'history', id: 'task-history' }, history.map((e) => h('li', { dataset: { to: e.to_status, from: e.from_status || '' } },
    h('span', { class: 'when' }, when(e.at, true)), ' · ',
    e.from_status ? `${statusName(e.from_status)} → ${statusName(e.to_status)}` : t('task.createdAs', { status: statusName(e.to_status) }),
    e.org ? ` · ${e.org}` : '',
    ` · ${e.actor ? t('task.by', { who: e.actor, org: e.actor_org || '–' }) : t('task.byOrg', { org: e.actor_org || '–' })}`,
    e.note ? h('q', {}, e.note) : null)));
}

/** A task in the dialog: banner, facts, history and what the user may do. */
export async function openTask(id, { me, orgs, onChange }) {
  const dlg = document.getElementById('detail');
  const opener = document.activeElement;
  const close = h('button', { type: 'button', class: 'close', onclick: () => dlg.close() }, t('detail.close'));
  dlg.replaceChildren(h('p', {}, t('loading')), close);
  if (!dlg.open) dlg.showModal();
  dlg.addEventListener('close', () => opener && opener.isConnected && opener.focus && opener.focus(), { once: true });
  const error = h('p', { class: 'error', role: 'alert', id: 'task-error' });
  const announce = h('p', { class: 'sr', role: 'status', id: 'task-announce' });

  const show = ({ task, history }) => {
    const run = async (to, extra) => {
      error.textContent = '';
      error.removeAttribute('lang');
      for (const b of dlg.querySelectorAll('#task-actions button')) b.disabled = true;
      try {
        const r = await api(`/tasks/${encodeURIComponent(task.id)}/transition`, { method: 'POST', body: { to, ...extra } });
        forget();
        show(r);
        announce.textContent = t('task.moved', { status: statusName(r.task.status) });
        dlg.querySelector('#task-actions button, #detail-title').focus();
        if (onChange) onChange(r.task);
      } catch (x) {
        for (const b of dlg.querySelectorAll('#task-actions button')) b.disabled = false;
        error.textContent = x.status === 403 ? t('task.refused', { msg: x.message }) : x.message;
        if (current() !== 'en') error.lang = 'en';
      }
    };
    const a = task.audience || {};
    dlg.dataset.id = task.id;
    dlg.dataset.status = task.status;
    dlg.replaceChildren(
      banner(a.marking),
      h('h2', { id: 'detail-title', tabindex: '-1' }, task.title),
      dl([
        [t('task.type'), typeName(task.task_type)],
        [t('task.status'), h('span', { id: 'task-status' }, statusName(task.status))],
        [t('task.where'), places(task)],
        [t('task.countries'), (task.countries || []).join(', ')],
        [t('task.regions'), (task.regions || []).join(', ')],
        [t('task.deadline'), day(task.deadline)],
        [t('task.priority'), priorityName(task.priority)],
        [t('task.effort'), t('task.days', { n: dec(task.effort_days) })],
        [t('task.budget'), money(task.budget)],
        [t('task.assignee'), task.assignee || t('task.nobody')],
        [t('task.declinedBy'), (task.declined_by || []).join(', ')],
        [t('task.consent'), task.consent_required ? (task.consent_obtained ? t('task.consentYes') : t('task.consentNo')) : t('task.consentNotNeeded')],
        [t('task.alert'), task.alert],
        [t('task.dependsOn'), dependencies(task)],
        [t('task.outcome'), task.outcome],
        [t('detail.owner'), a.owner],
        [t('detail.creator'), a.creator || t('detail.creatorHidden', { org: a.owner })],
        [t('detail.distribution'), sharedWith(a.distribution)],
        [t('task.createdAt'), when(task.created_at, true)],
        [t('task.updatedAt'), when(task.updated_at, true)],
        [t('detail.id'), task.id],
      ]),
      h('h3', {}, t('task.history')),
      historyList(history),
      h('h3', {}, t('task.actions')),
      h('div', { id: 'task-actions' }, transitions(task, me, orgs, run)),
      error, announce, close);
  };
  try {
    show(await api(`/tasks/${encodeURIComponent(id)}`));
  } catch (err) {
    dlg.replaceChildren(h('p', { role: 'alert' }, err.status === 404 ? t('detail.notFound') : t('error.load', { msg: err.message })), close);
  }
  close.focus();
}

export async function renderBoard(main) {
  const params = new URLSearchParams(location.search);
  const prefill = params.get('alert') || params.get('unit') || params.get('title')
    ? { alert: params.get('alert'), unit: params.get('unit'), title: params.get('title') } : null;
  const status = h('p', { class: 'status', id: 'board-status', role: 'status' }, t('loading'));
  const chainBox = h('div', { id: 'chain-body' }, h('p', { class: 'status' }, t('loading')));
  const formBox = h('details', { class: 'card task-form-box', id: 'task-form-box', open: prefill ? true : undefined },
    h('summary', {}, t('task.new')));
  const board = h('div', { id: 'board', class: 'board' });
  const root = h('div', { class: 'page board-page' },
    h('h1', {}, t('nav.tasks')),
    h('p', {}, t('board.intro')),
    status,
    h('section', { class: 'card', 'aria-labelledby': 'chain-h' }, h('h2', { id: 'chain-h' }, t('chain.title')), chainBox),
    formBox,
    h('section', { 'aria-labelledby': 'board-h' }, h('h2', { id: 'board-h', class: 'sr' }, t('board.columns')), board));
  clear(main).append(root);

  const [me, profiles, communities] = await Promise.all([
    get('/me').catch(() => null),
    get('/coord/profiles').catch(() => ({ items: [] })),
    get('/communities').catch(() => ({ items: [] })),
  ]);
  const orgs = (profiles.items || []).map((p) => p.org).sort();
  let tasks = [];

  const open = (id) => openTask(id, { me, orgs, onChange: () => load() });

  async function loadChain() {
    try {
      const chain = await api('/coord/chain');
      if (!root.isConnected) return;
      chainBox.replaceChildren(chainFigures(chain));
      chainBox.dataset.state = 'ready';
    } catch (e) {
      chainBox.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('error.load', { msg: e.message })));
      chainBox.dataset.state = 'error';
    }
  }

  async function load() {
    const started = performance.now();
    status.dataset.state = 'loading';
    try {
      tasks = (await api('/tasks')).items || [];
      if (!root.isConnected) return;
      board.replaceChildren(...STATUSES.map((s) => {
        const mine = tasks.filter((x) => x.status === s);
        return h('section', { class: 'board-column', dataset: { status: s, count: mine.length }, 'aria-labelledby': `col-${s}` },
          h('h3', { id: `col-${s}` }, statusName(s), ' ', h('span', { class: 'count' }, `(${num(mine.length)})`)),
          mine.length === 0 ? h('p', { class: 'empty' }, t('board.empty'))
            : h('ul', { class: 'cards-list' }, mine.map((x) => card(x, open))));
      }));
      status.textContent = plural('board.count', tasks.length, num);
      Object.assign(status.dataset, { state: 'ready', total: tasks.length, ms: Math.round(performance.now() - started) });
    } catch (e) {
      if (!root.isConnected) return;
      status.textContent = t('error.load', { msg: e.message });
      status.dataset.state = 'error';
    }
  }

  await Promise.all([load(), loadChain()]);
  if (!root.isConnected) return;
  formBox.append(taskForm({
    tasks, communities: communities.items || [], prefill,
    onCreated: async () => { await Promise.all([load(), loadChain()]); },
  }));
  if (prefill) {
    const title = formBox.querySelector('#task-title');
    formBox.scrollIntoView({ block: 'start' });
    title.focus();
  }
}

// The dependencies the reader may see, by id, and how many more they may not (never named:
// the server sends only their number).
function dependencies(task) {
  const seen = (task.depends_on || []).join(', ');
  const hidden = task.hidden_dependencies || 0;
  if (!hidden) return seen;
  const more = plural('task.hiddenDependencies', hidden, num);
  return seen ? `${seen}; ${more}` : more;
}
