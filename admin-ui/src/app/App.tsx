import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { LoadingState } from '@/components/ui/states';
import { Toaster } from '@/components/ui/toast';
import { TooltipProvider } from '@/components/ui/tooltip';
import { AiProvidersPage } from '@/features/ai';
import { AlertsPage } from '@/features/alerts';
import { ApiKeysPage } from '@/features/api-keys';
import { ResetPasswordPage, SignInPage } from '@/features/auth';
import { ConversationsPage } from '@/features/conversations';
import { FlowsPage } from '@/features/flows';
import { InvitationsBanner, InvitationsPage } from '@/features/invitations';
import { NumbersPage, StatusPage } from '@/features/numbers';
import { ResponsesPage } from '@/features/responses';
import { AppShell, NewWorkspaceButton, NotFoundPage, RequireRole, RequireSession } from '@/features/shell';
import { UsersPage } from '@/features/users';
import { WorkspacePage } from '@/features/workspace';
import { queryClient } from './query-client';

// The editor (React Flow, ajv, layout) is loaded only when a flow is opened.
const EditorPage = lazy(() => import('@/features/editor').then((module) => ({ default: module.EditorPage })));
// Help carries the markdown renderer: loaded when opened.
const DocsPage = lazy(() => import('@/features/docs').then((module) => ({ default: module.DocsPage })));

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <TooltipProvider delayDuration={300}>
        <BrowserRouter>
          <Routes>
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/reset-password" element={<ResetPasswordPage />} />
            {/* Outside RequireSession: help reads the same signed in or not. */}
            <Route
              path="/docs/:page?"
              element={
                <Suspense fallback={<LoadingState label="Opening help…" />}>
                  <DocsPage />
                </Suspense>
              }
            />
            {/* Outside RequireSession: someone in no workspace yet answers invitations here. */}
            <Route
              path="/invitations"
              element={<InvitationsPage startWorkspace={<NewWorkspaceButton />} />}
            />
            <Route element={<RequireSession />}>
              <Route
                path="/flows/:flowId"
                element={
                  <Suspense fallback={<LoadingState label="Opening the editor…" />}>
                    <EditorPage />
                  </Suspense>
                }
              />
              <Route element={<AppShell banner={<InvitationsBanner />} />}>
                <Route index element={<Navigate to="/flows" replace />} />
                <Route path="/flows" element={<FlowsPage />} />
                <Route path="/numbers" element={<NumbersPage />} />
                <Route path="/conversations" element={<ConversationsPage />} />
                <Route path="/responses" element={<ResponsesPage />} />
                <Route path="/workspace" element={<WorkspacePage />} />
                <Route path="/alerts" element={<AlertsPage />} />
                <Route element={<RequireRole minRole="admin" />}>
                  <Route path="/users" element={<UsersPage />} />
                  <Route path="/api-keys" element={<ApiKeysPage />} />
                  <Route path="/ai-providers" element={<AiProvidersPage />} />
                  <Route path="/status" element={<StatusPage />} />
                </Route>
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Route>
          </Routes>
        </BrowserRouter>
        <Toaster />
      </TooltipProvider>
    </QueryClientProvider>
  );
}
