import { canvasToDocument } from '@/core/canvas';
import { ApiError, api, errorMessage } from '@/infrastructure/api';
import { editorCanvas, useEditorStore } from '@/infrastructure/store/editor-store';

let inflight: Promise<void> | null = null;

/**
 * Saves the draft now if it changed, with the etag it was loaded with. A 412 (someone else saved
 * in between) is never overwritten here: the editor enters the conflict state and asks.
 * Resolves true when the server has exactly what the editor shows.
 */
export async function saveNow(): Promise<boolean> {
  if (inflight) await inflight;
  const state = useEditorStore.getState();
  if (state.flowId === null || state.readOnly || state.saveStatus === 'conflict' || state.etag === null)
    return false;
  if (state.revision === state.savedRevision) return true;
  const revision = state.revision;
  const flowId = state.flowId;
  const document = canvasToDocument(editorCanvas(state));
  state.setSave({ saveStatus: 'saving' });
  inflight = api
    .saveDraft(flowId, state.etag, document)
    .then(({ etag }) => {
      const now = useEditorStore.getState();
      if (now.flowId !== flowId) return;
      now.setSave({
        etag,
        savedRevision: revision,
        saveStatus: now.revision === revision ? 'saved' : 'dirty',
        saveError: null,
      });
    })
    .catch((error: unknown) => {
      const now = useEditorStore.getState();
      if (now.flowId !== flowId) return;
      if (error instanceof ApiError && error.status === 412)
        now.setSave({ saveStatus: 'conflict', saveError: null });
      else now.setSave({ saveStatus: 'error', saveError: errorMessage(error) });
    })
    .finally(() => {
      inflight = null;
    });
  await inflight;
  const after = useEditorStore.getState();
  return (
    after.saveStatus === 'saved' ||
    (after.saveStatus === 'dirty' && after.savedRevision === revision && after.revision === revision)
  );
}

/** Keeps the draft saved: a change is sent once editing pauses for `delayMs`. Returns a stop function. */
export function startAutosave(delayMs = 700): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = useEditorStore.subscribe((state, previous) => {
    if (state.revision === previous.revision) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void saveNow().then(() => {
        // Changes made while saving get their own save.
        const after = useEditorStore.getState();
        if (after.revision !== after.savedRevision && after.saveStatus === 'dirty') {
          timer = setTimeout(() => void saveNow(), delayMs);
        }
      });
    }, delayMs);
  });
  return () => {
    if (timer) clearTimeout(timer);
    unsubscribe();
  };
}
