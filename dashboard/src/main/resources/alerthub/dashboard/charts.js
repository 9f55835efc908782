// One control chart per characteristic (uPlot): the points, the center line and the control limits in force at each
// point (limits change in steps when control_limits events arrive), and the points that tripped a rule.

import uPlot from './uplot.js';

import { element, formatNumber, formatTime } from './dom.js';

const MAX_POINTS = 200;
const MAX_LIMIT_SETS = 50;
const MAX_PENDING_MARKS = 500;
const HEIGHT = 230;
const RANK = { WARNING: 1, CRITICAL: 2 };

function num(v) {
    const n = typeof v === 'string' ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function worst(a, b) {
    return (RANK[b] || 0) > (RANK[a] || 0) ? b : a;
}

/** The sample inside an event's payload: OpenSPC's {"sample":{..}} shape, or the fields at the top level. */
function sampleOf(payload) {
    return payload.sample && typeof payload.sample === 'object' ? payload.sample : payload;
}

class ControlChart {
    constructor(id, onRendered) {
        this.id = id;
        this.name = null;
        this.unit = '';
        this.points = [];
        this.limitSets = [];
        this.pendingMarks = new Map();
        this.plot = null;
        this.onRendered = onRendered;

        this.card = element('article', 'chart-card');
        this.card.id = 'chart-' + id;
        this.card.dataset.characteristicId = id;
        this.card.dataset.points = '0';
        this.card.dataset.violationPoints = '0';
        const head = element('header', 'chart-head');
        this.title = element('h3', 'chart-title', 'Characteristic ' + id);
        const idLabel = element('span', 'chart-id', '#' + id);
        this.stats = element('dl', 'chart-stats');
        this.statValues = {};
        for (const [key, label] of [['cl', 'CL'], ['ucl', 'UCL'], ['lcl', 'LCL'], ['last', 'Last']]) {
            this.stats.append(element('dt', null, label));
            const dd = element('dd', null, '–');
            dd.dataset.stat = key;
            this.statValues[key] = dd;
            this.stats.append(dd);
        }
        head.append(this.title, idLabel, this.stats);
        this.plotArea = element('div', 'chart-plot');
        this.card.append(head, this.plotArea);
    }

    describe(payload) {
        if (typeof payload.characteristic_name === 'string' && payload.characteristic_name !== this.name) {
            this.name = payload.characteristic_name;
            this.title.textContent = this.name;
        }
        if (typeof payload.unit === 'string') {
            this.unit = payload.unit;
        }
    }

    addSample(event) {
        const payload = event.payload || {};
        const s = sampleOf(payload);
        const value = num(s.value ?? s.mean);
        if (value === null) {
            return false;
        }
        this.describe(payload);
        const sampleId = String(s.id ?? s.sample_id ?? event.id ?? event.seq);
        let severity = null;
        for (const v of Array.isArray(payload.violations) ? payload.violations : []) {
            severity = worst(severity, v && v.severity === 'CRITICAL' ? 'CRITICAL' : 'WARNING');
        }
        if (s.in_control === false) {
            severity = worst(severity, 'WARNING');
        }
        if (this.pendingMarks.has(sampleId)) {
            severity = worst(severity, this.pendingMarks.get(sampleId));
            this.pendingMarks.delete(sampleId);
        }
        const point = {
            seq: event.seq,
            sampleId,
            time: Date.parse(s.timestamp ?? event.timestamp),
            value,
            severity,
        };
        let at = this.points.length;
        while (at > 0 && this.points[at - 1].seq > point.seq) {
            at--;
        }
        this.points.splice(at, 0, point);
        if (this.points.length > MAX_POINTS) {
            this.points.splice(0, this.points.length - MAX_POINTS);
        }
        return true;
    }

    addLimits(event) {
        const p = event.payload || {};
        const set = {
            seq: event.seq,
            cl: num(p.center_line ?? p.cl),
            ucl: num(p.ucl),
            lcl: num(p.lcl),
        };
        if (set.cl === null && set.ucl === null && set.lcl === null) {
            return false;
        }
        this.describe(p);
        let at = this.limitSets.length;
        while (at > 0 && this.limitSets[at - 1].seq > set.seq) {
            at--;
        }
        this.limitSets.splice(at, 0, set);
        if (this.limitSets.length > MAX_LIMIT_SETS) {
            this.limitSets.shift();
        }
        return true;
    }

    markViolation(event) {
        const p = event.payload || {};
        this.describe(p);
        const severity = event.severity === 'CRITICAL' || p.severity === 'CRITICAL' ? 'CRITICAL' : 'WARNING';
        if (p.sample_id === undefined || p.sample_id === null) {
            return false;
        }
        const sampleId = String(p.sample_id);
        const point = this.points.find(pt => pt.sampleId === sampleId);
        if (point) {
            point.severity = worst(point.severity, severity);
        } else {
            // The violation came before its sample (another producer's order): mark the sample when it arrives.
            this.pendingMarks.set(sampleId, worst(this.pendingMarks.get(sampleId) || null, severity));
            if (this.pendingMarks.size > MAX_PENDING_MARKS) {
                this.pendingMarks.delete(this.pendingMarks.keys().next().value);
            }
        }
        return true;
    }

    /** The limits in force at a point: the newest set published before it; before the first, the first. */
    limitsAt(seq) {
        let current = this.limitSets[0];
        for (const set of this.limitSets) {
            if (set.seq < seq) {
                current = set;
            } else {
                break;
            }
        }
        return current;
    }

    data() {
        const n = this.points.length;
        const cols = Array.from({ length: 7 }, () => new Array(n));
        this.points.forEach((p, i) => {
            const limits = this.limitsAt(p.seq) || {};
            cols[0][i] = i;
            cols[1][i] = p.value;
            cols[2][i] = limits.cl ?? null;
            cols[3][i] = limits.ucl ?? null;
            cols[4][i] = limits.lcl ?? null;
            cols[5][i] = p.severity === 'CRITICAL' ? p.value : null;
            cols[6][i] = p.severity === 'WARNING' ? p.value : null;
        });
        return cols;
    }

    options(width) {
        const chart = this;
        // New limits apply from the sample after their event: the lines change in a step, not a slope.
        const steps = uPlot.paths.stepped({ align: 1 });
        const markers = (fill, stroke, size) => ({
            stroke,
            width: 0,
            paths: () => null,
            points: { show: true, size, fill, stroke, width: 1.5 },
        });
        return {
            width,
            height: HEIGHT,
            scales: { x: { time: false } },
            legend: { show: true, live: true },
            cursor: { drag: { x: false, y: false } },
            axes: [
                {
                    space: 90,
                    values: (u, splits) => splits.map(i => {
                        const p = Number.isInteger(i) ? chart.points[i] : undefined;
                        return p ? formatTime(p.time) : '';
                    }),
                },
                { size: 64, values: (u, splits) => splits.map(v => formatNumber(v)) },
            ],
            series: [
                {
                    label: 'Time',
                    value: (u, i) => (i === null || !chart.points[i] ? '–' : formatTime(chart.points[i].time)),
                },
                {
                    label: 'Value', stroke: '#1f5fa8', width: 1.5,
                    points: { show: true, size: 5, fill: '#1f5fa8', stroke: '#1f5fa8' },
                    value: (u, v) => formatNumber(v),
                },
                { label: 'CL', stroke: '#2e7d32', width: 1, paths: steps, points: { show: false },
                  value: (u, v) => formatNumber(v) },
                { label: 'UCL', stroke: '#c62828', width: 1, dash: [6, 4], paths: steps, points: { show: false },
                  value: (u, v) => formatNumber(v) },
                { label: 'LCL', stroke: '#c62828', width: 1, dash: [6, 4], paths: steps, points: { show: false },
                  value: (u, v) => formatNumber(v) },
                { label: 'Critical', ...markers('#d32f2f', '#7f0000', 12), value: (u, v) => formatNumber(v) },
                { label: 'Warning', ...markers('#f39c12', '#8a5300', 10), value: (u, v) => formatNumber(v) },
            ],
        };
    }

    render() {
        const data = this.data();
        const width = Math.max(320, this.plotArea.clientWidth || 640);
        if (this.plot === null) {
            this.plot = new uPlot(this.options(width), data, this.plotArea);
            this.resizer = new ResizeObserver(() => {
                const w = Math.max(320, this.plotArea.clientWidth);
                if (this.plot && w !== this.plot.width) {
                    this.plot.setSize({ width: w, height: HEIGHT });
                }
            });
            this.resizer.observe(this.plotArea);
        } else {
            this.plot.setData(data);
        }
        const last = this.points[this.points.length - 1];
        const limits = this.limitSets[this.limitSets.length - 1];
        const unit = this.unit ? ' ' + this.unit : '';
        this.statValues.cl.textContent = limits ? formatNumber(limits.cl) : '–';
        this.statValues.ucl.textContent = limits ? formatNumber(limits.ucl) : '–';
        this.statValues.lcl.textContent = limits ? formatNumber(limits.lcl) : '–';
        this.statValues.last.textContent = last ? formatNumber(last.value) + unit : '–';
        this.statValues.last.className = last && last.severity ? 'severity-' + last.severity.toLowerCase() : '';
        const d = this.card.dataset;
        d.points = String(this.points.length);
        d.violationPoints = String(this.points.filter(p => p.severity).length);
        d.lastSampleId = last ? last.sampleId : '';
        d.centerLine = limits && limits.cl !== null ? String(limits.cl) : '';
        d.ucl = limits && limits.ucl !== null ? String(limits.ucl) : '';
        d.lcl = limits && limits.lcl !== null ? String(limits.lcl) : '';
        this.onRendered(this);
    }

    destroy() {
        if (this.resizer) {
            this.resizer.disconnect();
        }
        if (this.plot) {
            this.plot.destroy();
        }
        this.card.remove();
    }
}

/** The charts, one per characteristic, in id order; drawn at most every few tens of milliseconds. */
export class ChartBoard {
    constructor(root, empty, onCharacteristic) {
        this.root = root;
        this.empty = empty;
        this.onCharacteristic = onCharacteristic;
        this.charts = new Map();
        this.dirty = new Set();
        this.timer = null;
    }

    chart(id) {
        let chart = this.charts.get(id);
        if (!chart) {
            chart = new ControlChart(id, c => this.onCharacteristic(c.id, c.name));
            this.charts.set(id, chart);
            const ordered = [...this.charts.keys()].sort(compareIds);
            const next = ordered[ordered.indexOf(id) + 1];
            this.root.insertBefore(chart.card, next === undefined ? null : this.charts.get(next).card);
            this.empty.hidden = true;
        }
        return chart;
    }

    apply(event) {
        if (event.characteristic_id === undefined || event.characteristic_id === null) {
            return;
        }
        const id = String(event.characteristic_id);
        const changed = event.type === 'sample' ? this.chart(id).addSample(event)
            : event.type === 'control_limits' ? this.chart(id).addLimits(event)
            : event.type === 'violation' ? this.chart(id).markViolation(event)
            : false;
        if (changed) {
            this.dirty.add(id);
            if (this.timer === null) {
                this.timer = setTimeout(() => this.flush(), 40);
            }
        }
    }

    flush() {
        this.timer = null;
        for (const id of this.dirty) {
            const chart = this.charts.get(id);
            if (chart) {
                chart.render();
            }
        }
        this.dirty.clear();
    }

    clear() {
        clearTimeout(this.timer);
        this.timer = null;
        this.dirty.clear();
        for (const chart of this.charts.values()) {
            chart.destroy();
        }
        this.charts.clear();
        this.empty.hidden = false;
    }
}

/** Characteristic ids in order: numerically when both are numbers. */
export function compareIds(a, b) {
    const na = Number(a);
    const nb = Number(b);
    if (Number.isFinite(na) && Number.isFinite(nb)) {
        return na - nb;
    }
    return a < b ? -1 : a > b ? 1 : 0;
}
