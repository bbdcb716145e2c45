import type { WorkspaceStatus } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import type { StatusRepository } from './status.repository.js';

/** How many recent problems the status screen lists. */
const RECENT_PROBLEMS = 20;

/** The workspace's status now: its numbers, what waits, open alerts, recent problems, totals. */
export class StatusService {
  constructor(
    private readonly api: ApiContext,
    private readonly repository: StatusRepository,
  ) {}

  async now(workspaceId: string): Promise<WorkspaceStatus> {
    const [numbers, recentProblems, alerts] = await Promise.all([
      this.repository.numbers(this.api.db, workspaceId),
      this.repository.recentProblems(this.api.db, workspaceId, RECENT_PROBLEMS),
      this.repository.alerts(this.api.db, workspaceId),
    ]);
    const sum = (pick: (row: (typeof numbers)[number]) => number) =>
      numbers.reduce((total, row) => total + pick(row), 0);
    return {
      numbers,
      recentProblems,
      totals: {
        inbox: sum((row) => row.inbox),
        outbox: sum((row) => row.outbox),
        failedSends24h: sum((row) => row.failedSends24h),
      },
      alerts,
      checkedAt: new Date().toISOString(),
    };
  }
}
