export { seedPublishedFlow } from '@parley/db/testing';
