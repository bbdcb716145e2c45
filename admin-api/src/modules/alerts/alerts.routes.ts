import {
  AlertList,
  AlertRule,
  AlertRuleList,
  CreateAlertRuleBody,
  IdParams,
  UpdateAlertRuleBody,
} from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { AlertsService } from './alerts.service.js';

export function alertRoutes(alerts: AlertsService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/alerts',
      summary: 'Open alerts, then the most recent resolved ones, with how their notices went',
      tag: 'alerts',
      access: 'viewer',
      responses: { 200: { description: 'Alerts, open ones first', schema: AlertList } },
      handler: async ({ caller }) => ({ status: 200, body: { items: await alerts.listAlerts(caller) } }),
    }),
    route({
      method: 'get',
      path: '/alert-rules',
      summary: 'What the workspace watches, and where alerts are sent',
      tag: 'alerts',
      access: 'admin',
      responses: { 200: { description: 'Rules, oldest first', schema: AlertRuleList } },
      handler: async ({ caller }) => ({ status: 200, body: { items: await alerts.listRules(caller) } }),
    }),
    route({
      method: 'post',
      path: '/alert-rules',
      summary:
        'Watch something: a number down, a flow failing, hand-offs waiting, replies not sent, browser restarts',
      description:
        'Checked every minute. An alert opens once per thing in trouble and is resolved when it clears; ' +
        'each opening and resolution is POSTed to the webhook (JSON with `text`, as Slack and Teams ' +
        'expect, signed with the workspace signing secret when one is set) and mailed to the recipients ' +
        'when email is set up. Thresholds left out take the kind’s defaults.',
      tag: 'alerts',
      access: 'admin',
      body: CreateAlertRuleBody,
      responses: { 201: { description: 'The rule', schema: AlertRule } },
      handler: async ({ caller, body }) => ({ status: 201, body: await alerts.createRule(caller, body) }),
    }),
    route({
      method: 'patch',
      path: '/alert-rules/{id}',
      summary: 'Change an alert rule, or turn it off and on',
      tag: 'alerts',
      access: 'admin',
      params: IdParams,
      body: UpdateAlertRuleBody,
      responses: {
        200: { description: 'The rule', schema: AlertRule },
        404: { description: 'No such rule' },
      },
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: await alerts.updateRule(caller, params.id, body),
      }),
    }),
    route({
      method: 'delete',
      path: '/alert-rules/{id}',
      summary: 'Delete an alert rule and its alerts',
      tag: 'alerts',
      access: 'admin',
      params: IdParams,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'No such rule' } },
      handler: async ({ caller, params }) => {
        await alerts.deleteRule(caller, params.id);
        return { status: 204 };
      },
    }),
  ];
}
