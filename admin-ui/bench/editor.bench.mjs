// Editor benchmark, measured in the system Chromium against the built app served by the real product:
// how long a 1,000-node flow takes to open and become interactive, the frame times while dragging a
// node on it, and the production bundle size (gzip). Writes bench/results/admin-ui-editor.json.
// Run after `npm run build`: `npm run bench -w @parley/admin-ui`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { percentile, report } from '../../bench/lib.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'admin-ui/dist');
const NODES = 1000;
const RUNS = 3;

function bundleSizes() {
  const assets = join(DIST, 'assets');
  const files = readdirSync(assets);
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const size = (file) => gzipSync(readFileSync(join(assets, file)), { level: 9 }).length / 1024;
  const initial = files.filter((file) => html.includes(file));
  const lazy = files.filter((file) => file.endsWith('.js') && !html.includes(file));
  return {
    initialKiB: initial.reduce((sum, file) => sum + size(file), 0),
    lazyKiB: lazy.reduce((sum, file) => sum + size(file), 0),
    totalKiB: files.filter((file) => /\.(js|css)$/.test(file)).reduce((sum, file) => sum + size(file), 0),
  };
}

/** A valid flow of `count` blocks: questions and messages in a chain, laid out on a grid. */
function bigFlow(count) {
  const nodes = [];
  const edges = [];
  for (let i = 1; i <= count; i++) {
    const position = { x: ((i - 1) % 25) * 320, y: Math.floor((i - 1) / 25) * 220 };
    if (i === count) nodes.push({ id: `n${i}`, type: 'end', position, config: { text: 'Thanks!' } });
    else if (i % 3 === 0) {
      nodes.push({
        id: `n${i}`,
        type: 'question',
        position,
        config: { prompt: `Question ${i}?`, variable: `q${i}`, answer: { type: 'string' } },
      });
    } else {
      // One block reads a variable nothing sets: a warning, which the benchmark uses to jump to it.
      const text = i === 514 ? 'Hello {{nobody}}' : `Message ${i}`;
      nodes.push({ id: `n${i}`, type: 'message', position, config: { text } });
    }
    if (i > 1) edges.push({ id: `e${i}`, source: `n${i - 1}`, sourceHandle: 'next', target: `n${i}` });
  }
  return {
    schemaVersion: 1,
    name: `${count} blocks`,
    triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
    nodes,
    edges,
  };
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startParley() {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-ui-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['start.mjs'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      PARLEY_DATA_DIR: dataDir,
      PARLEY_ADMIN_PASSWORD: 'bench-password-123',
      PARLEY_ADMIN_EMAIL: 'bench@parley.test',
      PARLEY_LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      REDIS_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const started = Date.now();
  while (!output.includes('Parley is running at')) {
    if (child.exitCode !== null || Date.now() - started > 60_000)
      throw new Error(`Parley did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function api(base, token, method, path, body) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** requestAnimationFrame intervals while a block is dragged by 60 pointer moves. */
async function dragFrames(page, node) {
  const box = await node.boundingBox();
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    window.__recording = true;
    requestAnimationFrame(tick);
  });
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(15, box.height / 3));
  await page.mouse.down();
  for (let step = 1; step <= 60; step++) {
    await page.mouse.move(box.x + box.width / 2 + step * 4, box.y + Math.min(15, box.height / 3) + step * 2);
  }
  await page.mouse.up();
  return page.evaluate(() => {
    window.__recording = false;
    return window.__frames.slice(2);
  });
}

if (!existsSync(join(DIST, 'index.html'))) {
  console.error('admin-ui/dist is missing: run `npm run build` first.');
  process.exit(1);
}

const bundle = bundleSizes();
const parley = await startParley();
const browser = await chromium.launch({
  executablePath: process.env.PARLEY_CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const { token, user } = await api(parley.url, null, 'POST', '/auth/login', {
    email: 'bench@parley.test',
    password: 'bench-password-123',
  });
  await api(parley.url, token, 'POST', '/flows', {
    name: `${NODES} blocks`,
    definition: bigFlow(NODES),
  });
  const opens = [];
  const interactives = [];
  const frames = [];
  const zoomedFrames = [];
  const zoom = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: parley.url });
    await context.addInitScript(
      ([t, w]) => {
        localStorage.setItem('parley.token', t);
        localStorage.setItem('parley.workspace', w);
      },
      [token, user.workspaces[0].workspaceId],
    );
    const page = await context.newPage();
    // Load the app shell first, so the measure is opening the flow, not booting the SPA.
    await page.goto('/flows');
    await page.getByRole('link', { name: `${NODES} blocks` }).waitFor();
    const started = Date.now();
    await page.getByRole('link', { name: `${NODES} blocks` }).click();
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByTestId('problems-summary').waitFor();
    await page.waitForFunction(
      () => !document.querySelector('.react-flow__node[style*="visibility: hidden"]'),
    );
    opens.push(Date.now() - started);
    // The block nearest the middle of the view (the top rows may be outside the fitted view).
    const pane = await page.locator('.react-flow__pane').boundingBox();
    const nearest = await page.evaluate(
      ([x, y]) => {
        let best = null;
        let distance = Number.POSITIVE_INFINITY;
        for (const element of document.querySelectorAll('.react-flow__node')) {
          const box = element.getBoundingClientRect();
          const d = Math.hypot(box.x + box.width / 2 - x, box.y + box.height / 2 - y);
          if (d < distance) [best, distance] = [element.getAttribute('data-id'), d];
        }
        return best;
      },
      [pane.x + pane.width / 2, pane.y + pane.height / 2],
    );
    const first = page.locator(`.react-flow__node[data-id="${nearest}"]`);
    await first.click();
    await page.getByRole('complementary', { name: /settings/ }).waitFor();
    interactives.push(Date.now() - started);

    // Frame times while dragging a block: with the whole flow in view, then zoomed in to reading size.
    frames.push(...(await dragFrames(page, first)));
    await page.getByRole('button', { name: '1 warning' }).click();
    await page
      .getByRole('region', { name: 'Problems' })
      .getByRole('button', { name: /nobody/ })
      .click();
    await page.waitForTimeout(600);
    zoomedFrames.push(...(await dragFrames(page, page.locator('.react-flow__node[data-id="n514"]'))));
    zoom.push(
      await page.evaluate(() => {
        const transform = document.querySelector('.react-flow__viewport')?.style.transform ?? '';
        return Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? 0);
      }),
    );
    await context.close();
  }
  report(
    'admin-ui-editor',
    {
      flow_nodes: [NODES, 'nodes'],
      open_1k_median_ms: [percentile(opens, 50), 'ms'],
      interactive_1k_median_ms: [percentile(interactives, 50), 'ms'],
      drag_frame_1k_median_ms: [percentile(frames, 50), 'ms'],
      drag_frame_1k_p95_ms: [percentile(frames, 95), 'ms'],
      drag_frames_sampled: [frames.length, 'frames'],
      drag_frame_zoomed_median_ms: [percentile(zoomedFrames, 50), 'ms'],
      drag_frame_zoomed_p95_ms: [percentile(zoomedFrames, 95), 'ms'],
      zoomed_scale: [percentile(zoom, 50), '×'],
      bundle_initial_gzip_kib: [bundle.initialKiB, 'KiB'],
      bundle_editor_chunks_gzip_kib: [bundle.lazyKiB, 'KiB'],
      bundle_total_gzip_kib: [bundle.totalKiB, 'KiB'],
    },
    {
      title: 'Admin UI editor (Chromium, headless, 1280×800)',
      notes: [
        'open: click on the flow in the list → every visible block drawn and validated',
        'interactive: → a click on a block has opened its settings',
        'drag: requestAnimationFrame intervals while a block is dragged (60 pointer moves), whole flow in view',
        'drag zoomed: the same after jumping to a block from the problems list (zoomed to reading size)',
      ],
    },
  );
} finally {
  await browser.close();
  await parley.stop();
}
