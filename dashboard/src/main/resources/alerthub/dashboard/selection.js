// What the dashboard shows: the same three lists as a WebSocket connect query
// (?characteristic_ids=1,2&topics=line:7&events=alert.*), so the page's own URL is a link to the same view.

const BROADCAST_TYPES = new Set(['ack_update']);

function list(values) {
    const out = [];
    for (const v of values) {
        for (const part of v.split(',')) {
            const item = part.trim();
            if (item && !out.includes(item)) {
                out.push(item);
            }
        }
    }
    return out;
}

/** The selection in a query string (location.search). */
export function parseSelection(search) {
    const q = new URLSearchParams(search);
    return {
        characteristicIds: list(q.getAll('characteristic_ids')),
        topics: list(q.getAll('topics')),
        events: list(q.getAll('events')),
    };
}

/** The selection from the picker's text fields. */
export function selectionOf(characteristicIds, topics, events = []) {
    return { characteristicIds: list([characteristicIds]), topics: list([topics]), events: [...events] };
}

export function isEmpty(s) {
    return s.characteristicIds.length === 0 && s.topics.length === 0 && s.events.length === 0;
}

export function sameSelection(a, b) {
    const same = (x, y) => x.length === y.length && x.every((v, i) => v === y[i]);
    return same(a.characteristicIds, b.characteristicIds) && same(a.topics, b.topics) && same(a.events, b.events);
}

/** A query value with ':' left as it is (line:7 reads better than line%3A7, and the hub takes both). */
function queryValue(v) {
    return encodeURIComponent(v).replace(/%3A/gi, ':');
}

/** The selection as query parameters; commas stay readable. */
export function selectionQuery(s) {
    const parts = [];
    if (s.characteristicIds.length) {
        parts.push('characteristic_ids=' + s.characteristicIds.map(queryValue).join(','));
    }
    if (s.topics.length) {
        parts.push('topics=' + s.topics.map(queryValue).join(','));
    }
    if (s.events.length) {
        parts.push('events=' + s.events.map(queryValue).join(','));
    }
    return parts.join('&');
}

/**
 * What is asked of the hub. Nothing chosen means every characteristic, so that a bare "/" shows the whole hub.
 */
export function wireSubscription(s) {
    if (isEmpty(s)) {
        return { characteristic_ids: [], topics: ['characteristic:*'], events: [] };
    }
    return { characteristic_ids: [...s.characteristicIds], topics: [...s.topics], events: [...s.events] };
}

/** The WebSocket connect query for a selection (PROTOCOL section 3: the first subscription, as query parameters). */
export function connectQuery(s) {
    const w = wireSubscription(s);
    return selectionQuery({ characteristicIds: w.characteristic_ids, topics: w.topics, events: w.events });
}

/** The topic patterns of a subscription, characteristic ids included (for history queries). */
export function topicPatterns(s) {
    const w = wireSubscription(s);
    return [...w.characteristic_ids.map(id => 'characteristic:' + id), ...w.topics];
}

/** What a change of selection sends: {added, removed}, each a subscribe message body or null. */
export function subscriptionChange(before, after) {
    const a = wireSubscription(before);
    const b = wireSubscription(after);
    const minus = (x, y) => x.filter(v => !y.includes(v));
    const part = (from, to) => {
        const p = {
            characteristic_ids: minus(to.characteristic_ids, from.characteristic_ids).map(asId),
            topics: minus(to.topics, from.topics),
            events: minus(to.events, from.events),
        };
        return p.characteristic_ids.length || p.topics.length || p.events.length ? p : null;
    };
    return { added: part(a, b), removed: part(b, a) };
}

/** Characteristic ids go out as numbers when they are numbers, as the producer most likely sent them. */
export function asId(id) {
    return /^-?\d{1,15}$/.test(id) ? Number(id) : id;
}

/** The hub's pattern rule: "*" matches all, "x:*" / "x.*" match longer values with that prefix, else equality. */
export function patternMatches(pattern, value) {
    if (!pattern.endsWith('*')) {
        return pattern === value;
    }
    const prefix = pattern.slice(0, -1);
    return value.length > prefix.length && value.startsWith(prefix);
}

/** Whether an event belongs to the selection (the hub routes by the same rules). */
export function selectionMatches(s, event) {
    if (BROADCAST_TYPES.has(event.type)) {
        return true;
    }
    const topics = Array.isArray(event.topics) ? event.topics
        : event.topic ? [event.topic] : [];
    const patterns = topicPatterns(s);
    if (topics.some(t => patterns.some(p => patternMatches(p, t)))) {
        return true;
    }
    return wireSubscription(s).events.some(p => patternMatches(p, event.type));
}
