// The third-party actions the generated workflows use, each pinned to a major tag in one place.

/** The actions `plinth-deploy ci` writes, by role, as `owner/name@tag`. */
export const ciActions = {
  checkout: 'actions/checkout@v5',
  // Reads the pnpm version from package.json's "packageManager" when given no `version` input.
  pnpm: 'pnpm/action-setup@v4',
  node: 'actions/setup-node@v5',
  buildx: 'docker/setup-buildx-action@v3',
  build: 'docker/build-push-action@v6',
  changesets: 'changesets/action@v1',
} as const;
