import { NODE_TYPES } from '@parley/schemas';
import type { NodeTypes } from '@xyflow/react';
import { NodeCard } from './NodeCard';
import { TriggerCard } from './TriggerCard';

/** React Flow's component per node type, declared once at module level. */
export const nodeTypes: NodeTypes = {
  trigger: TriggerCard,
  ...Object.fromEntries(NODE_TYPES.map((type) => [type, NodeCard])),
} as NodeTypes;
