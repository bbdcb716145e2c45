import { type FlowDocument, validateForPublish } from '@parley/schemas';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { canvasToDocument, locateProblems } from '@/core/canvas';
import { api } from '@/infrastructure/api';
import { editorCanvas, useEditorStore } from '@/infrastructure/store/editor-store';

/** The Flow Document the canvas amounts to, recomputed when the flow changes (not on every drag frame). */
export function useFlowDocument(): FlowDocument {
  const revision = useEditorStore((state) => state.revision);
  const loadId = useEditorStore((state) => state.loadId);
  return useMemo(() => canvasToDocument(editorCanvas(useEditorStore.getState())), [revision, loadId]);
}

/**
 * Runs the publish validation shortly after each change and puts the problems on the blocks and in
 * the list, so "No problems" means the flow can be published.
 */
export function useLiveValidation(document: FlowDocument): void {
  const setProblems = useEditorStore((state) => state.setProblems);
  const validation = useAddressPolicy();
  useEffect(() => {
    const timer = setTimeout(() => {
      const { errors, warnings } = validateForPublish(document, validation);
      setProblems(locateProblems(document, [...errors, ...warnings]));
    }, 150);
    return () => clearTimeout(timer);
  }, [document, setProblems, validation]);
}

/** Loads what the deployment allows into the editor's checks; the checks that need it follow. */
function useAddressPolicy() {
  const setValidation = useEditorStore((state) => state.setValidation);
  const policy = useQuery({ queryKey: ['policy'], queryFn: api.policy, staleTime: Number.POSITIVE_INFINITY });
  const allowPrivateHttp = policy.data?.privateHttpAllowed;
  useEffect(() => {
    if (allowPrivateHttp !== undefined) setValidation({ allowPrivateHttp });
  }, [allowPrivateHttp, setValidation]);
  return useEditorStore((state) => state.validation);
}
