import { runtimeConfigFromEnv } from './config.js';
import { RuntimeService } from './runtime-service.js';

/** `npm run runtime`: one runtime process; SIGTERM/SIGINT shut it down gracefully. */
const service = await (async () => RuntimeService.start(runtimeConfigFromEnv()))().catch((error: unknown) => {
  process.stderr.write(`parley runtime could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
let signalled = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (signalled) process.exit(1);
    signalled = true;
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        service.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
