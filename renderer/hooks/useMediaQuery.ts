import { useCallback, useSyncExternalStore } from 'react';

const lists = new Map<string, MediaQueryList>();
/**
 * One MediaQueryList per query: the trash table asks on every scroll frame, and matchMedia makes a new one each call.
 */
const mediaList = (query: string) => {
  let m = lists.get(query);
  if (!m) lists.set(query, (m = window.matchMedia(query)));
  return m;
};

/** Whether a CSS media query matches, kept up to date (e.g. the colour scheme, a short window). */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const m = mediaList(query);
      m.addEventListener('change', onChange);
      return () => m.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => mediaList(query).matches);
}

/** Whether the dark theme is on (the app follows the system's colour scheme). */
export const usePrefersDark = () => useMediaQuery('(prefers-color-scheme: dark)');
