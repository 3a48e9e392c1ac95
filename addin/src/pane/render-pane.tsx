import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PaneApp } from './PaneApp.js';
import type { Boot } from './start-pane.js';

export function renderPane(booting: Promise<Boot>): void {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <PaneApp booting={booting} />
    </StrictMode>,
  );
}
