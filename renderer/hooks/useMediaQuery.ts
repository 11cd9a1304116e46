import { useCallback, useSyncExternalStore } from 'react';

/** Whether a CSS media query matches, kept up to date (e.g. the colour scheme, a short window). */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const m = window.matchMedia(query);
      m.addEventListener('change', onChange);
      return () => m.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}

/** Whether the dark theme is on (the app follows the system's colour scheme). */
export const usePrefersDark = () => useMediaQuery('(prefers-color-scheme: dark)');
