// What the coordination screens (board, allocation, 3W) share: the task statuses and types in
// words, where a task is, and the task's card and dialog helpers.

import { h } from './dom.js';
import { t, country, current } from './i18n.js';
import { unitName } from './warning.js';

export const STATUSES = ['open', 'proposed', 'accepted', 'declined', 'in-progress', 'done', 'failed'];
export const TASK_TYPES = ['mediation', 'early-warning', 'humanitarian-access', 'disengagement', 'counter-financing',
  'border-security', 'standby-force', 'intelligence-liaison', 'governance-support'];

export const statusName = (s) => t(`tstatus.${s}`);
export const typeName = (x) => t(`ttype.${x}`);
export const priorityName = (p) => t('task.priorityN', { n: p, name: t(`priority.${p}`) });

/** A task's countries and regions in words. */
export function places(task) {
  const regions = (task.regions || []).map((r) => unitName('a1m', r));
  const countries = (task.countries || []).filter((c) => !(task.regions || []).some((r) => r.startsWith(`${c}/`))).map(country);
  return [...regions, ...countries].join(', ') || '–';
}

/** English text from the server (reasons, explanations, error messages), marked as such. */
export function english(tag, attrs, text) {
  return h(tag, { ...attrs, lang: current() === 'en' ? undefined : 'en' }, text);
}

