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
import { InboxBadge, InboxLive, InboxPage } from '@/features/inbox';
import { InvitationsBanner, InvitationsPage } from '@/features/invitations';
import { NumbersPage, StatusPage } from '@/features/numbers';
import { ResponsesPage } from '@/features/responses';
import { AppShell, NewWorkspaceButton, NotFoundPage, RequireRole, RequireSession } from '@/features/shell';
import { UsersPage } from '@/features/users';
import { WorkspacePage } from '@/features/workspace';
import { useSession } from '@/infrastructure/store';
import { queryClient } from './query-client';

/** Agents answer contacts: they start in the inbox; everyone else with the flows. */
function HomeRedirect() {
  const role = useSession((state) => state.me?.role);
  return <Navigate to={role === 'agent' ? '/inbox' : '/flows'} replace />;
}

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
              {/* Inbox events keep every signed-in screen's inbox data and notifications current. */}
              <Route element={<InboxLive />}>
                <Route
                  path="/flows/:flowId"
                  element={
                    <Suspense fallback={<LoadingState label="Opening the editor…" />}>
                      <EditorPage />
                    </Suspense>
                  }
                />
                <Route
                  element={<AppShell banner={<InvitationsBanner />} badges={{ '/inbox': <InboxBadge /> }} />}
                >
                  <Route index element={<HomeRedirect />} />
                  <Route path="/flows" element={<FlowsPage />} />
                  <Route element={<RequireRole minRole="agent" />}>
                    <Route path="/inbox/:conversationId?" element={<InboxPage />} />
                  </Route>
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
            </Route>
          </Routes>
        </BrowserRouter>
        <Toaster />
      </TooltipProvider>
    </QueryClientProvider>
  );
}
