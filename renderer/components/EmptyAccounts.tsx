/** The first screen when no account is set up yet. */
export function EmptyAccounts({ onOpenDemo, onAddAccount }: { onOpenDemo?: () => void; onAddAccount?: () => void }) {
  return (
    <section className="empty-state" aria-labelledby="empty-accounts-title">
      <h2 id="empty-accounts-title">No accounts yet — add one, or open the demo</h2>
      <p>Salvage lists what you deleted on your cloud file servers and puts it back where it was.</p>
      <div className="empty-actions">
        <button type="button" className="primary" onClick={onAddAccount} disabled={!onAddAccount}>
          Add account
        </button>
        <button type="button" onClick={onOpenDemo} disabled={!onOpenDemo}>
          Open the demo
        </button>
      </div>
    </section>
  );
}
