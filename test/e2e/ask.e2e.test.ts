import { askSuite } from './ask-suite.js';

// Every /ask, /quote, /sources, /source, Find sources and /help test, on the embedded store.
askSuite('embedded');
