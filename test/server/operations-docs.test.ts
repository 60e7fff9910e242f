/**
 * The Grafana dashboard (docs/grafana/live-drop.json) and the PromQL of
 * docs/operations.md (alert rules, the numbers to watch) only name metrics,
 * and labels of those metrics, that the server really exports.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { register } from 'prom-client';
import { enableMetrics, metricNames, metricLabelNames } from '../../server/observability/metrics.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'e']);
/** Labels Prometheus adds or histograms carry, whatever the metric. */
const ALWAYS = new Set(['job', 'instance', 'le']);

/** The metric names and label names one PromQL expression uses. */
function parsePromql(expr: string): { metrics: string[]; selectors: [string, string][]; grouping: string[] } {
  const selectors: [string, string][] = [];
  const grouping: string[] = [];
  let rest = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  rest = rest.replace(/([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g, (_, name: string, body: string) => {
    for (const [, label] of body.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) selectors.push([name, label]);
    return name;
  });
  rest = rest.replace(/\b(?:by|without)\s*\(([^)]*)\)/g, (_, labels: string) => {
    grouping.push(
      ...labels
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    );
    return '';
  });
  rest = rest.replace(/\[[^\]]*\]/g, '');
  const metrics = [...rest.matchAll(/(?<![\w.])([a-zA-Z_:][\w:]*)\b(?!\s*\()/g)].map((m) => m[1]).filter((w) => !KEYWORDS.has(w));
  return { metrics, selectors, grouping };
}

function dashboardQueries(): string[] {
  const dashboard = JSON.parse(read('docs/grafana/live-drop.json'));
  return dashboard.panels.flatMap((p: { targets?: { expr: string }[] }) => (p.targets ?? []).map((t) => t.expr));
}

function operationsQueries(): string[] {
  const md = read('docs/operations.md');
  const rules = md.split('```yaml\ngroups:')[1].split('```')[0];
  const alerts = [...rules.matchAll(/^\s+expr: (.+)$/gm)].map((m) => m[1]);
  const watch = md.split('## What to watch during a drop')[1].split('\n## ')[0];
  const table = [...watch.matchAll(/`([^`]*\([^`]*)`/g)].map((m) => m[1]);
  return [...alerts, ...table];
}

describe('dashboard and alert queries', () => {
  let exported: Set<string>;
  before(async () => {
    enableMetrics({ activeHolds: async () => ({ holds: 0, units: 0 }), pool: () => null });
    exported = new Set(await metricNames());
  });

  const check = (expr: string) => {
    const { metrics, selectors, grouping } = parsePromql(expr);
    assert.ok(metrics.length > 0, `${expr} names a metric`);
    const labels = new Set(ALWAYS);
    for (const name of metrics) {
      const base = exported.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
      assert.ok(exported.has(base), `"${name}" in ${expr} is a metric the server exports`);
      for (const l of metricLabelNames(base)) labels.add(l);
    }
    for (const [name, label] of selectors) {
      const base = exported.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
      assert.ok(ALWAYS.has(label) || metricLabelNames(base).includes(label), `${name} has a label "${label}" (${expr})`);
    }
    for (const label of grouping) assert.ok(labels.has(label), `"by (${label})" is a label of the metrics in ${expr}`);
  };

  it('every query of docs/grafana/live-drop.json names exported metrics and their labels', () => {
    const queries = dashboardQueries();
    assert.ok(queries.length >= 20, `read ${queries.length} queries`);
    queries.forEach(check);
  });

  it('every alert rule and every number to watch in docs/operations.md does too', () => {
    const queries = operationsQueries();
    assert.ok(queries.length >= 12, `read ${queries.length} queries`);
    queries.forEach(check);
  });

  it('catches a query that names a metric the server does not export', () => {
    assert.throws(() => check('sum(rate(livedrop_reservation_total[1m]))'), /livedrop_reservation_total/);
    assert.throws(() => check('sum by (reason) (rate(livedrop_reservations_total[1m]))'), /reason/);
    assert.throws(() => check('livedrop_event_streams{route="/v1/time"}'), /route/);
  });

  it('keeps the process-wide default registry untouched', () => {
    assert.equal(register.getMetricsAsArray().length, 0);
  });
});
