// Outgoing HTTP is shared with the API (alert webhooks), so the guarded agents live in @parley/db.
export { dispatcherFor } from '@parley/db';
