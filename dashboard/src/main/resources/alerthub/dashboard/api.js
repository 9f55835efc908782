// The hub's HTTP API (PROTOCOL section 2), with the bearer token when the hub requires one.

const TOKEN_KEY = 'alerthub.token';
const PAGE = 1000;

/** The token lives in this tab's session storage only: never in the URL, never in local storage. */
export const tokens = {
    get() {
        return sessionStorage.getItem(TOKEN_KEY);
    },
    set(token) {
        sessionStorage.setItem(TOKEN_KEY, token);
    },
    clear() {
        sessionStorage.removeItem(TOKEN_KEY);
    },
};

/** The hub refused the token (401) or the token lacks a role (403). */
export class AuthError extends Error {
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}

async function errorMessage(response) {
    try {
        const body = await response.json();
        if (body && body.error && typeof body.error.message === 'string') {
            return body.error.message;
        }
    } catch {
        // not JSON: the status says enough
    }
    return response.statusText || 'HTTP ' + response.status;
}

export class HubApi {
    /** @param base the hub's base URL (where the page is served) */
    constructor(base) {
        this.base = base;
    }

    async request(path, init = {}) {
        const headers = new Headers(init.headers || {});
        const token = tokens.get();
        if (token) {
            headers.set('Authorization', 'Bearer ' + token);
        }
        const response = await fetch(new URL(path, this.base), { ...init, headers, cache: 'no-store' });
        if (response.status === 401 || response.status === 403) {
            throw new AuthError(response.status, await errorMessage(response));
        }
        if (!response.ok) {
            throw new Error(path.split('?')[0] + ' answered ' + response.status + ': ' + await errorMessage(response));
        }
        return response.json();
    }

    /**
     * Every event still in the hub's history with seq > since that matches topic and type (comma-separated
     * patterns), oldest first, fetched page by page.
     */
    async eventsSince(since, { topic, type } = {}) {
        const out = [];
        let after = since;
        for (;;) {
            const q = new URLSearchParams({ since: String(after), limit: String(PAGE) });
            if (topic) {
                q.set('topic', topic);
            }
            if (type) {
                q.set('type', type);
            }
            const page = await this.request('api/v1/events?' + q);
            out.push(...page.events);
            if (page.events.length < PAGE || page.last_seq <= after) {
                return out;
            }
            after = page.last_seq;
        }
    }

    /** Whether the hub lets this page read: throws AuthError when it does not. */
    async checkAccess() {
        await this.request('api/v1/events?limit=1&type=ack_update');
    }

    /**
     * POST /api/v1/violations/{id}/ack: 202 and every dashboard gets the ack_update and the alarm_update; 200 when
     * the alarm was acknowledged already (the first acknowledgement stays).
     */
    acknowledge(violationId, body) {
        return this.post('api/v1/violations/' + encodeURIComponent(violationId) + '/ack', body);
    }

    /** POST /api/v1/violations/{id}/clear: the alarm becomes CLEARED (acknowledged or not). */
    clear(violationId, body) {
        return this.post('api/v1/violations/' + encodeURIComponent(violationId) + '/clear', body);
    }

    /** GET /api/v1/alarms: every alarm the hub knows (active and cleared), newest first. */
    async alarms() {
        return (await this.request('api/v1/alarms?state=all&limit=1000')).alarms;
    }

    /** GET /api/v1/silences: silences and maintenance windows, newest first. */
    async silences() {
        return (await this.request('api/v1/silences')).silences;
    }

    /** POST /api/v1/silences: 201 with the silence. */
    createSilence(body) {
        return this.post('api/v1/silences', body);
    }

    /** DELETE /api/v1/silences/{id}: expires it now. */
    expireSilence(id) {
        return this.request('api/v1/silences/' + encodeURIComponent(id), { method: 'DELETE' });
    }

    post(path, body) {
        return this.request(path, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
        });
    }
}
