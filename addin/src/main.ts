import { startPane } from './pane/start-pane.js';

// sign-in and the first question start now; the components load alongside
const booting = startPane();
void import('./pane/render-pane.js').then(({ renderPane }) => renderPane(booting));
