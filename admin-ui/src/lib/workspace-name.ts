import { WORKSPACE_NAME_MAX } from '@parley/contract';

/** The checks the API makes on a workspace name, in its words, before anything is sent. */
export const workspaceNameRules = {
  validate: (value: string): string | true => {
    const length = Array.from(value.trim()).length;
    if (length === 0) return 'Give the workspace a name.';
    if (length > WORKSPACE_NAME_MAX)
      return `A workspace name can be at most ${WORKSPACE_NAME_MAX} characters; this one has ${length}. Shorten it.`;
    return true;
  },
};
