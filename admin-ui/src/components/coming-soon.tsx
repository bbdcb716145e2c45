import { Construction } from 'lucide-react';
import type * as React from 'react';
import { PageHeader } from './page-header';
import { EmptyState } from './ui/states';

/** A screen whose API is not there yet: says what it will do. */
export function ComingSoon({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState icon={<Construction />} title={`${title} are on their way`}>
        {children}
      </EmptyState>
    </>
  );
}
