import { useEffect } from 'react';
import { toast } from '@/components/ui/toast';
import { useEditorStore } from '@/infrastructure/store/editor-store';

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('[role="dialog"],[role="alertdialog"],[role="listbox"],[role="menu"]')) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Undo/redo, copy/paste and Delete for the canvas; ignored while typing in a field or a dialog. */
export function useEditorShortcuts() {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (typingIn(event.target)) return;
      const store = useEditorStore.getState();
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === 'z') {
        event.preventDefault();
        if (event.shiftKey) store.redo();
        else store.undo();
      } else if (mod && key === 'y') {
        event.preventDefault();
        store.redo();
      } else if (mod && key === 'c') {
        const copied = store.copy();
        if (copied > 0) toast.info(`Copied ${copied} block${copied === 1 ? '' : 's'}`);
      } else if (mod && key === 'v') {
        event.preventDefault();
        store.paste();
      } else if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) {
        if (store.readOnly) return;
        event.preventDefault();
        store.deleteSelection();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
