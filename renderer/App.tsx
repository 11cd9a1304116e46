import { useQuery } from '@tanstack/react-query';
import { AppFooter } from './components/AppFooter';
import { EmptyAccounts } from './components/EmptyAccounts';
import { accountQueries } from './queries/app';

export function App() {
  const accounts = useQuery(accountQueries.all());
  return (
    <div className="app">
      <header className="app-header">
        <h1>Salvage</h1>
      </header>
      <main className="app-main">
        {accounts.isPending ? (
          <p aria-busy="true">Loading accounts…</p>
        ) : accounts.data && accounts.data.length === 0 ? (
          <EmptyAccounts />
        ) : (
          <ul aria-label="Accounts">
            {accounts.data?.map((a) => (
              <li key={a.id}>{a.label}</li>
            ))}
          </ul>
        )}
      </main>
      <AppFooter />
    </div>
  );
}
