import { useQuery } from '@tanstack/react-query';
import { appQueries } from '../queries/app';
import { WatchStatus } from './WatchStatus';

/** Version, platform and host (desktop window or browser host), as main reports them. */
export function AppFooter() {
  const info = useQuery(appQueries.info());
  return (
    <footer className="app-footer" aria-label="About this app">
      {info.data ? (
        <span data-testid="app-info">
          {info.data.name} {info.data.version} · {info.data.platform} ·{' '}
          {info.data.host === 'electron' ? 'desktop app' : 'browser host'}
          {info.data.secretStorage === 'memory-only' ? ' · passwords kept in memory only' : ''}
        </span>
      ) : info.error ? (
        <span role="status">Cannot reach the Salvage host: {info.error.message}</span>
      ) : (
        <span>Connecting…</span>
      )}
      <WatchStatus />
    </footer>
  );
}
