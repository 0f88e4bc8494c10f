// Vite build of the renderer: root src-renderer, relative asset URLs (the page loads from a custom protocol in
// Electron and from http://127.0.0.1 in the browser host), output to out/renderer (index.html + assets/).
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';

const rendererRoot = fileURLToPath(new URL('./src-renderer', import.meta.url));

/**
 * The dev server only (`vite`): React Fast Refresh injects an inline script and CSS arrives as injected <style>
 * tags, so dev pages allow inline scripts and styles. Builds keep the strict CSP.
 */
const devCspRelax: Plugin = {
  name: 'audio-ident-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
};

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react(), devCspRelax],
  publicDir: 'public',
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // No inlined assets: every asset is a file under 'self' (the CSP allows no data: scripts or worklets).
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
});
