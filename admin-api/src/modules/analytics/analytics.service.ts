import type { HandoffAnalytics } from '@parley/contract';
import {
  CONVERSATION_STATUSES,
  type FlowDocument,
  type FlowNode,
  flowOrder,
  nodeDefinition,
  nodeName,
} from '@parley/schemas';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import type { VersionDefinition } from '../responses/responses.repository.js';
import type { ResponsesService } from '../responses/responses.service.js';
import type { AnalyticsFilters, AnalyticsRepository } from './analytics.repository.js';

/** Ends that are a drop-off: the contact went quiet, started over, or the flow failed. */
const DROP_STATUSES = new Set(['expired', 'abandoned', 'failed']);

export interface NodeFunnel {
  nodeId: string;
  type: string | null;
  label: string | null;
  /** How people name the step (nodeName), never its id; null for a node no listed version has. */
  name: string | null;
  reached: number;
  answered: number;
  droppedHere: number;
  waitingHere: number;
}

export interface FlowAnalytics {
  handoffs: HandoffAnalytics;
  starts: number;
  completions: number;
  completionRate: number;
  medianSecondsToComplete: number | null;
  /** `handoff` counts the hand-offs still waiting for a person; released ones are apart. */
  byStatus: Record<(typeof CONVERSATION_STATUSES)[number], number> & { handoffReleased: number };
  nodes: NodeFunnel[];
}

interface NodeInfo {
  type: string;
  label: string | null;
  name: string;
}

function short(text: string, length = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}

function labelOf(node: FlowNode): string | null {
  const summary = nodeDefinition(node.type).summary?.(node.config);
  return summary === undefined ? null : short(summary);
}

/** Nodes of the given versions (newest first) in flow order, each once. */
function knownNodes(versions: VersionDefinition[]): Map<string, NodeInfo> {
  const nodes = new Map<string, NodeInfo>();
  for (const { definition } of versions) {
    let ordered: FlowNode[];
    try {
      ordered = flowOrder(definition as FlowDocument);
    } catch {
      continue;
    }
    for (const node of ordered) {
      if (!nodes.has(node.id)) {
        nodes.set(node.id, { type: node.type, label: labelOf(node), name: nodeName(node) });
      }
    }
  }
  return nodes;
}

/** The completion funnel of a flow: starts, completions, time to complete, and drop-off per node. */
export class AnalyticsService {
  constructor(
    private readonly api: ApiContext,
    private readonly responses: ResponsesService,
    private readonly repository: AnalyticsRepository,
  ) {}

  async flowAnalytics(caller: Caller, flowId: string, filters: AnalyticsFilters): Promise<FlowAnalytics> {
    await this.responses.flow(caller, flowId);
    const { db } = this.api;
    const [summary, visits, stops, versions, handoffs, agents] = await Promise.all([
      this.repository.summary(db, caller.workspaceId, flowId, filters),
      this.repository.nodeVisits(db, caller.workspaceId, flowId, filters),
      this.repository.stops(db, caller.workspaceId, flowId, filters),
      this.responses.repository.definitions(db, caller.workspaceId, flowId, false),
      this.repository.handoffs(db, caller.workspaceId, flowId, filters),
      this.repository.agentHandoffs(db, caller.workspaceId, flowId, filters),
    ]);
    const byStatus = {
      ...Object.fromEntries(CONVERSATION_STATUSES.map((status) => [status, summary.byStatus[status] ?? 0])),
      handoffReleased: summary.byStatus.handoff_released ?? 0,
    } as FlowAnalytics['byStatus'];
    const starts = Object.values(summary.byStatus).reduce((sum, count) => sum + count, 0);
    const completions = byStatus.completed;

    // Nodes of the version asked for (else of every published version, newest first) in flow order,
    // then nodes only the data knows (versions not listed, draft snapshots), most reached first.
    const known = knownNodes(
      filters.version === undefined
        ? versions
        : versions.filter(({ version }) => version === filters.version),
    );
    const funnel = new Map<string, NodeFunnel>();
    const entry = (nodeId: string): NodeFunnel => {
      let node = funnel.get(nodeId);
      if (node === undefined) {
        const info = known.get(nodeId);
        node = {
          nodeId,
          type: info?.type ?? null,
          label: info?.label ?? null,
          name: info?.name ?? null,
          reached: 0,
          answered: 0,
          droppedHere: 0,
          waitingHere: 0,
        };
        funnel.set(nodeId, node);
      }
      return node;
    };
    for (const nodeId of known.keys()) entry(nodeId);
    for (const visit of [...visits].sort(
      (a, b) => b.reached - a.reached || a.nodeId.localeCompare(b.nodeId),
    )) {
      const node = entry(visit.nodeId);
      node.reached = visit.reached;
      node.answered = visit.answered;
    }
    for (const stop of stops) {
      const node = entry(stop.nodeId);
      if (DROP_STATUSES.has(stop.status)) node.droppedHere += stop.count;
      else if (stop.status === 'active') node.waitingHere += stop.count;
    }
    return {
      starts,
      completions,
      completionRate: starts === 0 ? 0 : completions / starts,
      medianSecondsToComplete: summary.medianSecondsToComplete,
      byStatus,
      nodes: [...funnel.values()],
      handoffs: { ...handoffs, agents },
    };
  }
}
