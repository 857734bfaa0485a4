// Allocation: the server's proposed assignment of the open (and declined) tasks the user may
// see to organisations (POST /coord/allocate), with each assignment's reason and why the other
// organisations were not chosen, the tasks left unassigned with the constraint that binds,
// what-if controls (pin a task to an organisation, exclude organisations) and, on request,
// the proposal written (the tasks become "proposed").

import { h, clear } from './dom.js';
import { api, get, forget } from './api.js';
import { t, num, plural } from './i18n.js';
import { dec } from './warning.js';
import { statusName, typeName, places } from './tasks.js';
import { field, option } from './form.js';
import { phrases } from './phrase.js';

const BINDINGS = ['no-mandate', 'out-of-scope', 'consent-missing', 'capacity-exhausted', 'dependency-unassigned', 'declined', 'excluded'];

export async function renderAllocation(main) {
  const status = h('p', { class: 'status', id: 'allocation-status', role: 'status' }, t('loading'));
  const result = h('div', { id: 'allocation-result' });
  const root = h('div', { class: 'page allocation-page', id: 'allocation' },
    h('h1', {}, t('nav.allocation')),
    h('p', {}, t('alloc.intro')),
    status);
  clear(main).append(root);

  const [tasksAnswer, profiles] = await Promise.all([api('/tasks'), get('/coord/profiles').catch(() => ({ items: [] }))]);
  if (!root.isConnected) return;
  const tasks = tasksAnswer.items || [];
  const byId = new Map(tasks.map((x) => [x.id, x]));
  const orgs = (profiles.items || []).map((p) => p.org).sort();
  const candidates = tasks.filter((x) => x.status === 'open' || x.status === 'declined');
  const taskName = (id) => (byId.get(id) ? byId.get(id).title : id);

  // What-if: pins (task → organisation) and excluded organisations.
  let pins = [];
  let last = null;
  const pinTask = h('select', {}, candidates.map((x) => option(x.id, x.title)));
  const pinOrg = h('select', {}, orgs.map((o) => option(o, o)));
  const pinList = h('ul', { class: 'plain pins', id: 'pins' });
  const exclude = h('select', { multiple: true, size: Math.min(8, Math.max(3, orgs.length)) }, orgs.map((o) => option(o, o)));
  const drawPins = () => {
    pinList.replaceChildren(...pins.map((p, i) => h('li', { dataset: { task: p.task, org: p.org } },
      t('alloc.pinned', { task: taskName(p.task), org: p.org }), ' ',
      h('button', { type: 'button', class: 'link', 'aria-label': t('alloc.unpinLabel', { task: taskName(p.task), org: p.org }),
        onclick: () => { pins = pins.filter((_, j) => j !== i); drawPins(); } }, t('alloc.unpin')))));
    if (pins.length === 0) pinList.append(h('li', { class: 'empty' }, t('alloc.noPins')));
  };
  const addPin = h('button', { type: 'button', id: 'pin-add', disabled: candidates.length === 0 || orgs.length === 0, onclick: () => {
    pins = [...pins.filter((p) => p.task !== pinTask.value), { task: pinTask.value, org: pinOrg.value }];
    drawPins();
  } }, t('alloc.pin'));
  drawPins();
  const compute = h('button', { type: 'button', class: 'primary', id: 'alloc-compute', onclick: () => solve(false) }, t('alloc.compute'));
  const applyBtn = h('button', { type: 'button', id: 'alloc-apply', disabled: true, onclick: () => solve(true) }, t('alloc.apply'));
  const applied = h('div', { id: 'alloc-applied', 'aria-live': 'polite' });

  root.append(
    h('section', { class: 'card whatif', 'aria-labelledby': 'whatif-h' },
      h('h2', { id: 'whatif-h' }, t('alloc.whatIf')),
      h('p', { class: 'hint' }, t('alloc.whatIfHint', { n: num(candidates.length) })),
      h('fieldset', {}, h('legend', {}, t('alloc.pinLegend')),
        h('div', { class: 'row2' }, field('pin-task', t('alloc.pinTask'), pinTask), field('pin-org', t('alloc.pinOrg'), pinOrg)),
        addPin, pinList),
      field('exclude-orgs', t('alloc.exclude'), exclude, t('alloc.excludeHint')),
      h('div', { class: 'buttons' }, compute, applyBtn)),
    applied,
    result);
  status.textContent = t('alloc.ready', { n: num(candidates.length) });
  status.dataset.state = 'idle';

  function body(apply) {
    const excluded = [...exclude.selectedOptions].map((o) => o.value);
    const b = {};
    if (pins.length) b.pins = pins;
    if (excluded.length) b.excludes = excluded.map((org) => ({ org }));
    if (apply) b.apply = true;
    return b;
  }

  async function solve(apply) {
    if (apply && !window.confirm(t('alloc.confirmApply', { n: num(last ? last.assignments.length : 0) }))) return;
    const started = performance.now();
    status.dataset.state = 'loading';
    status.textContent = t('alloc.computing');
    compute.disabled = true;
    applyBtn.disabled = true;
    try {
      const r = await api('/coord/allocate', { method: 'POST', body: body(apply) });
      if (!root.isConnected) return;
      last = r;
      show(r);
      if (apply) {
        forget();
        const n = (r.applied || []).length;
        const k = (r.kept || []).length;
        applied.replaceChildren(h('p', { class: 'done', dataset: { n, kept: k } }, plural('alloc.applied', n, num), ' ',
          k ? plural('alloc.kept', k, num) + ' ' : '',
          h('a', { href: '/board', 'data-link': '' }, t('alloc.toBoard'))));
      } else {
        applied.replaceChildren();
      }
      const assigned = r.assignments.length;
      status.textContent = t('alloc.summary', { a: num(assigned), u: num(r.unassigned.length) });
      Object.assign(status.dataset, {
        state: 'ready', assigned, unassigned: r.unassigned.length, optimal: String(Boolean(r.optimal)),
        objective: r.objective, applied: (r.applied || []).length, ms: Math.round(performance.now() - started),
      });
      compute.textContent = t('alloc.resolve');
      applyBtn.disabled = apply || assigned === 0;
    } catch (e) {
      if (!root.isConnected) return;
      status.dataset.state = 'error';
      status.textContent = e.status === 404 || e.status === 405 ? t('alloc.unavailable', { status: e.status })
        : e.status === 403 ? t('task.refused', { msg: e.message }) : t('error.load', { msg: e.message });
      result.replaceChildren();
    } finally {
      compute.disabled = false;
    }
  }

  function show(r) {
    const assignments = r.assignments || [];
    const unassigned = r.unassigned || [];
    result.replaceChildren(
      h('p', { id: 'alloc-optimal', class: r.optimal ? 'optimal yes' : 'optimal no', dataset: { optimal: String(Boolean(r.optimal)) } },
        r.optimal ? t('alloc.optimal') : t('alloc.notOptimal', { gap: dec(100 * (r.bound - r.objective) / Math.max(Math.abs(r.bound), 1), 2) }), ' ',
        t('alloc.objective', { v: dec(r.objective, 2) })),
      h('section', { 'aria-labelledby': 'assignments-h' },
        h('h2', { id: 'assignments-h' }, t('alloc.assignments')),
        assignments.length === 0 ? h('p', { class: 'empty', id: 'assignments' }, t('alloc.noAssignments')) : h('div', { class: 'table-wrap' },
          h('table', { id: 'assignments', class: 'compact' },
            h('caption', { class: 'sr' }, t('alloc.assignments')),
            h('thead', {}, h('tr', {}, ['task', 'org', 'value', 'reason', 'others'].map((c) => h('th', { scope: 'col', class: c === 'value' ? 'n' : null }, t(`alloc.col.${c}`))))),
            h('tbody', {}, assignments.map((a) => {
              const task = byId.get(a.task);
              return h('tr', { dataset: { task: a.task, org: a.org, value: a.value } },
                h('th', { scope: 'row' }, taskName(a.task), task ? h('span', { class: 'sub' }, `${typeName(task.task_type)} · ${places(task)} · ${statusName(task.status)}`) : null),
                h('td', { class: 'org' }, a.org),
                h('td', { class: 'n' }, dec(a.value, 2)),
                h('td', { class: 'reason' }, phrases('span', a.reason_phrases, a.reason)),
                h('td', {}, (a.alternatives || []).length === 0 ? h('span', { class: 'empty' }, t('alloc.noAlternatives'))
                  : h('details', { class: 'why-not' },
                    h('summary', {}, t('alloc.whyNot', { n: num(a.alternatives.length) })),
                    h('ul', { class: 'plain' }, a.alternatives.map((x) => h('li', { dataset: { org: x.org } },
                      h('strong', {}, x.org), ': ', phrases('span', x.why_not_phrase, x.why_not)))))));
            }))))),
      h('section', { 'aria-labelledby': 'unassigned-h' },
        h('h2', { id: 'unassigned-h' }, t('alloc.unassigned')),
        unassigned.length === 0 ? h('p', { class: 'empty', id: 'unassigned' }, t('alloc.noUnassigned')) : h('div', { class: 'table-wrap' },
          h('table', { id: 'unassigned', class: 'compact' },
            h('caption', { class: 'sr' }, t('alloc.unassigned')),
            h('thead', {}, h('tr', {}, ['task', 'binding', 'explanation'].map((c) => h('th', { scope: 'col' }, t(`alloc.col.${c}`))))),
            h('tbody', {}, unassigned.map((u) => h('tr', { dataset: { task: u.task, binding: u.binding } },
              h('th', { scope: 'row' }, taskName(u.task)),
              h('td', { class: 'binding' }, BINDINGS.includes(u.binding) ? t(`binding.${u.binding}`) : u.binding),
              h('td', { class: 'explanation' }, phrases('span', u.explanation_phrase, u.explanation)))))))));
  }
}
