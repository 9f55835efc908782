// One WebSocket to the hub (PROTOCOL section 3): connects, answers pings, notices a silent link, and reconnects
// with exponential backoff and jitter. What to resume from is the app's business: it builds the URL each time.

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 10000;
const DEFAULT_TIMEOUT_MS = 90000;

export class HubConnection {
    /**
     * @param url      () => the URL to connect to now
     * @param handlers opened(welcome), message(msg) for everything after the welcome,
     *                 closed({code, reason, welcomed, attempt, delay}) with delay null when no retry is planned
     */
    constructor(url, handlers) {
        this.url = url;
        this.handlers = handlers;
        this.ws = null;
        this.attempt = 0;
        this.retryTimer = null;
        this.watchdog = null;
        this.timeoutMs = DEFAULT_TIMEOUT_MS;
        this.paused = true;
        this.held = false;
        window.addEventListener('online', () => {
            if (this.retryTimer !== null) {
                this.open();
            }
        });
    }

    start() {
        this.paused = false;
        this.open();
    }

    /** Whether a connection is open right now (messages can be sent). */
    isOpen() {
        return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
    }

    send(message) {
        if (!this.isOpen()) {
            return false;
        }
        this.ws.send(JSON.stringify(message));
        return true;
    }

    /** Closes and stays closed until start(). */
    pause() {
        this.paused = true;
        this.clearTimers();
        const ws = this.ws;
        this.ws = null;
        if (ws) {
            ws.close(1000, 'dashboard paused');
        }
    }

    /** Closes and connects again at once. */
    restart() {
        this.pause();
        this.attempt = 0;
        this.start();
    }

    /** Cuts the connection as a network drop would, and stays away until reconnect() (for tests and demos). */
    drop() {
        this.held = true;
        this.clearTimers();
        const ws = this.ws;
        if (ws) {
            ws.close(4000, 'dropped by the dashboard');
        }
    }

    /** Ends a drop(): connects now, resuming where the page stopped. */
    reconnect() {
        this.held = false;
        this.attempt = 0;
        if (!this.paused) {
            this.open();
        }
    }

    open() {
        this.clearTimers();
        if (this.paused || this.held) {
            return;
        }
        let ws;
        try {
            ws = new WebSocket(this.url());
        } catch (e) {
            this.lost(1006, String(e.message || e), false);
            return;
        }
        this.ws = ws;
        let welcomed = false;
        ws.onmessage = e => {
            if (this.ws !== ws) {
                return;
            }
            this.alive();
            let message;
            try {
                message = JSON.parse(e.data);
            } catch {
                return;
            }
            if (!message || typeof message.type !== 'string') {
                return;
            }
            if (message.type === 'welcome' && !welcomed) {
                welcomed = true;
                this.attempt = 0;
                this.timeoutMs = message.heartbeat_timeout_ms > 0 ? message.heartbeat_timeout_ms : DEFAULT_TIMEOUT_MS;
                this.alive();
                this.handlers.opened(message);
                return;
            }
            if (message.type === 'ping') {
                this.send({ type: 'pong' });
            }
            this.handlers.message(message);
        };
        ws.onclose = e => {
            if (this.ws === ws) {
                this.ws = null;
                this.lost(e.code, e.reason, welcomed);
            }
        };
    }

    /** Every message is life; none for the heartbeat timeout means the link is dead even if no close came. */
    alive() {
        clearTimeout(this.watchdog);
        this.watchdog = setTimeout(() => {
            const ws = this.ws;
            if (ws) {
                this.ws = null;
                ws.close(4000, 'heartbeat timeout');
                this.lost(4000, 'nothing heard from the hub within ' + this.timeoutMs + ' ms', true);
            }
        }, this.timeoutMs);
    }

    lost(code, reason, welcomed) {
        this.clearTimers();
        if (this.paused) {
            return;
        }
        const delay = this.held ? null : this.nextDelay();
        this.handlers.closed({ code, reason, welcomed, attempt: this.attempt, delay });
        if (delay !== null && !this.paused && !this.held) {
            this.retryTimer = setTimeout(() => this.open(), delay);
        }
    }

    nextDelay() {
        const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt);
        this.attempt++;
        return Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    }

    clearTimers() {
        clearTimeout(this.retryTimer);
        clearTimeout(this.watchdog);
        this.retryTimer = null;
        this.watchdog = null;
    }
}
