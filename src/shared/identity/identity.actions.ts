import type { ActionDefinition } from '../../kernel/http/index.js';

/** The actions identity's own routes declare (`admin` holds every action besides these roles). */
export const identityActions: readonly ActionDefinition[] = [
  { code: 'me.read', description: 'Read your own account, profile, settings and sessions', roles: ['user'] },
  { code: 'me.update', description: 'Change your own profile, settings and sessions', roles: ['user'] },
  { code: 'api_keys.manage', description: 'Create, list and revoke your own API keys', roles: ['user'] },
  { code: 'users.read', description: 'List and read every user', roles: [] },
  { code: 'users.manage', description: 'Create, activate, deactivate and ban users', roles: [] },
  { code: 'roles.manage', description: "Grant and revoke users' global roles", roles: [] },
  {
    code: 'orgs.read',
    description: 'Read the organizations you belong to, and their members',
    roles: ['user'],
  },
  { code: 'orgs.create', description: 'Create an organization (you become its org_admin)', roles: ['user'] },
  {
    code: 'orgs.manage',
    description: "Change your organization and its members' roles",
    roles: ['org_admin'],
  },
  { code: 'teams.read', description: "Read your organization's teams", roles: ['user'] },
  {
    code: 'teams.manage',
    description: "Create and change your organization's teams and their members",
    roles: ['org_admin'],
  },
  { code: 'feedback.create', description: 'Send feedback (bug, suggestion, complaint)', roles: ['user'] },
  { code: 'feedback.manage', description: 'Read and answer all feedback', roles: [] },
  {
    code: 'audit.read',
    description: 'Read the action log (org admins: their org only)',
    roles: ['org_admin'],
  },
  { code: 'deletion.request', description: 'Ask for your account and data to be erased', roles: ['user'] },
  { code: 'deletion.manage', description: 'See and run deletion requests', roles: [] },
];
