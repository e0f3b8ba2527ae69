export const policies = {
  WorkspacePolicy: () => import('#policies/workspace_policy'),
}

