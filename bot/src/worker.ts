// `npm run worker`: a sync worker on the PostgreSQL job queue. Arrives with issue 3.
console.error('npm run worker: the sync worker is not built yet (issue 3).');
process.exit(2);
