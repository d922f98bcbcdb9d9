import { defineConfig } from 'vite';

// Plain Vite: its built-in transform compiles the TSX (automatic JSX runtime); no plugin needed.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
