// The Silences view: silences and maintenance windows (GET /api/v1/silences), a form that silences a characteristic
// or a line for a while (POST /api/v1/silences), and an Expire button (DELETE). What the hub refuses is shown with
// the field it names. Text from users goes in through textContent only.

import { element, formatTime } from './dom.js';

const REFRESH_MS = 30000;

export class SilenceView {
    /**
     * @param form    the create form (#silence-form)
     * @param list    the <ol>
     * @param empty   what shows while there are none
     * @param error   where a refusal is shown
     * @param api     the hub's API
     * @param userKey where the last user name is kept (shared with acknowledgements)
     */
    constructor(form, list, empty, error, api, userKey) {
        this.form = form;
        this.list = list;
        this.empty = empty;
        this.error = error;
        this.api = api;
        this.userKey = userKey;
        this.timer = null;
        form.addEventListener('submit', e => {
            e.preventDefault();
            this.create();
        });
    }

    /** Shown: loads the list and keeps it fresh (states change with time: pending, active, expired). */
    show() {
        const user = localStorage.getItem(this.userKey);
        if (user && !this.form.elements.created_by.value) {
            this.form.elements.created_by.value = user;
        }
        this.reload();
        clearInterval(this.timer);
        this.timer = setInterval(() => this.reload(), REFRESH_MS);
    }

    hide() {
        clearInterval(this.timer);
        this.timer = null;
    }

    async reload() {
        try {
            const silences = await this.api.silences();
            this.list.replaceChildren(...silences.map(s => this.row(s)));
            this.list.dataset.loaded = 'true';
            this.empty.hidden = silences.length > 0;
        } catch (e) {
            this.fail(e);
        }
    }

    async create() {
        const f = this.form.elements;
        const value = f.value.value.trim();
        const user = f.created_by.value.trim();
        this.error.hidden = true;
        if (!value || !user) {
            this.fail(new Error(!value ? 'Enter the characteristic or line to silence.' : 'Enter who sets it.'));
            return;
        }
        const matchers = f.kind.value === 'line' ? { topic: 'line:' + value } : { characteristic_id: value };
        const body = { matchers, duration: f.duration.value, created_by: user, comment: f.comment.value.trim() };
        localStorage.setItem(this.userKey, user);
        f.submit.disabled = true;
        try {
            await this.api.createSilence(body);
            f.value.value = '';
            f.comment.value = '';
            await this.reload();
        } catch (e) {
            this.fail(e);
        } finally {
            f.submit.disabled = false;
        }
    }

    async expire(id) {
        try {
            await this.api.expireSilence(id);
            await this.reload();
        } catch (e) {
            this.fail(e);
        }
    }

    fail(e) {
        this.error.textContent = 'The hub refused: ' + (e.message || e);
        this.error.hidden = false;
    }

    row(s) {
        const row = element('li', 'silence');
        row.dataset.silenceId = s.id;
        row.dataset.state = s.state;
        const what = Object.entries(s.matchers || {})
            .map(([k, v]) => k + ' ' + (Array.isArray(v) ? v.join(', ') : v)).join(' · ');
        const head = element('div', 'violation-head');
        head.append(element('span', 'silence-state state-' + s.state, s.state));
        head.append(element('span', 'silence-matchers', what));
        const meta = element('div', 'violation-meta');
        if (s.schedule) {
            meta.append(element('span', 'silence-schedule', (s.schedule.days.length ? s.schedule.days.join(',') + ' '
                : 'daily ') + s.schedule.from + '–' + s.schedule.to + ' ' + s.schedule.zone));
        }
        meta.append(element('span', 'silence-until', s.ends_at ? 'until ' + formatTime(Date.parse(s.ends_at))
            : 'no end'));
        meta.append(element('span', 'silence-by', 'by ' + s.created_by));
        row.append(head, meta);
        if (s.comment) {
            row.append(element('div', 'silence-comment', s.comment));
        }
        if (s.state !== 'expired') {
            const b = element('button', 'ack-button', 'Expire');
            b.type = 'button';
            b.dataset.action = 'expire';
            b.addEventListener('click', () => this.expire(s.id));
            row.append(b);
        }
        return row;
    }
}
