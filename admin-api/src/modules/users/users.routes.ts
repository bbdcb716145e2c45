import { Type } from '@sinclair/typebox';
import { type RouteDefinition, route } from '../../http/route.js';
import { Role, Timestamp, Uuid } from '../../http/schemas.js';
import type { UsersService } from './users.service.js';

const Member = Type.Object({ id: Uuid, email: Type.String(), role: Role, joinedAt: Timestamp });

export function userRoutes(users: UsersService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/users',
      summary: 'Members of the workspace and their roles',
      tag: 'users',
      access: 'admin',
      responses: { 200: { description: 'Members', schema: Type.Object({ items: Type.Array(Member) }) } },
      handler: async ({ caller }) => ({ status: 200, body: { items: await users.list(caller) } }),
    }),
    route({
      method: 'post',
      path: '/users',
      summary: 'Add a user to the workspace with a role',
      tag: 'users',
      access: 'admin',
      body: Type.Object(
        {
          email: Type.String({ format: 'email', maxLength: 320 }),
          password: Type.String({ minLength: 10, maxLength: 1000, description: 'At least 10 characters' }),
          role: Role,
        },
        { additionalProperties: false },
      ),
      responses: { 201: { description: 'Added', schema: Member }, 409: { description: 'Already a member' } },
      handler: async ({ caller, body }) => ({
        status: 201,
        body: await users.add(caller, body.email, body.password, body.role),
      }),
    }),
  ];
}
