import type * as React from 'react';
import { Logo } from './logo';
import { Card } from './ui/card';

/** The frame of the screens before the app (sign in, reset, choose a password): logo, a titled card, a note under it. */
export function AuthCard({
  title,
  children,
  footer,
}: {
  title: string;
  children: React.ReactNode;
  footer?: React.ReactNode;
}) {
  return (
    <main className="flex min-h-full items-center justify-center bg-gradient-to-b from-emerald-50 to-background px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex justify-center">
          <Logo className="text-2xl" />
        </div>
        <Card className="p-6">
          <h1 className="text-lg font-semibold">{title}</h1>
          {children}
        </Card>
        {footer}
      </div>
    </main>
  );
}
