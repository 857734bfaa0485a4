// What the administration sections share: a section with its heading and status, tables
// that scroll inside their own box, forms whose refusals the API words (shown under the
// field they name), and the shared dialog. Nothing here decides who may do what: the API
// answers, and the page shows its answer or its refusal.

import { h } from './dom.js';
import { ApiError } from './api.js';
import { formErrors } from './form.js';
import { t, current } from './i18n.js';

/** Whether the signed-in user (GET /me) holds `role`: to leave out forms only it may send. */
export const hasRole = (me, role) => Boolean(me && me.user && me.user.roles.includes(role));

export const roleName = (r) => t(`admin.role.${r}`);
export const kindName = (k) => t(`admin.kind.${k}`);

/** A section: its heading, a status line (data-state: loading, ready, error) and its parts. */
export function section(id, title, ...parts) {
  const status = h('p', { class: 'status', id: `${id}-status`, role: 'status', dataset: { state: 'loading' } }, t('loading'));
  const el = h('section', { class: 'admin-section', id, 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, title), status, ...parts);
  return { el, status };
}

/** The status line after a load: ready, with its count. */
export function loaded(status, text, data = {}) {
  status.textContent = text;
  Object.assign(status.dataset, data, { state: 'ready' });
}

/** The status line after a failed load: the API's words. */
export function failed(status, e) {
  status.textContent = e instanceof ApiError && e.status === 403 ? t('admin.refused', { msg: e.message }) : t('error.load', { msg: e.message });
  if (current() !== 'en' && e instanceof ApiError) status.lang = 'en';
  status.dataset.state = 'error';
}

/**
 * A table in a box of its own (it scrolls sideways there on a phone, not the page; the box
 * takes the focus, so that the keyboard scrolls it too).
 */
export function table(id, caption, columns, rows) {
  // Each cell names its column: a phone shows each row as a card of labelled values.
  for (const tr of rows) {
    [...tr.children].forEach((cell, i) => {
      if (columns[i]) cell.dataset.label = columns[i];
      // One box for the value, beside its label.
      if (cell.childNodes.length > 1) cell.append(h('span', {}, ...cell.childNodes));
    });
  }
  return h('div', { class: 'table-wrap admin-table', role: 'region', tabindex: 0, 'aria-label': caption },
    h('table', { id, class: 'compact' },
      h('caption', { class: 'sr' }, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)));
}

/**
 * A form that sends one request: its errors (the API's refusal under the field it names, or
 * for the form), its confirmation line, and its submit button disabled while it is sent.
 */
export function apiForm(id, title, children, submitLabel, send) {
  const formError = h('p', { class: 'error', id: `${id}-error`, role: 'alert' });
  const done = h('p', { class: 'status done', id: `${id}-done`, role: 'status' });
  const form = h('form', { class: 'admin-form', id, 'aria-labelledby': `${id}-h`, novalidate: true },
    h('h3', { id: `${id}-h` }, title), children, formError,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, submitLabel)), done);
  const errors = formErrors(form, formError);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.reset();
    done.textContent = '';
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const message = await send(form);
      if (message) done.textContent = message;
    } catch (x) {
      if (!(x instanceof ApiError)) formError.textContent = t('error.load', { msg: x.message });
      else errors.showApi(x.body, x.status === 403 ? t('admin.refused', { msg: x.message }) : x.message, true);
    } finally {
      submit.disabled = false;
    }
  });
  return { form, errors };
}

/** A link to a section's form further down (a long list comes first). */
export const jumpTo = (formId, text) => h('p', { class: 'jump' }, h('a', { href: `#${formId}` }, text));

/** Checkboxes named `name`, one per value, in a fieldset with its legend. */
export function checkboxes(idPrefix, legend, name, values, labelOf, checked = []) {
  return h('fieldset', { class: 'admin-checks', id: `${idPrefix}-set` },
    h('legend', {}, legend),
    values.map((v) => {
      const id = `${idPrefix}-${v.replace(/[^a-z0-9_-]/gi, '_')}`;
      return h('div', { class: 'check' },
        h('input', { type: 'checkbox', id, name, value: v, checked: checked.includes(v) || undefined }),
        h('label', { for: id }, labelOf(v)));
    }));
}

/** The values of the checked boxes named `name` in `form`. */
export const checkedValues = (form, name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);

/**
 * Opens the shared dialog with `content` (its heading has id detail-title); focus returns to
 * `opener` when it closes.
 */
export function openDialog(content, opener, onClose) {
  const dlg = document.getElementById('detail');
  const close = h('button', { type: 'button', class: 'close', onclick: () => dlg.close() }, t('detail.close'));
  dlg.replaceChildren(content, close);
  dlg.dataset.admin = 'open';
  if (!dlg.open) dlg.showModal();
  dlg.addEventListener('close', () => {
    delete dlg.dataset.admin;
    if (onClose) onClose();
    // The list may have been drawn again meanwhile: then back to the section's heading.
    const heading = document.querySelector('.admin-section h2');
    const back = opener && opener.isConnected ? opener : heading;
    if (back === heading && heading) heading.setAttribute('tabindex', '-1');
    if (back) back.focus();
  }, { once: true });
  const first = dlg.querySelector('input, select, button');
  if (first) first.focus();
  return dlg;
}

/** Closes the shared dialog if an administration section opened it. */
export function closeDialog() {
  const dlg = document.getElementById('detail');
  if (dlg.open && dlg.dataset.admin) dlg.close();
}

/** Today, YYYY-MM-DD (UTC), as the server counts days. */
export const today = () => new Date().toISOString().slice(0, 10);
