import { frontEndViteConfig } from '../tab/front-end-vite-config.js';

// the task pane, and the sign-in page the Office dialog opens when the host has no NAA; the pane's
// components load while its start-up (sign-in, first question) already runs
export default frontEndViteConfig(import.meta.dirname, {
  pages: { taskpane: 'index.html', 'auth-dialog': 'auth-dialog.html' },
  preload: ['src/pane/render-pane.tsx'],
});
