import { useQuery } from '@tanstack/react-query';
import { appQueries } from '../queries/app';

/**
 * Version, platform and host (desktop window or browser host), as main reports them: in the title bar, taking no row of
 * its own.
 */
export function AppInfo() {
  const info = useQuery(appQueries.info());
  return (
    <p className="app-info" aria-label="About this app">
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
    </p>
  );
}
