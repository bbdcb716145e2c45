import { isFlowNode } from '@/core/canvas';
import { type FlowVariable, flowVariables } from '@/core/variables/flow-variables';
import { useEditorStore } from '@/infrastructure/store/editor-store';

/** The variables the flow defines (from the blocks on the canvas), optionally leaving one block out. */
export function useFlowVariables(exclude?: string): FlowVariable[] {
  const nodes = useEditorStore((state) => state.nodes);
  return flowVariables(
    nodes
      .filter(isFlowNode)
      .filter((node) => node.id !== exclude)
      .map((node) => ({ type: node.type, config: node.data.config })),
  );
}
