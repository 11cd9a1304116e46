import { useAppProblem } from '../queries/problems';

/**
 * Something failed inside Salvage and main's safety net caught it: main's own sentence says what,
 * and which running batches were stopped (Resume, in the operations panel, finishes them).
 */
export function AppProblemBanner() {
  const [problem, dismiss] = useAppProblem();
  // Always there (empty when all is well): the window's grid gives it a row of its own.
  if (!problem) return <div className="app-problems" />;
  return (
    <div className="app-problems banner error" role="alert" data-testid="app-problem">
      <span>{problem.message}</span>
      <button type="button" onClick={dismiss}>
        OK
      </button>
    </div>
  );
}
