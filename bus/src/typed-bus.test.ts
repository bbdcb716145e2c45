import { describe, expect, it } from 'vitest';
import { busChannels } from './channels.js';
import { MemoryBus } from './memory-bus.js';
import { publish, subscribe } from './typed-bus.js';

function recordingLogger() {
  const warnings: { details: Record<string, unknown>; message: string }[] = [];
  return {
    warnings,
    warn: (details: Record<string, unknown>, message: string) => warnings.push({ details, message }),
  };
}

describe('typed bus channels', () => {
  it('hands a subscriber what the publisher sent on its channel', async () => {
    const bus = new MemoryBus();
    const logger = recordingLogger();
    const received: unknown[] = [];
    await subscribe(bus, busChannels.contactPurged, (payload) => received.push(payload), logger);
    await publish(bus, busChannels.contactPurged, { numberId: 'n1', contact: '+15550001' });
    expect(received).toEqual([{ numberId: 'n1', contact: '+15550001' }]);
    expect(logger.warnings).toEqual([]);
  });

  it('reports and drops a malformed payload instead of handing it on', async () => {
    const bus = new MemoryBus();
    const logger = recordingLogger();
    const received: unknown[] = [];
    const channel = busChannels.session('n1');
    await subscribe(bus, channel, (payload) => received.push(payload), logger);
    await bus.publish(channel.name, { numberId: 'n1', state: 'dancing', at: 'yesterday' });
    expect(received).toEqual([]);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.message).toBe('dropped a malformed bus message');
    expect(logger.warnings[0]?.details.channel).toBe('session:n1');
    expect(logger.warnings[0]?.details.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/state /), expect.stringMatching(/^\/at /)]),
    );
  });

  it('checks the commands a runtime acts on', async () => {
    const bus = new MemoryBus();
    const logger = recordingLogger();
    const received: unknown[] = [];
    await subscribe(bus, busChannels.sessionCommands, (payload) => received.push(payload), logger);
    await bus.publish(busChannels.sessionCommands.name, { numberId: 'not-a-uuid', command: 'connect' });
    await bus.publish(busChannels.sessionCommands.name, { numberId: crypto.randomUUID(), command: 'reboot' });
    const ok = { numberId: crypto.randomUUID(), command: 'logout' as const };
    await publish(bus, busChannels.sessionCommands, ok);
    expect(received).toEqual([ok]);
    expect(logger.warnings).toHaveLength(2);
  });
});
