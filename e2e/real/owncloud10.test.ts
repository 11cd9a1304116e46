import { contractSuite } from './contract';

/** The contract suite against a real ownCloud 10 (SALVAGE_REAL_OWNCLOUD) and the ownCloud 10 test server. */
contractSuite('owncloud10');
