// Alerts: those the rules the user may see raise on the data and forecasts the user may see
// (GET /alerts computes them for this user on every call), the rules themselves, and a form
// to write a rule. The server alone decides what is visible and what may be written: this page
// shows its answers and its errors, next to the field they name.

import { h, clear } from './dom.js';
import { formErrors, field, option, audienceFields, checkbox } from './form.js';
import { api, get, forget } from './api.js';
import { t, num, current, plural, country } from './i18n.js';
import { dl, dec, pct, ym, when, levelName, unitName, markingBanner, sharedWith } from './warning.js';
import { staleBanner, dataEndLine, alertDataEnd } from './freshness.js';
import { seriesBlock } from './alert_series.js';
import { unassessedSection } from './unassessed.js';

const KINDS = ['threshold', 'surge', 'spillover'];
const LEVELS = { threshold: ['cm', 'a1m', 'pgm'], surge: ['cm', 'a1m', 'pgm'], spillover: ['a1m', 'cm'] };

/** English text from the server (summaries, error messages), marked as such in French. */
function english(tag, attrs, text) {
  return h(tag, { ...attrs, lang: current() === 'en' ? undefined : 'en' }, text);
}

function runRef(r) {
  if (!r || typeof r !== 'object') return r;
  return t('alerts.runRef', { model: r.model, until: ym(r.data_until), created: when(r.created_at) });
}

const count = (n) => dec(n, 0);

/** A rule's name: a rule Vigie wrote (the demo's) has a key the UI translates; a rule a user
 * wrote keeps the name its author typed. */
const ruleName = (name, key) => (key && t(key) !== key ? t(key) : name);

/** One evidence entry as [label, value], readable. */
function evidenceRow(level, key, value, ev) {
  switch (key) {
    case 'probability': return [t('ev.probability'), pct(value)];
    case 'fatalities': return [t('ev.fatalities'), count(value)];
    case 'months': return [t('ev.months'), count(value)];
    case 'from': return [t('ev.period'), `${ym(ev.from)} – ${ym(ev.to)}`];
    case 'to': return null;
    case 'median_total': return [t('ev.median_total'), count(value)];
    case 'upper_total_95': return [t('ev.upper_total_95'), count(value)];
    case 'observed': return [t('ev.observed'), count(value)];
    case 'upper_95': return [t('ev.upper_95'), count(value)];
    case 'forecast_mean': return [t('ev.forecast_mean'), dec(value)];
    case 'months_ahead': return [t('ev.months_ahead'), count(value)];
    case 'quiet_months': return [t('ev.quiet_months'), count(value)];
    case 'quiet_since': return [t('ev.quiet_since'), ym(value)];
    case 'active_months': return [t('ev.active_months'), count(value)];
    case 'active_neighbours':
      return [t('ev.active_neighbours'), h('ul', { class: 'plain' }, (value || []).map((n) =>
        h('li', {}, `${unitName(level, n.unit)}: ${plural('region.deaths', n.fatalities, num)}`)))];
    case 'run': return [t('ev.run'), runRef(value)];
    case 'month_complete': return [t('ev.month_complete'), t(value ? 'alerts.series.yes' : 'alerts.series.no')];
    case 'quiet_covered': return [t('ev.quiet_covered'), t(value ? 'alerts.series.yes' : 'alerts.series.no')];
    case 'series': return null;
    default:
      return [key, value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value)];
  }
}

/** The alert's sentence: the server's (English) in English, a French one built from the
 * evidence in French (the server's when the evidence lacks a number). */
function summary(a) {
  const e = a.evidence || {};
  const unit = unitName(a.level, a.unit);
  if (current() !== 'en') {
    if (a.kind === 'threshold' && e.probability !== undefined && e.fatalities !== undefined) {
      return h('p', { class: 'summary' }, t('alerts.sum.threshold', { unit, p: pct(e.probability), deaths: plural('region.deaths', e.fatalities, count), from: ym(e.from), to: ym(e.to) }));
    }
    if (a.kind === 'surge' && e.observed !== undefined && e.upper_95 !== undefined) {
      return h('p', { class: 'summary' }, t('alerts.sum.surge', { unit, deaths: plural('region.deaths', e.observed, count), month: ym(a.month), upper: count(e.upper_95) }));
    }
    if (a.kind === 'spillover' && e.observed !== undefined && Array.isArray(e.active_neighbours)) {
      return h('p', { class: 'summary' }, t('alerts.sum.spillover', { unit, deaths: plural('region.deaths', e.observed, count), month: ym(a.month), quiet: count(e.quiet_months),
        names: e.active_neighbours.map((x) => unitName(a.level, x.unit)).join(', ') }));
    }
  }
  return english('p', { class: 'summary' }, withoutDataEnd(a.summary));
}

/** The server's summary without its "(data end in 2023-10)": the page says it in its own line. */
const withoutDataEnd = (s) => String(s || '').replace(/\s*\(data end in \d{4}-\d{2}\)\s*$/, '');

// The evidence in reading order (the server's object has its keys sorted).
const EVIDENCE_ORDER = ['probability', 'fatalities', 'months', 'from', 'to', 'median_total', 'upper_total_95',
  'observed', 'upper_95', 'forecast_mean', 'months_ahead', 'quiet_months', 'quiet_since', 'active_months',
  'active_neighbours', 'quiet_covered', 'month_complete', 'run'];

/**
 * How many deaths an alert is about, to put the gravest first: a threshold alert's median
 * forecast total (else its threshold weighed by its probability), the deaths a surge or a
 * spillover observed.
 */
function severity(a) {
  const e = a.evidence || {};
  if (a.kind === 'threshold') return Number(e.median_total ?? (e.fatalities || 0) * (e.probability || 0)) || 0;
  return Number(e.observed) || 0;
}

/** Who acknowledged the alert, when, and what they said: the organisation, its user only
 * when the API names one (the reader's own organisation). */
function ackList(a) {
  const acks = a.acks || [];
  if (!acks.length) return null;
  return h('ul', { class: 'plain acks' }, acks.map((k) => h('li', { class: 'ack', dataset: { org: k.org } },
    h('span', { class: 'ack-by' }, t(k.user ? 'alerts.ack.byUser' : 'alerts.ack.by', { org: k.org, user: k.user, when: when(k.at) })),
    k.note ? h('q', { class: 'ack-note' }, k.note) : null)));
}

/**
 * "Acknowledge": a button opening a small form (an optional note) that acknowledges the alert
 * for the user's organisation. `done(ack)` gets the API's answer.
 */
function ackControl(a, mine, done) {
  const id = `ack-${a.id}`;
  const already = (a.acks || []).some((k) => k.org === mine);
  const what = alertTitle(a);
  const note = h('textarea', { name: 'note', rows: 2, maxlength: 1000 });
  const formError = h('p', { class: 'error', role: 'alert', id: `${id}-error` });
  const open = h('button', { type: 'button', class: 'ack-open', 'aria-expanded': 'false', 'aria-controls': `${id}-form`,
    'aria-label': t(already ? 'alerts.ack.againFor' : 'alerts.ack.for', { what }) }, t(already ? 'alerts.ack.again' : 'alerts.ack.open'));
  const cancel = h('button', { type: 'button' }, t('alerts.ack.cancel'));
  const form = h('form', { class: 'ack-form', id: `${id}-form`, hidden: true, novalidate: true, 'aria-label': t('alerts.ack.formFor', { what }) },
    field(`${id}-note`, t('alerts.ack.note'), note, t('alerts.ack.noteHint')),
    formError,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('alerts.ack.submit')), cancel));
  const errors = formErrors(form, formError);
  const show = (on) => {
    form.hidden = !on;
    open.setAttribute('aria-expanded', String(on));
    if (on) note.focus(); else open.focus();
  };
  open.addEventListener('click', () => show(form.hidden));
  cancel.addEventListener('click', () => show(false));
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); show(false); } });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.reset();
    await errors.submitting(async () => {
      const ack = await api(`/alerts/${encodeURIComponent(a.id)}/ack`, { method: 'POST', body: note.value.trim() ? { note: note.value.trim() } : {} });
      forget();
      done(ack);
    });
  });
  return h('div', { class: 'ack-control' }, open, form);
}

/** An alert's kind, place and month: its title. */
function alertTitle(a) {
  return `${t(`kind.${a.kind}`)} · ${unitName(a.level, a.unit)} · ${ym(a.month)}`;
}

/**
 * One alert as a list item: marking, what, where, when and why; who acknowledged it; the
 * rule and the evidence open on demand. With `triage` ({ mine, onAck }), the user's
 * organisation may acknowledge it.
 */
export function alertItem(a, headingTag = 'h3', triage = null) {
  const e = a.evidence || {};
  const keys = [...EVIDENCE_ORDER.filter((k) => k in e), ...Object.keys(e).filter((k) => !EVIDENCE_ORDER.includes(k))];
  const rows = keys.map((k) => evidenceRow(a.level, k, e[k], e)).filter(Boolean);
  return h('li', { class: 'alert-item', dataset: { id: a.id, kind: a.kind, unit: a.unit, rule: a.rule, severity: severity(a) } },
    markingBanner(a.marking),
    h(headingTag, {}, alertTitle(a)),
    summary(a),
    alertDataEnd(a.freshness, ym),
    ackList(a),
    h('details', { class: 'alert-more' }, h('summary', {}, t('alerts.more')),
      dl([
        [t('alerts.rule'), ruleName(a.rule_name, a.rule_name_key)],
        [t('alerts.kind'), t(`kind.${a.kind}`)],
        [t('alerts.level'), levelName(a.level)],
        [t('alerts.unit'), a.unit],
        [t('alerts.month'), ym(a.month)],
      ]),
      h('div', { class: 'evidence' }, h(headingTag === 'h3' ? 'h4' : 'h5', {}, t('alerts.evidence')), dl(rows, { class: 'facts evidence-list' }),
        seriesBlock(a, headingTag === 'h3' ? 'h4' : 'h5'))),
    h('div', { class: 'alert-actions' },
      triage && triage.onAck ? ackControl(a, triage.mine, (ack) => triage.onAck(a, ack)) : null,
      createTaskLink(a)));
}

/**
 * The alerts as a triage list: gravest first, narrowed by kind, rule and country, and by
 * default to those the user's organisation has not acknowledged yet (its queue: what is
 * left to handle; the count says how many there are in all). An alert acknowledged here
 * stays in place, acknowledged, until the list is narrowed again, so that it can be
 * assigned at once.
 */
function triage(items, me, announce) {
  const mine = me && me.user && me.user.org;
  const roles = (me && me.user && me.user.roles) || [];
  const mayAck = Boolean(mine) && (roles.includes('analyst') || roles.includes('publisher'));
  const ackedByMine = (a) => (a.acks || []).some((k) => k.org === mine);
  const sorted = [...items].sort((x, y) => severity(y) - severity(x) || String(x.unit).localeCompare(String(y.unit)));
  const countryOf = (a) => String(a.unit).split('/')[0];
  const choice = (id, label, values, all = 'filter.all') => {
    const sel = h('select', { id }, option('', t(all)), values.map(([v, l]) => option(v, l)));
    return { sel, el: h('div', { class: 'field' }, h('label', { for: id }, label), sel) };
  };
  const uniq = (xs) => [...new Map(xs).entries()].sort((a, b) => String(a[1]).localeCompare(String(b[1])));
  const kind = choice('alerts-kind', t('alerts.kind'), uniq(sorted.map((a) => [a.kind, t(`kind.${a.kind}`)])));
  const rule = choice('alerts-rule', t('alerts.rule'), uniq(sorted.map((a) => [a.rule, ruleName(a.rule_name, a.rule_name_key)])), 'filter.allFeminine');
  const area = choice('alerts-area', t('filter.country'), uniq(sorted.map((a) => [countryOf(a), country(countryOf(a))])));
  const shown = h('p', { class: 'status', id: 'alerts-shown', role: 'status' });
  const list = h('ul', { class: 'alerts', id: 'alerts-list' });
  const unacked = mine ? checkbox('alerts-unacked', t('alerts.ack.only', { org: mine }), true) : null;
  let keep = [];
  const onAck = (a, ack) => {
    a.acks = [...(a.acks || []).filter((k) => k.org !== ack.org), ack];
    const item = itemOf(a);
    list.querySelector(`li[data-id="${CSS.escape(a.id)}"]`).replaceWith(item);
    announce(t('alerts.ack.done', { what: alertTitle(a) }));
    item.querySelector('a.create-task').focus();
  };
  const itemOf = (a) => alertItem(a, 'h3', mayAck ? { mine, onAck } : null);
  const draw = () => {
    keep = sorted.filter((a) => (!kind.sel.value || a.kind === kind.sel.value)
      && (!rule.sel.value || a.rule === rule.sel.value) && (!area.sel.value || countryOf(a) === area.sel.value)
      && (!unacked || !unacked.input.checked || !ackedByMine(a)));
    list.replaceChildren(...keep.map(itemOf));
    shown.textContent = t(unacked && unacked.input.checked ? 'alerts.shownUnacked' : 'alerts.shown', { n: num(keep.length), of: num(sorted.length) });
    shown.dataset.n = keep.length;
  };
  for (const c of [kind, rule, area]) c.sel.addEventListener('change', draw);
  if (unacked) unacked.input.addEventListener('change', draw);
  draw();
  return h('div', {}, h('div', { class: 'triage', role: 'group', 'aria-label': t('alerts.triage') }, kind.el, rule.el, area.el, unacked && unacked.el), shown, list);
}

/** "Create a task": the board's new-task form, prefilled with the alert, its place and a title. */
function createTaskLink(a) {
  const title = summary(a).textContent.slice(0, 300);
  const href = `/board?${new URLSearchParams({ alert: a.id, unit: a.unit, title })}`;
  return h('a', { class: 'button create-task', href, 'data-link': '',
    'aria-label': t('alerts.createTaskFor', { what: alertTitle(a) }) }, t('alerts.createTask'));
}

/** A rule's parameters in words. */
function ruleParams(r) {
  const k = r.rule || {};
  if (k.kind === 'threshold') return t('rules.p.threshold', { n: count(k.fatalities), m: count(k.months), p: pct(k.probability) });
  if (k.kind === 'surge') return t('rules.p.surge');
  if (k.kind === 'spillover') return t('rules.p.spillover', { q: count(k.quiet_months ?? 24), a: count(k.active_months ?? 12) });
  return JSON.stringify(k);
}

/** A rule's scope in words: countries, regions, a community's member states, and the
 * regions bordering them; null when it has none. */
function scopeText(sc) {
  if (!sc) return null;
  const parts = [];
  if (sc.countries && sc.countries.length) parts.push(sc.countries.map(country).join(', '));
  if (sc.regions && sc.regions.length) parts.push(sc.regions.map((u) => unitName('a1m', u)).join(', '));
  if (sc.community) parts.push(t('rules.scope.community', { id: sc.community.toUpperCase() }));
  if (parts.length === 0) return null;
  return `${parts.join('; ')}${sc.bordering ? ` ${t('rules.scope.bordering')}` : ''}`;
}

function ruleItem(r, me, reload, announce) {
  const err = h('p', { class: 'error', role: 'alert', id: `rule-err-${r.id}` });
  const mayTry = me && r.audience && r.audience.owner === me.user.org;
  const del = mayTry ? h('button', {
    type: 'button', class: 'danger', 'aria-describedby': err.id,
    'aria-label': t('rules.deleteLabel', { name: ruleName(r.name, r.name_key) }),
    onclick: async () => {
      if (!window.confirm(t('rules.confirmDelete', { name: ruleName(r.name, r.name_key) }))) return;
      err.textContent = '';
      del.disabled = true;
      try {
        await api(`/alert-rules/${encodeURIComponent(r.id)}`, { method: 'DELETE' });
        forget();
        announce(t('rules.deleted', { name: ruleName(r.name, r.name_key) }));
        await reload();
      } catch (x) {
        del.disabled = false;
        err.textContent = x.status === 403 ? t('rules.forbidden', { msg: x.message }) : t('error.load', { msg: x.message });
      }
    },
  }, t('rules.delete')) : null;
  // A rule with a scope watches that area (and its units, if any); without, every unit.
  const units = r.units && r.units.length ? r.units.map((u) => unitName(r.rule.level, u)).join(', ') : r.scope ? null : t('rules.allUnits');
  return h('li', { class: 'rule-item', dataset: { id: r.id, kind: r.rule.kind } },
    markingBanner(r.audience && r.audience.marking),
    h('h3', {}, ruleName(r.name, r.name_key)),
    h('p', {}, `${t(`kind.${r.rule.kind}`)} · ${levelName(r.rule.level)} · ${ruleParams(r)}`),
    dl([
      [t('rules.units'), units],
      [t('rules.scope'), scopeText(r.scope)],
      [t('rules.webhook'), r.webhook || t('rules.noWebhook')],
      [t('detail.owner'), r.audience && r.audience.owner],
      [t('detail.creator'), r.audience && (r.audience.creator || t('detail.creatorHidden', { org: r.audience.owner }))],
      [t('detail.distribution'), sharedWith(r.audience && r.audience.distribution)],
      [t('rules.created'), when(r.created_at, true)],
    ]),
    del, err);
}

function ruleForm(onCreated) {
  const numberInput = (name, value, min, max) => h('input', { type: 'number', name, value, min, max, step: 1, inputmode: 'numeric' });
  const name = h('input', { name: 'name', autocomplete: 'off', maxlength: 200 });
  // Controls are named by their path in the request body (the API's `field`).
  const kind = h('select', { name: 'rule.kind' }, KINDS.map((k) => option(k, t(`kind.${k}`), k === 'threshold')));
  const level = h('select', { name: 'rule.level' });
  const fatalities = numberInput('rule.fatalities', 25, 1);
  const months = numberInput('rule.months', 3, 1, 12);
  const probability = numberInput('rule.probability', 50, 1, 99);
  const quiet = numberInput('rule.quiet_months', 24, 1, 120);
  const active = numberInput('rule.active_months', 12, 1, 60);
  const units = h('input', { name: 'units', autocomplete: 'off' });
  const webhook = h('input', { name: 'webhook', type: 'url', autocomplete: 'off', placeholder: 'https://' });
  const audience = audienceFields('rule');
  const kindHint = h('p');
  const unitsHint = h('p');
  const status = h('p', { class: 'status', id: 'rule-form-status', role: 'status' });
  const formError = h('p', { class: 'error', id: 'rule-form-error', role: 'alert' });

  const thresholdBox = h('div', { class: 'kind-fields', dataset: { kind: 'threshold' } },
    field('rule-fatalities', t('form.fatalities'), fatalities),
    field('rule-months', t('form.months'), months),
    field('rule-probability', t('form.probability'), probability, t('form.probabilityHint')));
  const spilloverBox = h('div', { class: 'kind-fields', dataset: { kind: 'spillover' } },
    field('rule-quiet', t('form.quiet'), quiet),
    field('rule-active', t('form.active'), active));
  const kindField = field('rule-kind', t('form.kind'), kind, kindHint);
  const unitsField = field('rule-units', t('form.units'), units, unitsHint);

  const sync = () => {
    const k = kind.value;
    const lv = LEVELS[k].includes(level.value) ? level.value : LEVELS[k][0];
    level.replaceChildren(...LEVELS[k].map((l) => option(l, levelName(l), l === lv)));
    level.value = lv;
    thresholdBox.hidden = k !== 'threshold';
    spilloverBox.hidden = k !== 'spillover';
    kindHint.textContent = t(`form.kindHint.${k}`);
    unitsHint.textContent = t(`form.unitsHint.${level.value}`);
  };
  kind.addEventListener('change', sync);
  level.addEventListener('change', sync);

  const form = h('form', { id: 'rule-form', class: 'rule-form', novalidate: true, 'aria-labelledby': 'rule-form-h' },
    h('h2', { id: 'rule-form-h' }, t('form.title')),
    field('rule-name', t('form.name'), name),
    h('div', { class: 'row2' }, kindField, field('rule-level', t('form.level'), level)),
    thresholdBox, spilloverBox,
    unitsField,
    field('rule-webhook', t('form.webhook'), webhook, t('form.webhookHint')),
    audience.el,
    formError,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('form.submit'))),
    status);
  sync();

  const errors = formErrors(form, formError);
  const { reset: resetErrors } = errors;
  const showError = errors.show.bind(errors);
  const integer = (input, id) => {
    const v = input.value.trim();
    if (!/^\d+$/.test(v)) { showError(id, t('form.needNumber')); return null; }
    return Number(v);
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    resetErrors();
    status.textContent = '';
    const rule = { kind: kind.value, level: level.value };
    if (rule.kind === 'threshold') {
      rule.fatalities = integer(fatalities, 'rule-fatalities');
      rule.months = integer(months, 'rule-months');
      const p = integer(probability, 'rule-probability');
      if (rule.fatalities === null || rule.months === null || p === null) return;
      rule.probability = p / 100;
    } else if (rule.kind === 'spillover') {
      rule.quiet_months = integer(quiet, 'rule-quiet');
      rule.active_months = integer(active, 'rule-active');
      if (rule.quiet_months === null || rule.active_months === null) return;
    }
    const body = {
      name: name.value.trim(),
      rule,
      units: units.value.split(',').map((u) => u.trim()).filter(Boolean),
      audience: audience.value(),
    };
    if (webhook.value.trim()) body.webhook = webhook.value.trim();
    await errors.submitting(async () => {
      const created = await api('/alert-rules', { method: 'POST', body });
      forget();
      name.value = '';
      units.value = '';
      webhook.value = '';
      status.textContent = t('form.created', { name: created.name });
      await onCreated(created);
    });
  });
  return form;
}

export async function renderAlerts(main) {
  const alertsBody = h('div', { id: 'alerts-body' }, h('p', { class: 'status' }, t('loading')));
  const rulesBody = h('div', { id: 'rules-body' }, h('p', { class: 'status' }, t('loading')));
  const status = h('p', { class: 'status', id: 'alerts-status', role: 'status' }, t('loading'));
  const announcer = h('p', { class: 'sr', role: 'status', id: 'rules-announce' });
  const asOf = h('p', { class: 'hint', id: 'alerts-asof' });
  const fresh = h('div', { id: 'alerts-freshness' });
  const unassessedBox = h('div', { id: 'unassessed-box' });
  let me = null;

  async function load() {
    const started = performance.now();
    status.dataset.state = 'loading';
    try {
      const [alerts, rules] = await Promise.all([api('/alerts'), api('/alert-rules')]);
      if (!root.isConnected) return;
      fresh.replaceChildren(...[staleBanner(alerts.freshness, 'alerts-stale'), alerts.freshness && !alerts.freshness.stale ? dataEndLine(alerts.freshness, 'alerts-data-end') : null].filter(Boolean));
      const ruleNames = new Map(rules.items.map((r) => [r.id, ruleName(r.name, r.name_key)]));
      unassessedBox.replaceChildren(...[unassessedSection(alerts.unassessed || [], ruleNames)].filter(Boolean));
      alertsBody.replaceChildren(alerts.items.length === 0
        ? h('p', { class: 'empty', id: 'alerts-empty' }, t('alerts.none'))
        : triage(alerts.items, me, (m) => { announcer.textContent = m; }));
      asOf.textContent = t('alerts.asOf', { when: when(new Date().toISOString(), true) });
      rulesBody.replaceChildren(rules.items.length === 0
        ? h('p', { class: 'empty', id: 'rules-empty' }, t('rules.none'))
        : h('ul', { class: 'rules', id: 'rules-list' }, rules.items.map((r) => ruleItem(r, me, load, (m) => { announcer.textContent = m; }))));
      status.textContent = `${plural('alerts.count', alerts.items.length, num)}, ${plural('rules.count', rules.items.length, num)}`;
      Object.assign(status.dataset, { state: 'ready', alerts: alerts.items.length, unassessed: (alerts.unassessed || []).length, rules: rules.items.length, ms: Math.round(performance.now() - started) });
    } catch (e) {
      if (!root.isConnected) return;
      status.textContent = t('error.load', { msg: e.message });
      status.dataset.state = 'error';
      alertsBody.replaceChildren();
      unassessedBox.replaceChildren();
      rulesBody.replaceChildren();
    }
  }

  const root = h('div', { class: 'page alerts-page' },
    h('h1', {}, t('nav.alerts')),
    fresh,
    h('p', {}, t('alerts.intro')),
    status, asOf, announcer,
    h('section', { 'aria-labelledby': 'alerts-h' }, h('h2', { id: 'alerts-h' }, t('alerts.current')), alertsBody),
    unassessedBox,
    h('section', { 'aria-labelledby': 'rules-h' }, h('h2', { id: 'rules-h' }, t('rules.title')), h('p', { class: 'hint' }, t('rules.intro')), rulesBody),
    h('section', { class: 'card' }, ruleForm(() => load())));
  clear(main).append(root);
  me = await get('/me').catch(() => null);
  await load();
}
