import { useSyncExternalStore } from 'react';

const subscribeOnline = (cb: () => void) => {
  window.addEventListener('online', cb);
  window.addEventListener('offline', cb);
  return () => {
    window.removeEventListener('online', cb);
    window.removeEventListener('offline', cb);
  };
};

/** Whether the browser believes it is online; updates on the online and offline events. */
export const useOnline = () => useSyncExternalStore(subscribeOnline, () => navigator.onLine);
