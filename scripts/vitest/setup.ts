import { inject } from 'vitest';

// Every test file's listings use the worker built once for the run (scripts/vitest/globalSetup.ts),
// unless the environment names another. A file that tests the start from source unsets it.
process.env.SALVAGE_TRASH_WORKER ??= inject('trashWorker');
