// The repository's lint rules plus Next's (React, hooks, accessibility, Core Web Vitals).
import nextVitals from 'eslint-config-next/core-web-vitals';
import root from '../eslint.config.mjs';

const config = [
  ...root,
  ...nextVitals,
  {
    ignores: ['.next/**', 'next-env.d.ts', 'public/**'],
  },
  {
    settings: { next: { rootDir: import.meta.dirname } },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
];

export default config;
