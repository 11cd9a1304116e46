import { useEffect, useState } from 'react';
import type { EventPayload } from '../../shared/contract';
import { subscribe } from '../api/client';

export type AppProblem = EventPayload<'app:problem'>;

/**
 * The last error main's safety net caught ('app:problem': something failed inside Salvage and the
 * batches running then were stopped and kept for Resume), until the user dismisses it.
 */
export function useAppProblem(): [AppProblem | null, () => void] {
  const [problem, setProblem] = useState<AppProblem | null>(null);
  useEffect(() => subscribe('app:problem', setProblem), []);
  return [problem, () => setProblem(null)];
}
