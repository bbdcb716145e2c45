import type { FlowDocument } from '@parley/schemas';

export type Role = 'viewer' | 'editor' | 'admin';

export interface Membership {
  workspaceId: string;
  workspaceName: string;
  role: Role;
}

export interface User {
  id: string;
  email: string;
  workspaces: Membership[];
}

export interface Me extends User {
  workspaceId: string;
  role: Role;
}

export interface FlowSummary {
  id: string;
  name: string;
  publishedVersion: number | null;
  updatedAt: string;
}

export interface Flow {
  id: string;
  name: string;
  /** The stored draft: a Flow Document, though an imported one may still have problems. */
  draft: { definition: FlowDocument; etag: string };
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface FlowVersion {
  id: string;
  version: number;
  status: 'published' | 'archived' | 'draft';
  checksum: string;
  createdBy: string | null;
  createdAt: string;
  publishedAt: string | null;
}

export interface ProblemView {
  pointer: string;
  message: string;
}

export interface Member {
  id: string;
  email: string;
  role: Role;
  joinedAt: string;
}
