import { useEffect, useState } from 'react';

/** The time now, moving on every `everyMs`: "waiting 5 min" counts up without asking the server. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
