// The Alarms view: every alarm the hub knows (GET /api/v1/alarms), active and cleared, each with its state, who
// acknowledged it, its escalation step, and whether a silence matched it; Acknowledge and Clear buttons. It follows
// alarm_update events live (every dashboard receives them) and reloads the list shortly after, so that updates
// arriving in any order never leave it stale. Producer text goes in through textContent only.

import { element, formatTime } from './dom.js';

const RELOAD_AFTER_UPDATE_MS = 400;

export class AlarmList {
    /**
     * @param list    the <ol>
     * @param empty   what shows while no alarm passes the filters
     * @param filters { state: <select>, acknowledged: <select> }
     * @param actions { acknowledge(alarm), clear(alarm), load(): Promise<alarms[]> }
     */
    constructor(list, empty, filters, actions) {
        this.list = list;
        this.empty = empty;
        this.filters = filters;
        this.actions = actions;
        this.alarms = new Map();
        this.reloadTimer = null;
        this.filters.state.addEventListener('change', () => this.render());
        this.filters.acknowledged.addEventListener('change', () => this.render());
    }

    /** Replaces every alarm with the hub's list. */
    async reload() {
        clearTimeout(this.reloadTimer);
        this.reloadTimer = null;
        const alarms = await this.actions.load();
        this.alarms = new Map(alarms.map(a => [String(a.violation_id), a]));
        this.list.dataset.loaded = 'true';
        this.render();
    }

    /** An alarm_update: shown at once, then confirmed by a reload. */
    updated(alarm) {
        if (!alarm || alarm.violation_id === undefined) {
            return;
        }
        this.alarms.set(String(alarm.violation_id), alarm);
        this.render();
        if (this.reloadTimer === null && this.list.dataset.loaded === 'true') {
            this.reloadTimer = setTimeout(() => this.reload().catch(() => {}), RELOAD_AFTER_UPDATE_MS);
        }
    }

    visible(a) {
        const state = this.filters.state.value;
        const acknowledged = this.filters.acknowledged.value;
        return (state === 'all' || a.state === state.toUpperCase())
            && (acknowledged === 'any' || String(a.acknowledged) === acknowledged);
    }

    render() {
        const shown = [...this.alarms.values()].filter(a => this.visible(a))
            .sort((a, b) => (b.opened_seq || 0) - (a.opened_seq || 0));
        this.list.replaceChildren(...shown.map(a => this.row(a)));
        this.list.dataset.count = String(shown.length);
        this.empty.hidden = shown.length > 0;
    }

    row(a) {
        const id = String(a.violation_id);
        const severity = ['CRITICAL', 'WARNING', 'INFO'].includes(a.severity) ? a.severity : 'WARNING';
        const silenced = Array.isArray(a.silenced_by) && a.silenced_by.length > 0;
        const row = element('li', 'alarm violation severity-' + severity.toLowerCase());
        row.dataset.violationId = id;
        row.dataset.state = a.state;
        row.dataset.acknowledged = String(Boolean(a.acknowledged));
        row.dataset.silenced = String(silenced);
        row.dataset.escalationStep = String(a.escalation_step || 0);
        if (a.acknowledged) {
            row.classList.add('acknowledged');
        }
        if (a.state === 'CLEARED') {
            row.classList.add('cleared');
        }

        const head = element('div', 'violation-head');
        head.append(element('span', 'severity', severity));
        head.append(element('span', 'violation-rule', a.rule_name || a.type || 'violation'));
        head.append(element('span', 'alarm-state state-' + String(a.state).toLowerCase(), a.state));
        if (silenced) {
            head.append(element('span', 'silenced-tag', 'silenced'));
        }
        const meta = element('div', 'violation-meta');
        if (a.characteristic_id !== null && a.characteristic_id !== undefined) {
            meta.append(element('span', 'violation-characteristic', 'Characteristic ' + a.characteristic_id));
        }
        const topics = (a.topics || []).filter(t => !t.startsWith('characteristic:'));
        if (topics.length) {
            meta.append(element('span', 'alarm-topics', topics.join(', ')));
        }
        const opened = element('time', 'violation-time', 'opened ' + formatTime(Date.parse(a.opened_at)));
        opened.dateTime = a.opened_at;
        meta.append(opened);
        meta.append(element('span', 'violation-id', 'id ' + id));
        if (a.escalation_step) {
            meta.append(element('span', 'alarm-escalation', 'escalation step ' + a.escalation_step));
        }
        row.append(head, meta);
        if (a.acknowledged) {
            row.append(element('div', 'violation-ack', 'Acknowledged by ' + a.ack_user
                + (a.ack_reason ? ': ' + a.ack_reason : '')));
        }
        if (a.state === 'CLEARED') {
            row.append(element('div', 'alarm-cleared', 'Cleared' + (a.cleared_by ? ' by ' + a.cleared_by : '')
                + (a.clear_reason ? ': ' + a.clear_reason : '')));
        }
        const buttons = element('div', 'alarm-buttons');
        if (!a.acknowledged) {
            buttons.append(this.button('Acknowledge', 'ack', () => this.actions.acknowledge(a)));
        }
        if (a.state === 'ACTIVE') {
            buttons.append(this.button('Clear', 'clear', () => this.actions.clear(a)));
        }
        if (buttons.childElementCount) {
            row.append(buttons);
        }
        return row;
    }

    button(text, action, onClick) {
        const b = element('button', 'ack-button', text);
        b.type = 'button';
        b.dataset.action = action;
        b.addEventListener('click', onClick);
        return b;
    }
}
