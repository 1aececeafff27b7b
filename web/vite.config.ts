// The console's build: `npm run build:web` (and `npm ci`, through `prepare`) writes web/dist, which `glasshub serve` serves.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

const config: UserConfig = {
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    // The auditor's page runs src/ledger's own verification code; only its node:crypto calls need a browser version.
    alias: { 'node:crypto': here('src/shims/node-crypto.ts') },
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400, // kB minified; the budget that matters (300 KB gzipped) is checked in test/e2e
  },
};

export default defineConfig(({ command }) => {
  // A build is always React's production build, whatever NODE_ENV the caller has (vitest sets "test"): Vite
  // decides production-ness from NODE_ENV after reading this file.
  if (command === 'build') process.env['NODE_ENV'] = 'production';
  return config;
});
