import { useSyncExternalStore } from 'react';

/** Narrower than Tailwind's `md` breakpoint: the screens that get the phone layout (`max-md:`). */
const PHONE = '(max-width: 767.98px)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(PHONE);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** Whether the screen is phone-sized; follows rotation and window resizes. */
export function useIsPhone(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(PHONE).matches);
}

/** Whether the screen is phone-sized right now. */
export function isPhoneScreen(): boolean {
  return window.matchMedia(PHONE).matches;
}
