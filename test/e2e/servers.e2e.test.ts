import { serversSuite } from './servers-suite.js';

serversSuite('embedded');
