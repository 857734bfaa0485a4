// Alerts: none exist yet (forecasting and alerting are not built). An honest empty state.

import { h, clear } from './dom.js';
import { t } from './i18n.js';

export function renderAlerts(main) {
  clear(main).append(h('div', { class: 'page' },
    h('h1', {}, t('nav.alerts')),
    h('p', { class: 'empty', id: 'alerts-empty' }, t('alerts.none')),
    h('p', {}, t('alerts.explain'))));
}
