import type { HandoffAnalytics as Handoffs } from '@parley/contract';
import { formatDuration } from '@/lib/format';

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border bg-card px-4 py-3">
      <p className="text-xs text-muted-foreground">{label}</p>
      <p className="mt-1 text-2xl font-semibold tracking-tight">{value}</p>
      {hint && <p className="text-xs text-muted-foreground">{hint}</p>}
    </div>
  );
}

/** How the flow's hand-offs to people went: how many, how soon answered, and who answered them. */
export function HandoffAnalytics({ data }: { data: Handoffs }) {
  return (
    <section aria-labelledby="handoff-analytics" className="flex flex-col gap-3">
      <div>
        <h2 id="handoff-analytics" className="text-sm font-semibold">
          Hand-offs to people
        </h2>
        <p className="text-xs text-muted-foreground">
          Conversations this flow handed over to your team, and how soon someone replied.
        </p>
      </div>
      {data.total === 0 ? (
        <p className="rounded-lg border bg-card px-4 py-6 text-center text-sm text-muted-foreground">
          No conversation of this flow was handed over to a person in this period.
        </p>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <Figure label="Handed over" value={String(data.total)} />
            <Figure
              label="Still with a person"
              value={String(data.open)}
              hint="Not closed or handed back yet"
            />
            <Figure
              label="Median time to first reply"
              value={formatDuration(data.medianSecondsToFirstReply)}
              hint={`${data.answered} of ${data.total} answered`}
            />
            <Figure
              label="9 in 10 answered within"
              value={formatDuration(data.p90SecondsToFirstReply)}
              hint="90th percentile"
            />
          </div>
          <div className="overflow-x-auto rounded-lg border bg-card">
            <table className="w-full text-sm">
              <caption className="sr-only">Hand-offs per person</caption>
              <thead className="text-left text-xs text-muted-foreground">
                <tr>
                  <th className="px-4 py-2 font-medium">Person</th>
                  <th className="px-4 py-2 text-right font-medium">Hand-offs taken</th>
                  <th className="px-4 py-2 text-right font-medium">Replies</th>
                  <th className="px-4 py-2 text-right font-medium">Median first reply</th>
                </tr>
              </thead>
              <tbody>
                {data.agents.length === 0 ? (
                  <tr className="border-t">
                    <td colSpan={4} className="px-4 py-4 text-center text-muted-foreground">
                      Nobody has taken or answered these hand-offs yet.
                    </td>
                  </tr>
                ) : (
                  data.agents.map((agent) => (
                    <tr key={agent.id} className="border-t">
                      <td className="max-w-64 truncate px-4 py-2">{agent.name}</td>
                      <td className="px-4 py-2 text-right tabular-nums">{agent.taken}</td>
                      <td className="px-4 py-2 text-right tabular-nums">{agent.replies}</td>
                      <td className="px-4 py-2 text-right tabular-nums">
                        {formatDuration(agent.medianSecondsToFirstReply)}
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <p className="text-xs text-muted-foreground">
            A person’s hand-offs are those they hold now or replied in; their median counts the hand-offs they
            answered first.
          </p>
        </>
      )}
    </section>
  );
}
