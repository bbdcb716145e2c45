import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ComingSoon } from '@/components/coming-soon';
import { LoadingState } from '@/components/ui/states';
import { Toaster } from '@/components/ui/toast';
import { TooltipProvider } from '@/components/ui/tooltip';
import { SignInPage } from '@/features/auth';
import { FlowsPage } from '@/features/flows';
import { AppShell, NotFoundPage, RequireRole, RequireSession } from '@/features/shell';
import { UsersPage } from '@/features/users';
import { queryClient } from './query-client';

// The editor (React Flow, ajv, layout) is loaded only when a flow is opened.
const EditorPage = lazy(() => import('@/features/editor').then((module) => ({ default: module.EditorPage })));

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <TooltipProvider delayDuration={300}>
        <BrowserRouter>
          <Routes>
            <Route path="/sign-in" element={<SignInPage />} />
            <Route element={<RequireSession />}>
              <Route
                path="/flows/:flowId"
                element={
                  <Suspense fallback={<LoadingState label="Opening the editor…" />}>
                    <EditorPage />
                  </Suspense>
                }
              />
              <Route element={<AppShell />}>
                <Route index element={<Navigate to="/flows" replace />} />
                <Route path="/flows" element={<FlowsPage />} />
                <Route
                  path="/numbers"
                  element={
                    <ComingSoon title="Numbers">
                      Connect WhatsApp numbers by scanning a QR code, see their status and choose which flow
                      answers on each.
                    </ComingSoon>
                  }
                />
                <Route
                  path="/conversations"
                  element={
                    <ComingSoon title="Conversations">
                      Follow conversations as they happen, read transcripts and take over from the bot.
                    </ComingSoon>
                  }
                />
                <Route
                  path="/responses"
                  element={
                    <ComingSoon title="Responses">
                      Every completed conversation’s answers in a table, with filters, exports and a drop-off
                      funnel.
                    </ComingSoon>
                  }
                />
                <Route element={<RequireRole minRole="admin" />}>
                  <Route path="/users" element={<UsersPage />} />
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
