export { createTestDatabase, TEST_POSTGRES_URL, TEST_SECRET_KEY } from '@parley/db/testing';
