import { type FlowDocument, validateForPublish } from '@parley/schemas';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { canvasToDocument, locateProblems } from '@/core/canvas';
import { api } from '@/infrastructure/api';
import { editorCanvas, useEditorStore } from '@/infrastructure/store/editor-store';
import { useAiProviders } from './nodes/ai-model/use-ai-providers';

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
  const validation = useWorkspaceChecks();
  useEffect(() => {
    const timer = setTimeout(() => {
      const { errors, warnings } = validateForPublish(document, validation);
      setProblems(locateProblems(document, [...errors, ...warnings]));
    }, 150);
    return () => clearTimeout(timer);
  }, [document, setProblems, validation]);
}

/**
 * Loads what the deployment allows and the workspace's AI providers into the editor's checks, so
 * the problems list says what publishing would refuse; the checks that need them follow.
 */
function useWorkspaceChecks() {
  const setValidation = useEditorStore((state) => state.setValidation);
  const policy = useQuery({ queryKey: ['policy'], queryFn: api.policy, staleTime: Number.POSITIVE_INFINITY });
  const allowPrivateHttp = policy.data?.privateHttpAllowed;
  const providers = useAiProviders().data;
  const setAiStart = useEditorStore((state) => state.setAiStart);
  useEffect(() => {
    const first = providers?.[0];
    setAiStart(first === undefined ? null : { credentialId: first.id, model: first.defaultModel ?? '' });
  }, [providers, setAiStart]);
  useEffect(() => {
    if (allowPrivateHttp === undefined) return;
    setValidation({
      allowPrivateHttp,
      ...(providers === undefined
        ? {}
        : { aiCredentialIds: new Set(providers.map((provider) => provider.id)) }),
    });
  }, [allowPrivateHttp, providers, setValidation]);
  return useEditorStore((state) => state.validation);
}
