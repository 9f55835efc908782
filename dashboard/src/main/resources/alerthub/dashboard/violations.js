// The violations panel: newest first, each with its severity, rule, characteristic, value and time, and an
// Acknowledge button; an ack_update (from this dashboard or any other) marks the row acknowledged.
// Every text comes from producers, so it goes in through textContent only.

import { element, formatNumber, formatTime } from './dom.js';

const MAX_ROWS = 300;

export class ViolationList {
    /**
     * @param list        the <ol>
     * @param empty       what shows while there are none
     * @param openBadge   the count of open (unacknowledged) violations
     * @param acknowledge called with a row's violation when its button is pressed
     */
    constructor(list, empty, openBadge, acknowledge) {
        this.list = list;
        this.empty = empty;
        this.openBadge = openBadge;
        this.acknowledge = acknowledge;
        this.rows = new Map();
        this.acks = new Map();
    }

    add(event) {
        const p = event.payload || {};
        const key = String(p.violation_id ?? event.id ?? 'seq-' + event.seq);
        if (this.rows.has(key)) {
            return;
        }
        const severity = ['CRITICAL', 'WARNING', 'INFO'].includes(event.severity) ? event.severity : 'WARNING';
        const violation = {
            key,
            violationId: p.violation_id ?? key,
            characteristicId: event.characteristic_id ?? p.characteristic_id,
            severity,
            seq: event.seq,
            rule: p.rule_id !== undefined ? 'Rule ' + p.rule_id : '',
            ruleName: typeof p.rule_name === 'string' ? p.rule_name : '',
            characteristic: typeof p.characteristic_name === 'string' ? p.characteristic_name : '',
        };

        const row = element('li', 'violation severity-' + severity.toLowerCase());
        row.dataset.violationId = key;
        row.dataset.severity = severity;
        row.dataset.seq = String(event.seq);
        row.dataset.acknowledged = 'false';
        if (event.requires_ack) {
            row.classList.add('requires-ack');
        }
        if (event.silenced) {
            row.dataset.silenced = 'true';
        }

        const head = element('div', 'violation-head');
        head.append(element('span', 'severity', severity));
        head.append(element('span', 'violation-rule',
                            [violation.rule, violation.ruleName].filter(Boolean).join(' · ') || event.type));
        if (event.silenced) {
            head.append(element('span', 'silenced-tag', 'silenced'));
        }
        const meta = element('div', 'violation-meta');
        const who = violation.characteristic || (violation.characteristicId !== undefined
            ? 'Characteristic ' + violation.characteristicId : '');
        meta.append(element('span', 'violation-characteristic',
                            who + (violation.characteristicId !== undefined && violation.characteristic
                                ? ' #' + violation.characteristicId : '')));
        if (typeof p.value === 'number') {
            const unit = typeof p.unit === 'string' && p.unit ? ' ' + p.unit : '';
            meta.append(element('span', 'violation-value', formatNumber(p.value) + unit));
        }
        const time = element('time', 'violation-time', formatTime(Date.parse(event.timestamp)));
        if (typeof event.timestamp === 'string') {
            time.dateTime = event.timestamp;
        }
        meta.append(time);
        meta.append(element('span', 'violation-id', 'id ' + key));

        const ackLine = element('div', 'violation-ack');
        ackLine.hidden = true;
        const button = element('button', 'ack-button', 'Acknowledge');
        button.type = 'button';
        button.dataset.action = 'ack';
        button.addEventListener('click', () => this.acknowledge(violation));
        row.append(head, meta, ackLine, button);
        row.violation = violation;

        let before = this.list.firstElementChild;
        while (before && Number(before.dataset.seq) > event.seq) {
            before = before.nextElementSibling;
        }
        this.list.insertBefore(row, before);
        this.rows.set(key, row);
        while (this.rows.size > MAX_ROWS) {
            const oldest = this.list.lastElementChild;
            this.rows.delete(oldest.dataset.violationId);
            oldest.remove();
        }
        if (this.acks.has(key)) {
            this.show(row, this.acks.get(key));
        }
        this.update();
    }

    acknowledged(event) {
        const p = event.payload || {};
        if (p.violation_id === undefined || p.violation_id === null) {
            return;
        }
        const key = String(p.violation_id);
        const ack = {
            user: typeof p.ack_user === 'string' ? p.ack_user : '',
            reason: typeof p.ack_reason === 'string' ? p.ack_reason : '',
            time: event.timestamp,
        };
        this.acks.set(key, ack);
        if (this.acks.size > MAX_ROWS * 4) {
            this.acks.delete(this.acks.keys().next().value);
        }
        const row = this.rows.get(key);
        if (row) {
            this.show(row, ack);
            this.update();
        }
    }

    /** The button shows that an acknowledgement is on its way (the row changes when the ack_update comes). */
    pending(key, waiting) {
        const row = this.rows.get(key);
        if (row && row.dataset.acknowledged !== 'true') {
            const button = row.querySelector('.ack-button');
            button.disabled = waiting;
            button.textContent = waiting ? 'Acknowledging…' : 'Acknowledge';
        }
    }

    show(row, ack) {
        row.dataset.acknowledged = 'true';
        row.classList.add('acknowledged');
        const line = row.querySelector('.violation-ack');
        line.textContent = 'Acknowledged by ' + ack.user + (ack.reason ? ': ' + ack.reason : '')
            + (ack.time ? ' (' + formatTime(Date.parse(ack.time)) + ')' : '');
        line.hidden = false;
        const button = row.querySelector('.ack-button');
        if (button) {
            button.remove();
        }
    }

    update() {
        const open = [...this.rows.values()].filter(r => r.dataset.acknowledged !== 'true').length;
        this.openBadge.textContent = open + ' open';
        this.openBadge.dataset.open = String(open);
        this.empty.hidden = this.rows.size > 0;
    }

    clear() {
        this.list.replaceChildren();
        this.rows.clear();
        this.acks.clear();
        this.update();
    }
}
