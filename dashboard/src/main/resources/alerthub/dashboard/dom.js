// Small helpers shared by the views. Producer text only ever enters the page through textContent.

/** An element with a class and, optionally, text (set as text, never parsed as markup). */
export function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) {
        e.className = className;
    }
    if (text !== undefined) {
        e.textContent = text;
    }
    return e;
}

/** A number as people read it on a chart: six significant digits, no trailing zeros. */
export function formatNumber(v) {
    return v === null || v === undefined ? '–' : String(Number(v.toPrecision(6)));
}

export function formatTime(ms) {
    return Number.isFinite(ms) ? new Date(ms).toLocaleTimeString() : '';
}
