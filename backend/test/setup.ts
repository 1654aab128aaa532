import '../src/polyfill.js';
import 'reflect-metadata';
