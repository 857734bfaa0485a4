// Forms: labelled fields with their hint and error associated, and errors shown under the
// field they name (with aria-invalid and focus), or at the form's level when no visible
// field has that id. A message from the server is English: marked so when the page is in
// another language.

import { h } from './dom.js';
import { current } from './i18n.js';

/** A labelled field with its error and hint (text, or an element) associated. */
export function field(id, label, control, hint) {
  const err = h('p', { class: 'error field-error', id: `${id}-err` });
  const hintEl = hint instanceof Node ? hint : hint ? h('p', { class: 'hint' }, hint) : null;
  if (hintEl) { hintEl.id = `${id}-hint`; hintEl.classList.add('hint'); }
  control.id = id;
  control.setAttribute('aria-describedby', [hintEl && hintEl.id, err.id].filter(Boolean).join(' '));
  return h('div', { class: 'field', dataset: { for: id } }, h('label', { for: id }, label), control, hintEl, err);
}

/** A checkbox with its label after it. */
export function checkbox(id, label, checked) {
  const input = h('input', { type: 'checkbox', id, checked: checked || undefined });
  return { input, el: h('div', { class: 'check' }, input, h('label', { for: id }, label)) };
}

export const option = (value, label, selected) => h('option', { value, selected: selected || undefined }, label);

/**
 * The control of `form` that edits the request body's field `path` (the API's `field`,
 * e.g. `rule.months`, `countries[2]`, `audience.distribution.id`): the one whose `name` is
 * that path, else the nearest enclosing one (`countries[2]` → `countries`). Forms name
 * their controls by the paths of the body they send, so no table copies the server's.
 */
export function controlFor(form, path) {
  let p = path || '';
  while (p) {
    const el = form.querySelector(`[name="${CSS.escape(p)}"]`);
    if (el) return el;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return null;
}

export function formErrors(form, formError) {
  const mark = (el, fromServer) => {
    if (fromServer && current() !== 'en') el.lang = 'en'; else el.removeAttribute('lang');
  };
  return {
    reset() {
      formError.textContent = '';
      for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
      for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    },
    /** An error the API answered: under the control of its `field`, else for the form. */
    showApi(body, msg, fromServer) {
      const control = controlFor(form, body && body.field);
      this.show(control && control.id, msg, fromServer);
    },
    show(id, msg, fromServer) {
      const control = id && form.querySelector(`#${id}`);
      const box = control && form.querySelector(`#${id}-err`);
      if (!box || control.closest('[hidden]')) {
        formError.textContent = msg;
        mark(formError, fromServer);
        return;
      }
      box.textContent = msg;
      mark(box, fromServer);
      control.setAttribute('aria-invalid', 'true');
      control.focus();
    },
  };
}
