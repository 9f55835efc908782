// The dashboard: connects to /ws with the selection of the page's URL, fills the charts and the violations panel
// from the hub's history, then applies live events. After a drop it reconnects and resumes from the last seq it
// holds ({"type":"resume"}), and says how many events it missed; a replay_gap means the view is incomplete until
// reloaded.

import { AuthError, HubApi, tokens } from './api.js';
import { ChartBoard, compareIds } from './charts.js';
import { HubConnection } from './connection.js';
import {
    asId, connectQuery, parseSelection, sameSelection, selectionMatches, selectionOf, selectionQuery,
    subscriptionChange, topicPatterns, wireSubscription,
} from './selection.js';
import { AlarmList } from './alarms.js';
import { SilenceView } from './silences.js';
import { ViolationList } from './violations.js';

/** How far back (in seq) the charts are filled from at load. */
const HISTORY_WINDOW = 5000;
const SEEN_LIMIT = 50000;
const SUBSCRIBE_TIMEOUT_MS = 5000;
const ACK_USER_KEY = 'alerthub.ackUser';

const $ = id => document.getElementById(id);

/** Seqs already applied: history and live overlap, and both may repeat an event. */
class SeenSeqs {
    constructor(limit) {
        this.limit = limit;
        this.set = new Set();
    }

    has(seq) {
        return this.set.has(seq);
    }

    /** Records seq; false when it was there already. */
    add(seq) {
        if (this.set.has(seq)) {
            return false;
        }
        this.set.add(seq);
        if (this.set.size > this.limit) {
            const oldest = this.set.values();
            for (let i = 0; i < this.limit / 10; i++) {
                this.set.delete(oldest.next().value);
            }
        }
        return true;
    }

    clear() {
        this.set.clear();
    }
}

class Status {
    constructor() {
        this.el = $('connection');
        this.text = $('connection-text');
        this.reload = $('connection-reload');
    }

    show(state, text, reload = false) {
        this.el.dataset.state = state;
        this.text.textContent = text;
        this.reload.hidden = !reload;
    }
}

class Dashboard {
    constructor() {
        this.takeTokenFromUrl();
        this.selection = parseSelection(location.search);
        this.api = new HubApi(new URL('.', location.href));
        this.status = new Status();
        this.known = new Map();
        this.board = new ChartBoard($('charts'), $('charts-empty'), (id, name) => this.learn(id, name));
        this.violations = new ViolationList($('violations'), $('violations-empty'), $('violations-open'),
                                            v => this.openAck(v));
        this.alarmList = new AlarmList($('alarms'), $('alarms-empty'),
                                       { state: $('alarms-state'), acknowledged: $('alarms-acknowledged') },
                                       {
                                           acknowledge: a => this.openAck(asViolation(a)),
                                           clear: a => this.openClear(a),
                                           load: () => this.api.alarms(),
                                       });
        this.silenceView = new SilenceView($('silence-form'), $('silences'), $('silences-empty'),
                                           $('silence-error'), this.api, ACK_USER_KEY);
        this.seen = new SeenSeqs(SEEN_LIMIT);
        this.lastSeq = 0;
        this.ackedSeq = 0;
        this.ackTimer = null;
        this.ready = false;
        this.loading = false;
        this.buffer = [];
        this.generation = 0;
        this.resumed = null;
        this.gap = null;
        this.subscribedWaiters = [];
        this.tokenRequest = null;
        this.connection = new HubConnection(() => this.socketUrl(), {
            opened: welcome => this.opened(welcome),
            message: message => this.message(message),
            closed: info => this.closed(info),
        });
        this.wire();
        this.showSelection();
        this.connection.start();
    }

    takeTokenFromUrl() {
        const url = new URL(location.href);
        const token = url.searchParams.get('token');
        if (token) {
            tokens.set(token);
            url.searchParams.delete('token');
            history.replaceState(null, '', url.pathname + (url.search ? url.search : '') + url.hash);
        }
    }

    socketUrl() {
        const url = new URL('ws', location.href);
        url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
        const parts = [connectQuery(this.selection)];
        const token = tokens.get();
        if (token) {
            parts.push('token=' + encodeURIComponent(token));
        }
        url.search = parts.filter(Boolean).join('&');
        return url.href;
    }

    // ---- the connection ----

    opened(welcome) {
        $('connection').dataset.hubSeq = String(welcome.last_seq);
        if (this.ready) {
            // A resume message rather than ?since= at connect: the hub applies it once the connection is fully
            // set up. Live events that slip in before the replay are known by their seq and not applied twice.
            this.resumed = { missed: 0, at: new Date(), complete: false };
            this.showLive();
            this.connection.send({ type: 'resume', since: this.lastSeq });
            // The pong is queued behind the replay, so it marks the replay's end.
            this.connection.send({ type: 'ping' });
        } else {
            this.refresh(Number(welcome.last_seq) || 0);
        }
    }

    message(m) {
        switch (m.type) {
            case 'subscribed':
                $('subscription').dataset.subscription = JSON.stringify(m);
                $('subscription').textContent = 'Subscribed: ' + describeSubscription(m);
                this.settleSubscribe();
                return;
            case 'ping':
                this.acknowledgeSeen();
                return;
            case 'pong':
                if (this.resumed) {
                    this.resumed.complete = true;
                    $('connection').dataset.replayComplete = 'true';
                    this.reloadAlarms();
                }
                return;
            case 'replay_gap':
                this.gap = { from: m.from_seq, to: m.to_seq };
                this.showLive();
                return;
            case 'error':
                this.notice('The hub refused a request: ' + (m.message || m.code || 'unknown error'));
                this.settleSubscribe();
                return;
            default:
                if (typeof m.seq !== 'number') {
                    return;
                }
                if (m.replay && this.resumed && !this.seen.has(m.seq)) {
                    this.resumed.missed++;
                    this.showLive();
                }
                if (this.loading) {
                    this.buffer.push(m);
                } else {
                    this.apply(m);
                }
        }
    }

    closed({ code, reason, welcomed, attempt, delay }) {
        $('connection').dataset.replayComplete = 'false';
        this.ackedSeq = 0;
        this.resumed = null;
        this.settleSubscribe();
        if (!this.ready) {
            // Lost before the view was filled: the next connection starts the view afresh.
            this.generation++;
            this.loading = false;
            this.buffer = [];
        }
        const why = code && code !== 1006 ? ' (' + code + (reason ? ' ' + reason : '') + ')' : '';
        if (delay === null) {
            this.status.show('reconnecting', 'Disconnected' + why + '. Waiting to reconnect…');
        } else {
            this.status.show('reconnecting', 'Connection lost' + why + '. Reconnecting in '
                + Math.max(1, Math.round(delay / 1000)) + ' s (attempt ' + attempt + ')…');
        }
        if (!welcomed) {
            this.checkAccess();
        }
    }

    showLive() {
        if (this.gap) {
            this.status.show('reload-needed', 'Events ' + this.gap.from + '–' + this.gap.to
                + ' are no longer in the hub’s history: the view is incomplete. Reload it.', true);
        } else if (this.loading) {
            this.status.show('loading', 'Loading history…');
        } else if (this.resumed) {
            const n = this.resumed.missed;
            $('connection').dataset.missed = String(n);
            this.status.show('resumed', 'Live · resumed at ' + this.resumed.at.toLocaleTimeString() + ', '
                + n + ' missed event' + (n === 1 ? '' : 's') + ' replayed');
        } else {
            this.status.show('live', 'Live');
        }
    }

    /** A handshake that failed may be a missing or refused token: the HTTP API says which. */
    async checkAccess() {
        if (this.checking) {
            return;
        }
        this.checking = true;
        try {
            await this.api.checkAccess();
        } catch (e) {
            if (e instanceof AuthError) {
                this.connection.pause();
                await this.askToken(e);
                this.connection.start();
            }
        } finally {
            this.checking = false;
        }
    }

    // ---- filling the view ----

    /** Clears the view and fills it again from the history, then from what arrived live meanwhile. */
    async refresh(head, beforeHistory = null) {
        const generation = ++this.generation;
        this.loading = true;
        this.buffer = [];
        this.seen.clear();
        this.board.clear();
        this.violations.clear();
        this.showLive();
        try {
            if (beforeHistory) {
                await beforeHistory();
            }
            if (generation !== this.generation) {
                return;
            }
            const events = await this.history(head);
            if (generation !== this.generation) {
                return;
            }
            events.forEach(e => this.apply(e));
            this.hideNotice();
        } catch (e) {
            if (generation !== this.generation) {
                return;
            }
            if (e instanceof AuthError) {
                this.loading = false;
                this.buffer = [];
                this.connection.pause();
                await this.askToken(e);
                this.reload();
                return;
            }
            this.notice('The history could not be loaded (' + e.message + '): showing live events only.');
        }
        this.lastSeq = Math.max(this.lastSeq, head);
        this.ready = true;
        this.loading = false;
        const buffered = this.buffer;
        this.buffer = [];
        buffered.forEach(e => this.apply(e));
        this.showLive();
        this.reloadAlarms();
    }

    /** The alarms as the hub has them now (alarm_update events keep them live afterwards). */
    async reloadAlarms() {
        try {
            await this.alarmList.reload();
            this.countAlarms();
        } catch (e) {
            if (!(e instanceof AuthError)) {
                this.notice('The alarms could not be loaded (' + e.message + ').');
            }
        }
    }

    countAlarms() {
        const active = [...this.alarmList.alarms.values()].filter(a => a.state === 'ACTIVE').length;
        $('alarms-active').textContent = active + ' active';
        $('alarms-active').dataset.open = String(active);
    }

    /**
     * The recent events of the selection (the last HISTORY_WINDOW seqs), the acknowledgements of that time, and
     * every control_limits event the hub still holds: a chart's limits may be older than its points.
     */
    async history(head) {
        const since = Math.max(0, head - HISTORY_WINDOW);
        const topics = topicPatterns(this.selection);
        const types = wireSubscription(this.selection).events;
        const queries = [
            this.api.eventsSince(since, { type: 'ack_update' }),
            this.api.eventsSince(0, { type: 'control_limits' }),
        ];
        if (topics.length) {
            queries.push(this.api.eventsSince(since, { topic: topics.join(',') }));
        }
        if (types.length) {
            queries.push(this.api.eventsSince(since, { type: types.join(',') }));
        }
        const all = (await Promise.all(queries)).flat();
        return all.sort((a, b) => a.seq - b.seq);
    }

    apply(event) {
        if (!this.seen.add(event.seq)) {
            return;
        }
        if (event.seq > this.lastSeq) {
            this.lastSeq = event.seq;
            $('connection').dataset.lastSeq = String(this.lastSeq);
        }
        if (event.type === 'alarm_update') {
            // every dashboard gets every alarm's changes (a broadcast type), whatever it shows
            this.alarmList.updated(event.payload);
            this.countAlarms();
        }
        if (event.characteristic_id !== undefined && event.type === 'control_limits') {
            this.learn(String(event.characteristic_id), event.payload && event.payload.characteristic_name);
        }
        if (!selectionMatches(this.selection, event)) {
            return;
        }
        if (event.requires_ack) {
            // The hub tracks which dashboards have shown their CRITICAL events: tell it, soon and once.
            clearTimeout(this.ackTimer);
            this.ackTimer = setTimeout(() => this.acknowledgeSeen(), 500);
        }
        if (event.type === 'violation') {
            this.violations.add(event);
        } else if (event.type === 'ack_update') {
            this.violations.acknowledged(event);
        }
        this.board.apply(event);
    }

    /** {"type":"ack","seq":N}: this page holds every event of its subscription up to N. */
    acknowledgeSeen() {
        const replaying = this.resumed !== null && !this.resumed.complete;
        if (this.ready && !this.loading && !replaying && this.lastSeq > this.ackedSeq
                && this.connection.send({ type: 'ack', seq: this.lastSeq })) {
            this.ackedSeq = this.lastSeq;
        }
    }

    reload() {
        this.gap = null;
        this.resumed = null;
        this.ready = false;
        this.generation++;
        this.loading = false;
        this.buffer = [];
        this.status.show('connecting', 'Connecting…');
        this.connection.restart();
    }

    // ---- the selection ----

    wire() {
        $('picker').addEventListener('submit', e => {
            e.preventDefault();
            this.select(selectionOf($('picker-characteristics').value, $('picker-topics').value,
                                    this.selection.events));
        });
        $('connection-reload').addEventListener('click', () => this.reload());
        $('token-change').addEventListener('click', async () => {
            this.connection.pause();
            await this.askToken(null);
            this.reload();
        });
        window.addEventListener('popstate', () => this.select(parseSelection(location.search), false));
        $('ack-form').addEventListener('submit', e => {
            e.preventDefault();
            this.submitAck();
        });
        $('ack-cancel').addEventListener('click', () => $('ack-dialog').close());
        $('clear-form').addEventListener('submit', e => {
            e.preventDefault();
            this.submitClear();
        });
        $('clear-cancel').addEventListener('click', () => $('clear-dialog').close());
        for (const tab of document.querySelectorAll('.tabs [data-view]')) {
            tab.addEventListener('click', () => this.showView(tab.dataset.view));
        }
        const initial = location.hash.slice(1);
        if (VIEWS.includes(initial)) {
            this.showView(initial);
        }
        $('token-form').addEventListener('submit', e => {
            e.preventDefault();
            const token = $('token-input').value.trim();
            if (token && this.tokenRequest) {
                tokens.set(token);
                $('token-dialog').close();
                const resolve = this.tokenRequest.resolve;
                this.tokenRequest = null;
                this.showTokenButton();
                resolve(token);
            }
        });
        $('token-dialog').addEventListener('cancel', e => e.preventDefault());
        this.showTokenButton();
    }

    /** Shows another selection: the URL, the hub's subscription (subscribe/unsubscribe) and the view follow. */
    select(next, push = true) {
        if (sameSelection(next, this.selection)) {
            this.showSelection();
            return;
        }
        const before = this.selection;
        this.selection = next;
        if (push) {
            const q = selectionQuery(next);
            history.pushState(null, '', location.pathname + (q ? '?' + q : ''));
        }
        this.showSelection();
        if (!this.ready || !this.connection.isOpen()) {
            // The next connection carries the new selection and fills the view afresh.
            this.ready = false;
            this.generation++;
            this.loading = false;
            this.board.clear();
            this.violations.clear();
            if (this.connection.isOpen()) {
                this.connection.restart();
            }
            return;
        }
        const change = subscriptionChange(before, next);
        this.refresh(this.lastSeq, () => {
            const sent = [];
            if (change.removed) {
                sent.push(this.connection.send({ type: 'unsubscribe', ...change.removed }));
            }
            if (change.added) {
                sent.push(this.connection.send({ type: 'subscribe', ...change.added }));
            }
            return this.awaitSubscribed(sent.filter(Boolean).length);
        });
    }

    /** Resolves once the hub has answered n subscription changes (or after a timeout). */
    awaitSubscribed(n) {
        if (n === 0) {
            return Promise.resolve();
        }
        return new Promise(resolve => {
            const waiter = { left: n, resolve };
            waiter.timer = setTimeout(() => this.finishWaiter(waiter), SUBSCRIBE_TIMEOUT_MS);
            this.subscribedWaiters.push(waiter);
        });
    }

    settleSubscribe() {
        for (const waiter of [...this.subscribedWaiters]) {
            if (--waiter.left <= 0 || !this.connection.isOpen()) {
                this.finishWaiter(waiter);
            }
        }
    }

    finishWaiter(waiter) {
        clearTimeout(waiter.timer);
        this.subscribedWaiters = this.subscribedWaiters.filter(w => w !== waiter);
        waiter.resolve();
    }

    showSelection() {
        $('picker-characteristics').value = this.selection.characteristicIds.join(',');
        $('picker-topics').value = this.selection.topics.join(',');
        for (const chip of $('picker-known').children) {
            const id = chip.dataset.characteristicId;
            chip.setAttribute('aria-pressed', String(this.selection.characteristicIds.includes(id)));
        }
    }

    /** Remembers a characteristic seen on the hub, as a button of the picker. */
    learn(id, name) {
        const label = '#' + id + (name ? ' ' + name : '');
        let chip = this.known.get(id);
        if (!chip) {
            chip = document.createElement('button');
            chip.type = 'button';
            chip.className = 'chip';
            chip.dataset.characteristicId = id;
            chip.addEventListener('click', () => {
                const ids = this.selection.characteristicIds.includes(id)
                    ? this.selection.characteristicIds.filter(x => x !== id)
                    : [...this.selection.characteristicIds, id];
                this.select({ ...this.selection, characteristicIds: ids });
            });
            this.known.set(id, chip);
            const ordered = [...this.known.keys()].sort(compareIds);
            const next = ordered[ordered.indexOf(id) + 1];
            $('picker-known').insertBefore(chip, next === undefined ? null : this.known.get(next));
        }
        if (chip.textContent !== label && (name || !chip.textContent)) {
            chip.textContent = label;
        }
        chip.setAttribute('aria-pressed', String(this.selection.characteristicIds.includes(id)));
    }

    // ---- views ----

    /** Charts, Alarms or Silences; the hash names it, so a link can open a view. */
    showView(name) {
        for (const view of VIEWS) {
            $(view + '-view').hidden = view !== name;
            $('tab-' + view).setAttribute('aria-selected', String(view === name));
        }
        history.replaceState(null, '', location.pathname + location.search + (name === 'charts' ? '' : '#' + name));
        if (name === 'silences') {
            this.silenceView.show();
        } else {
            this.silenceView.hide();
        }
        if (name === 'alarms') {
            this.reloadAlarms();
        }
    }

    // ---- clearing ----

    openClear(alarm) {
        this.clearing = alarm;
        $('clear-title').textContent = 'violation ' + alarm.violation_id;
        $('clear-user').value = localStorage.getItem(ACK_USER_KEY) || '';
        $('clear-reason').value = '';
        $('clear-error').hidden = true;
        $('clear-dialog').showModal();
        ($('clear-user').value ? $('clear-reason') : $('clear-user')).focus();
    }

    async submitClear() {
        const alarm = this.clearing;
        const user = $('clear-user').value.trim();
        if (!alarm) {
            return;
        }
        if (!user) {
            this.showError('clear-error', 'Enter who clears it.');
            return;
        }
        localStorage.setItem(ACK_USER_KEY, user);
        $('clear-submit').disabled = true;
        try {
            await this.api.clear(alarm.violation_id, { user, reason: $('clear-reason').value.trim() });
            $('clear-dialog').close();
        } catch (e) {
            this.showError('clear-error', e instanceof AuthError && e.status === 403
                ? 'This token may not clear alarms (it needs the role publish or admin): ' + e.message
                : 'The hub did not take the clear: ' + e.message);
        } finally {
            $('clear-submit').disabled = false;
        }
    }

    showError(id, text) {
        $(id).textContent = text;
        $(id).hidden = false;
    }

    // ---- acknowledging ----

    openAck(violation) {
        this.acking = violation;
        $('ack-title').textContent = 'violation ' + violation.key;
        $('ack-detail').textContent = [violation.severity, violation.rule, violation.ruleName, violation.characteristic]
            .filter(Boolean).join(' · ');
        $('ack-user').value = localStorage.getItem(ACK_USER_KEY) || '';
        $('ack-reason').value = '';
        $('ack-error').hidden = true;
        $('ack-dialog').showModal();
        ($('ack-user').value ? $('ack-reason') : $('ack-user')).focus();
    }

    async submitAck() {
        const violation = this.acking;
        const user = $('ack-user').value.trim();
        if (!violation) {
            return;
        }
        if (!user) {
            this.ackError('Enter who acknowledges.');
            return;
        }
        const body = { user, reason: $('ack-reason').value.trim() };
        if (violation.characteristicId !== undefined && violation.characteristicId !== null) {
            body.characteristic_id = typeof violation.characteristicId === 'number' ? violation.characteristicId
                : asId(String(violation.characteristicId));
        }
        localStorage.setItem(ACK_USER_KEY, user);
        $('ack-submit').disabled = true;
        this.violations.pending(violation.key, true);
        try {
            await this.sendAck(violation, body);
            $('ack-dialog').close();
        } catch (e) {
            this.violations.pending(violation.key, false);
            this.ackError(e instanceof AuthError && e.status === 403
                ? 'This token may not acknowledge (it needs the role publish or admin): ' + e.message
                : 'The hub did not take the acknowledgement: ' + e.message);
        } finally {
            $('ack-submit').disabled = false;
        }
    }

    async sendAck(violation, body) {
        try {
            await this.api.acknowledge(violation.violationId, body);
        } catch (e) {
            if (!(e instanceof AuthError) || e.status !== 401) {
                throw e;
            }
            $('ack-dialog').close();
            await this.askToken(e);
            $('ack-dialog').showModal();
            await this.api.acknowledge(violation.violationId, body);
        }
    }

    ackError(text) {
        $('ack-error').textContent = text;
        $('ack-error').hidden = false;
    }

    // ---- tokens ----

    /** Asks for a token (once, however many parts of the page need one); resolves when one is entered. */
    askToken(error) {
        if (!this.tokenRequest) {
            let resolve;
            const promise = new Promise(r => {
                resolve = r;
            });
            this.tokenRequest = { promise, resolve };
            const had = tokens.get();
            $('token-reason').textContent = error === null ? 'Enter the token to use from now on.'
                : error.status === 403
                    ? 'This token lacks a role the dashboard needs (' + error.message + '). Enter another.'
                : had ? 'The hub refused the token (' + error.message + '). Enter another.'
                : 'This hub requires a token with the subscribe role.';
            $('token-input').value = '';
            this.status.show('unauthorized', 'Token required');
            $('token-dialog').showModal();
            $('token-input').focus();
        }
        return this.tokenRequest.promise;
    }

    showTokenButton() {
        $('token-change').hidden = !tokens.get();
    }

    notice(text) {
        $('notice').textContent = text;
        $('notice').hidden = false;
    }

    hideNotice() {
        $('notice').hidden = true;
    }
}

const VIEWS = ['charts', 'alarms', 'silences'];

/** An alarm as the acknowledge dialog shows a violation. */
function asViolation(a) {
    return {
        key: String(a.violation_id),
        violationId: a.violation_id,
        characteristicId: a.characteristic_id === null ? undefined : a.characteristic_id,
        severity: a.severity,
        rule: '',
        ruleName: a.rule_name || '',
        characteristic: a.characteristic_id === null || a.characteristic_id === undefined ? ''
            : 'Characteristic ' + a.characteristic_id,
    };
}

function describeSubscription(m) {
    const parts = [
        ...(m.characteristic_ids || []).map(id => 'characteristic:' + id),
        ...(m.topics || []),
        ...(m.events || []).map(e => 'events ' + e),
    ];
    return parts.length ? parts.join(', ') : 'nothing';
}

const dashboard = new Dashboard();

/** For tests and demos: cut the WebSocket as a network drop would, and let it come back. */
window.alerthubDebug = {
    dropConnection: () => dashboard.connection.drop(),
    reconnect: () => dashboard.connection.reconnect(),
    lastSeq: () => dashboard.lastSeq,
};
