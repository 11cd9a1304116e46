export { startDocSpaceServer, requiredScopes, type DocSpaceServer, type DocSpaceServerOptions } from './server';
export { DocSpaceState } from './state';
export { DEMO_KEY, TEST_KEYS, seedDemoPortal, seedTestPortal } from './seed';
