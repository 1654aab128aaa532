/** The explorer's configuration, for server components only (see ./read.ts). */
import 'server-only';

export * from './read';
