// Forms: labelled fields with their hint and error associated, and errors shown under the
// field they name (with aria-invalid and focus), or at the form's level when no visible
// field has that id. A message from the server is English: marked so when the page is in
// another language.

import { h } from './dom.js';
import { ApiError } from './api.js';
import { current, t } from './i18n.js';
import { MARKINGS } from './style.js';

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

/** Whether `s` is a real day written YYYY-MM-DD. */
export function isDay(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/**
 * A day, typed YYYY-MM-DD in every language. The browser's own date field follows the
 * browser's language, not the page's (month first in a French page), and cuts the year
 * in a narrow column; ISO days read the same to every partner.
 */
export function dayInput(attrs) {
  const input = h('input', {
    type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: 10, spellcheck: 'false',
    placeholder: t('date.placeholder'), class: 'day', ...attrs,
  });
  input.addEventListener('input', () => {
    const v = input.value.trim();
    if (!v || isDay(v)) input.removeAttribute('aria-invalid'); else if (v.length >= 10) input.setAttribute('aria-invalid', 'true');
  });
  return input;
}

export const option = (value, label, selected) => h('option', { value, selected: selected || undefined }, label);

/**
 * The audience a form gives a new record (`audience.marking` and `audience.distribution`,
 * ids `${prefix}-marking` and `${prefix}-distribution`): TLP:AMBER by default, TLP:RED left
 * out (it names its recipients), and TLP:CLEAR always for all communities. `more`: options
 * between the organisation and all communities (`community:<id>`).
 */
export function audienceFields(prefix, more) {
  const marking = h('select', { name: 'audience.marking' }, MARKINGS.filter((m) => m !== 'TLP:RED').map((m) => option(m, m, m === 'TLP:AMBER')));
  const distribution = h('select', { name: 'audience.distribution' },
    option('organisation', t('form.dist.organisation'), true),
    more || [],
    option('all-communities', t('form.dist.all-communities')));
  const sync = () => {
    const clear = marking.value === 'TLP:CLEAR';
    if (clear) distribution.value = 'all-communities';
    distribution.disabled = clear;
  };
  marking.addEventListener('change', sync);
  sync();
  return {
    el: h('div', { class: 'row2' },
      field(`${prefix}-marking`, t('form.marking'), marking),
      field(`${prefix}-distribution`, t('form.distribution'), distribution, t('form.clearHint'))),
    /** The request body's `audience`. */
    value() {
      const d = marking.value === 'TLP:CLEAR' ? 'all-communities' : distribution.value;
      return {
        marking: marking.value,
        distribution: d.startsWith('community:') ? { kind: 'community', id: d.slice('community:'.length) } : { kind: d },
      };
    },
  };
}

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
    /**
     * Runs `send` with the form's submit button disabled; a refusal of the API is shown
     * under the field it names (or for the form), any other failure for the form.
     */
    async submitting(send) {
      const submit = form.querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        await send();
      } catch (x) {
        if (!(x instanceof ApiError)) { formError.textContent = t('error.load', { msg: x.message }); return; }
        this.showApi(x.body, x.status === 403 ? t('form.forbidden', { msg: x.message }) : x.message, true);
      } finally {
        submit.disabled = false;
      }
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
