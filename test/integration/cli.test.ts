import { cliSuite } from './cli-suite.js';

// Every CLI test, on the embedded store.
cliSuite('embedded');
