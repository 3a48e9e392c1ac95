import { frontEndViteConfig } from './front-end-vite-config.js';

// the tab, and the consent pop-up Teams opens when WarmPath needs the user's consent
export default frontEndViteConfig(import.meta.dirname, {
  pages: { index: 'index.html', consent: 'consent.html' },
});
