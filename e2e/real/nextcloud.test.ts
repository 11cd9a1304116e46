import { contractSuite } from './contract';

/** The contract suite against a real Nextcloud (SALVAGE_REAL_NEXTCLOUD) and the Nextcloud test server. */
contractSuite('nextcloud');
