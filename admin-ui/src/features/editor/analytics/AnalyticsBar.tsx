import { useQuery } from '@tanstack/react-query';
import { BarChart3, X } from 'lucide-react';
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Spinner } from '@/components/ui/states';
import { api, errorMessage } from '@/infrastructure/api';
import { formatDuration, formatPercent } from '@/lib/format';
import { useOverlayStore } from '../overlay-store';

/** "Show analytics" on the canvas: the flow's totals, and each block's numbers drawn on it. */
export function AnalyticsBar({ flowId, onClose }: { flowId: string; onClose: () => void }) {
  const [includeTest, setIncludeTest] = useState(false);
  const checkboxId = useId();
  const analytics = useQuery({
    queryKey: ['analytics', flowId, { includeTest }],
    queryFn: () => api.analytics(flowId, { includeTest }),
  });
  const setAnalytics = useOverlayStore((state) => state.setAnalytics);
  useEffect(() => {
    setAnalytics(analytics.data?.nodes ?? []);
  }, [analytics.data, setAnalytics]);
  useEffect(() => () => setAnalytics(null), [setAnalytics]);

  const data = analytics.data;
  return (
    <section
      aria-label="Flow analytics"
      className="absolute bottom-4 left-1/2 z-10 flex -translate-x-1/2 items-center gap-4 whitespace-nowrap rounded-full border bg-card py-1.5 pl-4 pr-1.5 text-xs shadow-md"
    >
      <BarChart3 className="size-4 text-primary" aria-hidden />
      {analytics.isPending ? (
        <span className="flex items-center gap-2 text-muted-foreground">
          <Spinner label="Loading analytics" /> Loading analytics…
        </span>
      ) : analytics.isError ? (
        <span role="alert" className="text-destructive">
          {errorMessage(analytics.error)}
        </span>
      ) : (
        data && (
          <span className="flex items-center gap-3" data-testid="analytics-totals">
            <span>
              <strong>{data.starts}</strong> starts
            </span>
            <span>
              <strong>{data.completions}</strong> completed
            </span>
            <span>
              <strong>{formatPercent(data.completionRate)}</strong> completion
            </span>
            <span>
              median <strong>{formatDuration(data.medianSecondsToComplete)}</strong>
            </span>
          </span>
        )
      )}
      <span className="flex items-center gap-1.5">
        <Checkbox
          id={checkboxId}
          checked={includeTest}
          onCheckedChange={(checked) => setIncludeTest(checked === true)}
        />
        <label htmlFor={checkboxId}>Include test data</label>
      </span>
      <Link to={`/responses?flow=${flowId}`} className="text-primary underline-offset-2 hover:underline">
        Responses
      </Link>
      <Button
        variant="ghost"
        size="icon-sm"
        className="rounded-full"
        aria-label="Hide analytics"
        onClick={onClose}
      >
        <X aria-hidden />
      </Button>
    </section>
  );
}
