import { defineConfig } from 'vite';

// Preact through esbuild's automatic JSX runtime: no Babel and no framework plugin, so the build
// stays small and runs on Debian 12's Node.js 18 as well as newer ones.
export default defineConfig({
  base: './',
  esbuild: {
    jsx: 'automatic',
    jsxImportSource: 'preact',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
  },
});
