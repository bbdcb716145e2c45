import { useReactFlow } from '@xyflow/react';
import { type RefObject, useEffect, useState } from 'react';
import { useEditorStore } from '@/infrastructure/store/editor-store';

/** The smallest zoom at which a block's text reads comfortably. */
const READABLE_ZOOM = 0.8;

/** Room kept around the block: the problems summary floats over the canvas's top edge. */
const MARGIN = { top: 64, side: 16, bottom: 16 };

/** Whether `inner` lies inside `outer` less the margins. */
function fits(inner: DOMRect, outer: DOMRect): boolean {
  return (
    inner.left >= outer.left + MARGIN.side &&
    inner.right <= outer.right - MARGIN.side &&
    inner.top >= outer.top + MARGIN.top &&
    inner.bottom <= outer.bottom - MARGIN.bottom
  );
}

/**
 * Keeps the selected block in full, readable view: when it is selected and whenever the canvas
 * changes size (a side panel opens, folds or closes), the canvas moves to it if part of it is hidden
 * or too small to read, so that the panel editing a block never covers it. Returns the canvas's
 * width, for chrome that needs room.
 */
export function useKeepSelectionInView(container: RefObject<HTMLElement | null>): number {
  const flow = useReactFlow();
  const [width, setWidth] = useState(0);
  const selectedId = useEditorStore((state) => {
    const chosen = state.nodes.filter((node) => node.selected);
    return chosen.length === 1 ? (chosen[0]?.id ?? null) : null;
  });

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    let frame = 0;
    const reveal = () => {
      const node = selectedId === null ? undefined : flow.getNode(selectedId);
      if (node === undefined || node.dragging) return;
      const shown = element.querySelector(`.react-flow__node[data-id="${CSS.escape(node.id)}"]`);
      if (shown === null) return;
      const zoom = flow.getZoom();
      if (zoom >= READABLE_ZOOM && fits(shown.getBoundingClientRect(), element.getBoundingClientRect()))
        return;
      const nodeWidth = node.measured?.width ?? 260;
      const nodeHeight = node.measured?.height ?? 120;
      flow.setCenter(node.position.x + nodeWidth / 2, node.position.y + nodeHeight / 2, {
        zoom: Math.max(zoom, READABLE_ZOOM),
        duration: 200,
      });
    };
    const observer = new ResizeObserver(([entry]) => {
      setWidth(entry?.contentRect.width ?? 0);
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(reveal);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [container, flow, selectedId]);

  return width;
}
