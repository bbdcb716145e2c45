import { SearchX } from 'lucide-react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/states';

export function NotFoundPage() {
  return (
    <EmptyState
      icon={<SearchX />}
      title="This page does not exist"
      action={
        <Button asChild variant="outline">
          <Link to="/flows">Go to your flows</Link>
        </Button>
      }
    >
      The link may be old or mistyped.
    </EmptyState>
  );
}
