import '../src/polyfill.js';
import '../src/native-hash.js';
import 'reflect-metadata';
