import { useAccountLook } from '../hooks/accountLook';

/**
 * An account as a small tag: its colour and short name (the full label on hover, and for screen readers when the short
 * name differs).
 */
export function AccountBadge({ accountId }: { accountId: string }) {
  const look = useAccountLook()(accountId);
  return (
    <span className="account-badge" title={look.label} data-testid="account-badge">
      <span className="swatch" style={{ background: look.color }} aria-hidden="true" />
      <span className="account-badge-name">{look.short}</span>
      {look.short !== look.label && <span className="visually-hidden"> ({look.label})</span>}
    </span>
  );
}

/** Several accounts' badges side by side (a batch or a result list that spans accounts). */
export function AccountBadges({ accountIds }: { accountIds: readonly string[] }) {
  const unique = [...new Set(accountIds)];
  if (unique.length === 0) return null;
  return (
    <span className="account-badges">
      {unique.map((id) => (
        <AccountBadge key={id} accountId={id} />
      ))}
    </span>
  );
}

/** Just the account's colour (beside its name where the name is already written out). */
export function AccountSwatch({ accountId }: { accountId: string }) {
  const look = useAccountLook()(accountId);
  return <span className="swatch" style={{ background: look.color }} aria-hidden="true" />;
}
