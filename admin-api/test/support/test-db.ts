export { createTestDatabase, TEST_POSTGRES_URL } from '@parley/db/testing';
