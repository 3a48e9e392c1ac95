import { frontEndViteConfig } from '../tab/front-end-vite-config.js';

// the task pane, and the sign-in page the Office dialog opens when the host has no NAA
export default frontEndViteConfig(import.meta.dirname, {
  taskpane: 'index.html',
  'auth-dialog': 'auth-dialog.html',
});
