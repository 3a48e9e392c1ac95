import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PaneApp } from './pane/PaneApp.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PaneApp />
  </StrictMode>,
);
