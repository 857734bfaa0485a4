// Errors of a form: each shown under the field it names (with aria-invalid and focus), or
// at the form's level when no visible field has that id. A message from the server is
// English: marked so when the page is in another language.

import { current } from './i18n.js';

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
