export { createTestDatabase, createTestRedis, TEST_POSTGRES_URL, TEST_REDIS_URL } from '@parley/db/testing';
