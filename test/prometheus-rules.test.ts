import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The alerting rules shipped for Alertmanager users, checked by Prometheus' own tool. */
const root = join(import.meta.dirname, '..');
const folder = join(root, 'docker/prometheus');

function promtool(...args: string[]): string {
  const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (found.error !== undefined)
    throw new Error(
      'promtool is not installed. Install Debian\'s "prometheus" package (apt-get install prometheus), as .ci/run does, then run this test again.',
    );
  return execFileSync('promtool', args, { cwd: folder, encoding: 'utf8' });
}

type Rule = { alert: string; expr: string; annotations: { summary?: string; description?: string } };

describe('Prometheus alerting rules', () => {
  it('are valid rules (promtool check rules)', () => {
    expect(promtool('check', 'rules', 'parley-alerts.yml')).toMatch(/SUCCESS/);
  });

  it('fire as their unit tests expect (promtool test rules)', () => {
    expect(promtool('test', 'rules', 'parley-alerts.test.yml')).toMatch(/SUCCESS/);
  });

  it('say what happened and what to do, over metrics the runtime exports', () => {
    const rules: Rule[] = parse(readFileSync(join(folder, 'parley-alerts.yml'), 'utf8')).groups.flatMap(
      (group: { rules: Rule[] }) => group.rules,
    );
    const exported = [
      'runtime/src/service/ops/metrics.ts',
      'runtime/src/service/channels/whatsapp/whatsapp-metrics.ts',
    ]
      .map((file) => readFileSync(join(root, file), 'utf8'))
      .join('\n');
    for (const rule of rules) {
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      expect(rule.annotations.description?.length, rule.alert).toBeGreaterThan(40);
      for (const [metric] of rule.expr.matchAll(/parley_[a-z_]+/g)) {
        // Histograms are exported under their base name; Prometheus adds _bucket.
        expect(exported, `${rule.alert} uses ${metric}`).toContain(`'${metric.replace(/_bucket$/, '')}'`);
      }
    }
  });
});
